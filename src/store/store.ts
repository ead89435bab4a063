import type { Group, Meetup, MeetupStatus, Roundup, Talk } from '../domain/meetup';
import type { ReminderChange } from '../domain/reminder-lifecycle';
import type { PlannedReminder, ReminderStatus } from '../domain/reminders';
import type { Problem } from '../domain/validate';

/**
 * The one storage interface callers use. Every method is scoped by the Slack team id, so one install can
 * serve several workspaces without leaking between them. One implementation (sql-store.ts) serves both
 * backends: SQLite, the embedded default, and PostgreSQL, shared by several replicas.
 */

export interface GroupRecord extends Group {
  id: string;
  teamId: string;
}

export interface TalkRecord extends Talk {
  id: string;
}

export interface MeetupRecord extends Omit<Meetup, 'talks'> {
  id: string;
  teamId: string;
  groupId: string;
  talks: TalkRecord[];
  /** UTC, ISO 8601. */
  createdAt: string;
  updatedAt: string;
}

export interface MeetupSummary {
  id: string;
  date: string;
  status: Meetup['status'];
  talkCount: number;
}

/** A speaker asked to fill in their own talk; while waiting, they may edit that talk and nothing else. */
export interface AskRecord {
  id: string;
  meetupId: string;
  talkId: string;
  userId: string;
  askedBy: string;
  status: 'waiting' | 'answered';
  askedAt: string;
  answeredAt?: string;
}

/**
 * A link an organiser gave out for a speaker to fill in one talk on the bot's web page (its token names this
 * record). It works until it expires or is revoked, or its talk is deleted.
 */
export interface TalkLinkRecord {
  id: string;
  meetupId: string;
  talkId: string;
  /** The organiser who made it. */
  createdBy: string;
  createdAt: string;
  expiresAt: string;
  revokedAt?: string;
  /** When the speaker last saved through it. */
  usedAt?: string;
}

/** The draft message of a meetup in the organisers' channel. */
export interface DraftRecord {
  meetupId: string;
  channelId: string;
  messageTs: string;
  /** What the latest version put in the message's thread: its .zip and .md, and preview parts that did not fit. */
  thread: { fileIds: string[]; replyTs: string[] };
  /** 1 for the first draft, one more on each re-draft. */
  version: number;
  updatedAt?: string;
}

/** Where a meetup's post went on the group's site: its branch, last commit and (GitHub) pull request. */
export interface PublicationRecord {
  meetupId: string;
  kind: 'git' | 'github';
  /** The site as it was named when published (a remote, a path, or owner/repo). */
  repository: string;
  /** The site's branch the post is proposed to (the pull request's base). */
  baseBranch: string;
  /** The branch holding the post: `roundup/<post file name>`. */
  branch: string;
  /** The last commit published. */
  commit?: string;
  pullRequest?: { number: number; url: string; state: 'open' | 'merged' | 'closed' };
  updatedAt?: string;
}

/** A photo's bytes as stored, whichever replica stored them. */
export interface PhotoFile {
  meetupId: string;
  /** A plain file name, unique to its content within the meetup (`talk-<id>-<digest>.jpg`). */
  name: string;
  mimeType: string;
  content: Buffer;
}

/**
 * The most one stored photo file may hold: the largest upload accepted (10 MB, services/photos.ts) with
 * room to spare. Each is a row; a meetup holds at most LIMITS.photos photos and one per talk.
 */
export const MAX_PHOTO_FILE_BYTES = 12 * 1024 * 1024;

/** A scheduled reminder or nudge. */
export interface ReminderRecord extends PlannedReminder {
  id: string;
  teamId: string;
  meetupId: string;
  status: ReminderStatus;
  attempts: number;
  claimedAt?: string;
  /** Whose claim it is while `sending`. */
  claimToken?: string;
  messageTs?: string;
  postedChannel?: string;
  lastError?: string;
}

/**
 * The fields of a meetup that `updateMeetup` may change (talks have their own methods). Keys left out are
 * kept; an optional field given as `undefined` is cleared; `undefined` for a required field is ignored.
 */
export type MeetupChanges = Partial<Omit<Meetup, 'id' | 'talks'>>;

export interface Store {
  /** Run `work` in one transaction: each user action is one. Nested calls join the outer transaction. */
  transaction<T>(work: (store: Store) => Promise<T>): Promise<T>;

  getGroup(teamId: string): Promise<GroupRecord | undefined>;
  /**
   * Create or replace the team's group (one group per team), sponsor roster included. Like every method that
   * writes the model, it refuses what the model refuses (InvalidDataError), and writes nothing then.
   */
  saveGroup(teamId: string, group: Group): Promise<GroupRecord>;

