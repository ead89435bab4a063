import type { ImageType, MeetupStatus, PhotoRole, SectionPlace } from '../domain/meetup';
import type { ReminderStatus } from '../domain/reminders';

/**
 * The tables as Kysely sees them. Columns are snake_case. Ids are text (UUIDs), timestamps are UTC ISO 8601
 * text and the columns marked JSON hold text written with `JSON.stringify`, so the same schema serves SQLite
 * and Postgres. Every table carries `team_id` and every query filters by it.
 */
export interface Tables {
  groups: GroupsTable;
  sponsors: SponsorsTable;
  meetups: MeetupsTable;
  talks: TalksTable;
  photos: PhotosTable;
  asks: AsksTable;
  drafts: DraftsTable;
  deliveries: DeliveriesTable;
  reminders: RemindersTable;
  publications: PublicationsTable;
  photo_files: PhotoFilesTable;
  installations: InstallationsTable;
  talk_links: TalkLinksTable;
}

/** One group per team. */
export interface GroupsTable {
  id: string;
  team_id: string;
  name: string;
  time_zone: string;
  signature: string;
  location: string | null;
  /** JSON: Slack user ids. */
  organisers: string;
  organisers_channel: string | null;
  /** JSON: Slack channel ids. */
  community_channels: string;
  template: string;
  /** JSON: Group['reminderPlan']. */
  reminder_plan: string;
  /** JSON: Group['site'], or null when no site is connected. */
  site: string | null;
  /** JSON: Group['style'], the house style of the group's site, or null. */
  style: string | null;
  created_at: string;
  updated_at: string;
}

/** The group's sponsor roster, in order. */
export interface SponsorsTable {
  id: string;
  team_id: string;
  group_id: string;
  position: number;
  name: string;
  url: string | null;
}

export interface MeetupsTable {
  id: string;
  team_id: string;
  group_id: string;
  /** YYYY-MM-DD */
  date: string;
  /** HH:MM, local to the group's time zone. */
  start_time: string;
  status: MeetupStatus;
  /** JSON: Meetup['venue']. */
  venue: string | null;
  /** JSON: Meetup['host']. */
  host: string | null;
  intro: string | null;
  /** JSON: the meetup's sponsors (which may differ from the group's roster). */
  sponsors: string;
  video: string | null;
  /** JSON: paragraphs after the talks. */
  extras: string;
  /** JSON: Meetup['next']. */
  next_meetup: string | null;
  /** JSON: Meetup['sentences']. */
  sentences: string;
  /** JSON: the post's own fields (see POST_FIELDS in rows.ts), or null when it has none. */
  post: string | null;
  created_at: string;
  updated_at: string;
}

export interface TalksTable {
  id: string;
  team_id: string;
  meetup_id: string;
  /** 0-based; kept contiguous. */
  position: number;
  /** JSON: Speaker[]. */
  speakers: string;
  title: string;
  topic: string | null;
  /** JSON: Talk['link']. */
  link: string | null;
  /** JSON: Talk['links']. */
  links: string;
  /** JSON: Takeaway[]. */
  takeaways: string;
  lead: string | null;
  /** JSON: Talk['after'], paragraphs after the takeaways, or null. */
  after: string | null;
  created_at: string;
  updated_at: string;
}

/**
 * Photos of a meetup: its header photo (role header), its event photos (group, other) and each talk's photo
 * (role talk, with talk_id).
 */
export interface PhotosTable {
  id: string;
  team_id: string;
  meetup_id: string;
  talk_id: string | null;
  role: PhotoRole;
  /** Order among the photos of the same kind. */
  position: number;
  url: string | null;
  slack_file_id: string | null;
  slack_file_name: string | null;
  stored_file: string | null;
  mime_type: ImageType | null;
  bytes: number | null;
  alt: string | null;
  /** A photo already in the group's site: its site-relative path. */
  path: string | null;
  caption: string | null;
  /** Photo['after']: the part of the post an evening's photo follows, or null (with the others). */
  place: SectionPlace | null;
  created_at: string;
}

/** A speaker asked (with `/roundup ask`) to fill in their own talk. */
export interface AsksTable {
  id: string;
  team_id: string;
  meetup_id: string;
  talk_id: string;
  user_id: string;
  asked_by: string;
  status: 'waiting' | 'answered';
  asked_at: string;
  answered_at: string | null;
}

/** The draft message of a meetup in the organisers' channel, updated in place on every re-draft. */
export interface DraftsTable {
  meetup_id: string;
  team_id: string;
  channel_id: string;
  message_ts: string;
  /** JSON: DraftRecord['thread']: the latest files and preview parts in the message's thread. */
  thread_items: string;
  version: number;
  updated_at: string;
}

/** Slack deliveries already handled (a retried request, a double-clicked button, a view submitted twice). */
export interface DeliveriesTable {
  key: string;
  team_id: string;
  received_at: string;
  /** What a duplicate answers with (see Store.keepAnswer); null when nothing was kept. */
  answer: string | null;
}

/**
 * A scheduled message: a reminder of the next meetup in a channel, or a nudge after a meetup. Claimed
 * (pending -> sending) before it is posted and marked sent with the message ts after, so it goes out once.
 */
export interface RemindersTable {
  id: string;
  team_id: string;
  meetup_id: string;
  /** `before:<days>`, `nudge:checklist`, `nudge:speaker:<user>` */
  kind: string;
  /** A channel id, or a user id for a DM. */
  channel: string;
  event_date: string;
  /** UTC, ISO 8601 (sorts as text). */
  fire_at: string;
  status: ReminderStatus;
  attempts: number;
  claimed_at: string | null;
  /** The token of whoever holds the claim: only they may finish or release it. */
  claim_token: string | null;
  message_ts: string | null;
  /** Where it was posted (a DM's channel id for a user). */
  posted_channel: string | null;
  last_error: string | null;
  created_at: string;
  updated_at: string;
}

/** Where a meetup's post was published: its branch on the site and, on GitHub, its pull request. */
export interface PublicationsTable {
  team_id: string;
  meetup_id: string;
  /** JSON: PublicationRecord (the model of src/services/publish.ts). */
  state: string;
  updated_at: string;
}

/** A stored photo's bytes, named by its content (see migration 007). */
export interface PhotoFilesTable {
  team_id: string;
  meetup_id: string;
  name: string;
  mime_type: string;
  size: number;
  content: Buffer;
  created_at: string;
}

/** A workspace that installed roundup by OAuth (see migration 008). */
export interface InstallationsTable {
  team_id: string;
  enterprise_id: string | null;
  team_name: string | null;
  app_id: string | null;
  /** Null once the app is uninstalled or its tokens revoked. */
  bot_token: string | null;
  bot_id: string | null;
  bot_user_id: string | null;
  /** Comma-separated, as Slack gives them. */
  bot_scopes: string;
  installer_user_id: string;
  installed_at: string;
  updated_at: string;
  uninstalled_at: string | null;
}

/** A link given to a speaker to fill in their talk on the web page. */
export interface TalkLinksTable {
  id: string;
  team_id: string;
  meetup_id: string;
  talk_id: string;
  created_by: string;
  created_at: string;
  expires_at: string;
  revoked_at: string | null;
  used_at: string | null;
}