  /** Create a meetup (with any talks it carries) for the team's group. Fails if the team has no group. */
  createMeetup(teamId: string, meetup: Meetup): Promise<MeetupRecord>;
  /**
   * With `lock`, inside a transaction, the meetup stays locked until the transaction ends (PostgreSQL; SQLite
   * has one writer at a time): a read-modify-write on another replica waits, then reads what this one wrote.
   */
  getMeetup(teamId: string, meetupId: string, o?: { lock?: boolean }): Promise<MeetupRecord | undefined>;
  /** The meetup being worked on: the latest by date that is not published, else the latest of all. */
  currentMeetup(teamId: string): Promise<MeetupRecord | undefined>;
  /** Newest first. */
  listMeetups(teamId: string): Promise<MeetupSummary[]>;
  updateMeetup(teamId: string, meetupId: string, changes: MeetupChanges): Promise<MeetupRecord>;
  /**
   * Move a meetup to status `to`, only if its status is still one of `from` (compare and set): false when it
   * is not, because another action (a click on "Mark published", a re-draft) moved it first.
   */
  changeMeetupStatus(
    teamId: string,
    meetupId: string,
    from: readonly MeetupStatus[],
    to: MeetupStatus,
  ): Promise<boolean>;

  /** One talk of a meetup, without reading the rest of the meetup. */
  getTalk(teamId: string, meetupId: string, talkId: string): Promise<TalkRecord | undefined>;
  /**
   * Insert the talk at the end (no id) or replace the talk with that id, keeping its place. A meetup holds at
   * most LIMITS.talks talks: one more is refused (InvalidDataError at `talks`).
   */
  saveTalk(teamId: string, meetupId: string, talk: Talk): Promise<TalkRecord>;
  deleteTalk(teamId: string, meetupId: string, talkId: string): Promise<void>;
  /** Move a talk to a 0-based position (past either end: to that end); the others keep their order. */
  moveTalk(teamId: string, meetupId: string, talkId: string, toIndex: number): Promise<void>;

  /** The group and the meetup together, as the renderer and `roundup render` take them. */
  getRoundup(teamId: string, meetupId: string): Promise<Roundup | undefined>;

  /** Ask a speaker for a talk (asking again makes the ask wait again); `askedAt` defaults to now. */
  saveAsk(
    teamId: string,
    ask: Pick<AskRecord, 'meetupId' | 'talkId' | 'userId' | 'askedBy'> & { askedAt?: string },
  ): Promise<AskRecord>;
  listAsks(teamId: string, meetupId: string): Promise<AskRecord[]>;
  findAsk(teamId: string, talkId: string, userId: string): Promise<AskRecord | undefined>;
  markAskAnswered(teamId: string, talkId: string, userId: string): Promise<void>;
  /** Every waiting ask of a talk is answered (its speaker filled it in from a link); returns how many. */
  markTalkAsksAnswered(teamId: string, talkId: string): Promise<number>;

  /** Keep a new talk link (the talk must exist). */
  saveTalkLink(teamId: string, link: Omit<TalkLinkRecord, 'revokedAt' | 'usedAt'>): Promise<TalkLinkRecord>;
  getTalkLink(teamId: string, linkId: string): Promise<TalkLinkRecord | undefined>;
  /** Revoke every live link of a talk; returns how many were live. */
  revokeTalkLinks(teamId: string, talkId: string, at?: string): Promise<number>;
  /**
   * Stamp the link as used at `now` (a speaker saves through it), only while it still works: false, and
   * nothing stamped, when it was revoked or has expired by then.
   */
  useTalkLink(teamId: string, linkId: string, now: string): Promise<boolean>;

  getDraft(teamId: string, meetupId: string): Promise<DraftRecord | undefined>;
  /**
   * Save the draft in place of the version the caller read (`replaces`; undefined when there was no draft),
   * compare and set: undefined, and nothing written, when the stored draft is no longer that version because
   * a re-draft running at the same time saved first.
   */
  saveDraft(
    teamId: string,
    draft: DraftRecord,
    replaces: number | undefined,
  ): Promise<DraftRecord | undefined>;

  getPublication(teamId: string, meetupId: string): Promise<PublicationRecord | undefined>;
  /** Create or replace the meetup's publication. */
  savePublication(teamId: string, publication: PublicationRecord): Promise<PublicationRecord>;

  /**
   * Record that a Slack delivery (keyed by what identifies it: a trigger id, a view and its values, an event
   * id) is being handled. False when it already was: a retry, a double click, a view submitted twice.
   */
  claimDelivery(teamId: string, key: string): Promise<boolean>;
  /**
   * Keep, with a delivery claimed in the same transaction, what its duplicates need to answer as it did
   * (a step of a form: where its next step points).
   */
  keepAnswer(teamId: string, key: string, answer: string): Promise<void>;
  /** What a claimed delivery kept for its duplicates (see keepAnswer), if anything. */
  keptAnswer(teamId: string, key: string): Promise<string | undefined>;

  /**
   * Make a meetup's reminders of one family (kinds starting with `family`) match `planned`, through the
   * lifecycle's plan transitions: new ones are added as pending, pending ones move to their planned time,
   * unplanned ones planned again are pending again, pending ones no longer planned are unplanned. Cancelled
   * ones stay cancelled (a person decided); sent, failed and skipped ones are history.
   */
  syncReminders(
    teamId: string,
    meetupId: string,
    family: string,
    planned: readonly PlannedReminder[],
  ): Promise<void>;
  /** By fire time. */
  listReminders(
    teamId: string,
    filter?: { meetupId?: string; statuses?: ReminderStatus[] },
  ): Promise<ReminderRecord[]>;
  getReminder(reminderId: string): Promise<ReminderRecord | undefined>;
  /**
   * Apply one lifecycle transition (from `domain/reminder-lifecycle.ts`) atomically, only if the row still
   * matches its conditions (state, claim owner, lease) and, with `teamId`, belongs to that team. False when
   * it did not: someone else got there first, or the claim is no longer the caller's.
   */
  changeReminder(reminderId: string, change: ReminderChange, teamId?: string): Promise<boolean>;

  // The scheduler's side, across all teams (each row still carries its team).
  /**
   * Claim, with `change` (the lifecycle's `claim`), up to `limit` pending reminders due at `now` (UTC ISO),
   * earliest first, in one statement; returns them as claimed. Reminders another sender is claiming at the
   * same moment are passed over, not waited for. Reminders in `except` are left alone (a tick does not
   * take back what it tried and let go of: that waits for the next tick).
   */
  claimDueReminders(
    now: string,
    limit: number,
    change: ReminderChange,
    except?: readonly string[],
  ): Promise<ReminderRecord[]>;
  /**
   * Take over, with `change` (the lifecycle's `takeOver`), up to `limit` reminders claimed before
   * `claimedBefore` and never finished (their sender stopped or hung); returns them as taken.
   */
  takeOverAbandoned(claimedBefore: string, limit: number, change: ReminderChange): Promise<ReminderRecord[]>;
  /**
   * The database's clock: what the scheduler compares due times and leases with, so that replicas whose own
   * clocks disagree still agree on what is due and whose claim has expired. (SQLite's is this machine's.)
   */
  databaseTime(): Promise<Date>;

  /**
   * Keep a stored photo's bytes, under a name that says what it holds (the same name is the same bytes).
   * At most MAX_PHOTO_FILE_BYTES each.
   */
  putPhotoFile(teamId: string, file: PhotoFile): Promise<void>;
  getPhotoFile(teamId: string, meetupId: string, name: string): Promise<PhotoFile | undefined>;

  /** Keep a workspace's installation (a re-install replaces the token and clears `uninstalledAt`). */
  saveInstallation(installation: NewInstallation): Promise<InstallationRecord>;
  getInstallation(teamId: string): Promise<InstallationRecord | undefined>;
  /**
   * The app left the workspace (uninstalled, or its bot token revoked): forget the token and stop its
   * pending reminders (`unplanned`, so that a re-install plans them again). Its data stays. Returns how many
   * reminders were stopped.
   */
  uninstall(teamId: string): Promise<number>;
  /** Delete everything of a team: its installation, group, meetups, talks, photos, reminders, drafts... */
  forgetTeam(teamId: string): Promise<void>;
  /** Reminders (and nudges) that ended failed or skipped since `since` (UTC ISO), across every team. */
  countReminderOutcomes(since: string): Promise<{ failed: number; skipped: number }>;

  /** Whether the database answers (for /healthz). */
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

/** A workspace roundup is installed in by OAuth, and its bot. */
export interface InstallationRecord {
  teamId: string;
  enterpriseId?: string;
  teamName?: string;
  appId?: string;
  /** Absent once the app is uninstalled or its tokens are revoked. */
  botToken?: string;
  botId?: string;
  botUserId?: string;
  botScopes: string[];
  /** Who installed it: the first organiser. */
  installerUserId: string;
  installedAt: string;
  updatedAt: string;
  uninstalledAt?: string;
}

export type NewInstallation = Omit<InstallationRecord, 'installedAt' | 'updatedAt' | 'uninstalledAt'> & {
  botToken: string;
};

/** Raised when a row asked for does not exist for that team. */
export class NotFoundError extends Error {
  constructor(what: string) {
    super(`${what} was not found`);
    this.name = 'NotFoundError';
  }
}

/**
 * Raised when what is to be saved breaks a rule of the model: the store refuses what the model refuses,
 * whoever calls it (a form, a service, the scheduler), with each problem at its path (`talks`, `title` ...).
 */
export class InvalidDataError extends Error {
  constructor(
    /** What was being saved. */
    readonly what: 'group' | 'meetup' | 'talk',
    readonly problems: readonly Problem[],
  ) {
    super(problems.map((p) => refusalSentence(what, p)).join(' '));
    this.name = 'InvalidDataError';
  }
}

/** One problem as a sentence for the person saving: "This meetup already has 20 talks, the most a post can hold." */
export function refusalSentence(what: InvalidDataError['what'], problem: Problem): string {
  const lists: Record<string, string> = {
    'meetup:talks': 'This meetup',
    'meetup:photos': 'This meetup',
    'meetup:sponsors': 'This meetup',
    'meetup:extras': 'This meetup',
    'group:sponsors': 'The sponsor roster',
  };
  const subject =
    lists[`${what}:${problem.path}`] ??
    (problem.path === '' ? `This ${what}` : `In this ${what}, ${problem.path}`);
  return `${subject} ${problem.message}.`;
}
