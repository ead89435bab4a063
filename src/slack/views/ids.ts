/**
 * Every callback_id, block_id and action_id the bot uses, exported once: view builders put them in the
 * blocks and listeners read the same constants back.
 */

export const CALLBACK = {
  setup: 'setup_modal',
  meetup: 'meetup_modal',
  talk: 'talk_modal',
  talks: 'talks_modal',
  talkLink: 'talk_link_modal',
  deleteTalk: 'delete_talk_modal',
  photo: 'photo_modal',
  next: 'next_modal',
  ask: 'ask_modal',
  site: 'site_modal',
} as const;

export const SETUP = {
  name: 'group_name',
  location: 'group_location',
  timeZone: 'group_time_zone',
  signature: 'group_signature',
  organisers: 'group_organisers',
  organisersChannel: 'group_organisers_channel',
  communityChannels: 'group_community_channels',
  sponsors: 'group_sponsors',
  template: 'group_template',
  reminderPlan: 'group_reminder_plan',
  frontMatter: 'group_front_matter',
  headerPhoto: 'group_header_photo',
  imageName: 'group_image_name',
  titlePattern: 'group_title_pattern',
  descriptionPattern: 'group_description_pattern',
  postNamePattern: 'group_post_name_pattern',
} as const;

export const MEETUP = {
  date: 'meetup_date',
  startTime: 'meetup_start_time',
  venue: 'meetup_venue',
  venueUrl: 'meetup_venue_url',
  venueReturning: 'meetup_venue_returning',
  host: 'meetup_host',
  hostFrom: 'meetup_host_from',
  hostRole: 'meetup_host_role',
  status: 'meetup_status',
  intro: 'meetup_intro',
  sponsors: 'meetup_sponsors',
  newSponsors: 'meetup_new_sponsors',
  headerPhotoFile: 'meetup_header_photo_file',
  headerPhotoUrl: 'meetup_header_photo_url',
  video: 'meetup_video',
  extras: 'meetup_extras',
  title: 'meetup_title',
  talkOrder: 'meetup_talk_order',
  sponsorsSentence: 'meetup_sponsors_sentence',
  closing: 'meetup_closing',
  description: 'meetup_description',
  location: 'meetup_location',
  tags: 'meetup_tags',
  redirectFrom: 'meetup_redirect_from',
  postName: 'meetup_post_name',
  textFormat: 'meetup_text_format',
  leaveOut: 'meetup_leave_out',
  sectionHeading: 'meetup_section_heading',
  sectionAfter: 'meetup_section_after',
  sectionText: 'meetup_section_text',
} as const;

export const TALK = {
  speaker: 'talk_speaker',
  company: 'talk_company',
  pronouns: 'talk_pronouns',
  moreSpeakers: 'talk_more_speakers',
  title: 'talk_title',
  topic: 'talk_topic',
  link: 'talk_link',
  linkKind: 'talk_link_kind',
  links: 'talk_links',
  takeaways: 'talk_takeaways',
  photoFile: 'talk_photo_file',
  photoUrl: 'talk_photo_url',
  photoAlt: 'talk_photo_alt',
  photoNoAlt: 'talk_photo_no_alt',
  after: 'talk_after',
  lead: 'talk_lead',
  /** The "Add a speaker" button under the speakers' rows (and its actions block). */
  addSpeaker: 'talk_add_speaker',
} as const;

export const PHOTO = {
  files: 'photo_files',
  urls: 'photo_urls',
  role: 'photo_role',
  alt: 'photo_alt',
  caption: 'photo_caption',
  after: 'photo_after',
  noAlt: 'photo_no_alt',
} as const;

export const NEXT = {
  date: 'next_date',
  startTime: 'next_start_time',
  venue: 'next_venue',
  companies: 'next_companies',
  rsvpUrl: 'next_rsvp_url',
  notes: 'next_notes',
  text: 'next_text',
  heading: 'next_heading',
  channels: 'next_channels',
} as const;

export const SITE = {
  kind: 'site_kind',
  repository: 'site_repository',
  branch: 'site_branch',
  postsFolder: 'site_posts_folder',
  imagesFolder: 'site_images_folder',
  maxPhotoWidth: 'site_max_photo_width',
} as const;

export const ASK = {
  speaker: 'ask_speaker',
  talk: 'ask_talk',
} as const;

/** The one action id of an input element is its block id with this suffix. */
export const INPUT_ACTION_SUFFIX = '_input';

export const ACTION = {
  /** Talk list: the overflow menu of a talk (edit, move up, move down, delete). */
  talkMenu: 'talk_menu',
  addTalk: 'talk_add',
  /** The DM to an asked speaker: opens their talk. */
  openAskedTalk: 'ask_open_talk',
  /** The draft message's buttons. */
  draftEditTalk: 'draft_edit_talk',
  draftRegenerate: 'draft_regenerate',
  draftPublished: 'draft_published',
  /** The draft message's "Publish to the site" button. */
  draftPublish: 'draft_publish',
  /** A reminder's RSVP link button (opens the link; the bot only acknowledges it). */
  rsvp: 'reminder_rsvp',
  /** `/roundup remind`: cancel one reminder. */
  cancelReminder: 'reminder_cancel',
  /** `/roundup remind`: take back the cancel of one reminder. */
  restoreReminder: 'reminder_restore',
  /** `/roundup next cancel`: call the next meetup off, then post a notice of it. */
  cancelNextMeetup: 'next_cancel',
  postCancellationNotice: 'next_cancel_notice',
  /** A talk's "Speaker link" button (App Home): a modal with a link to the speaker's web page. */
  talkLink: 'talk_link_show',
  /** That modal's button: withdraw every link of the talk. */
  revokeTalkLinks: 'talk_link_revoke',
} as const;

/** The parts of a form shown in steps (see views/steps.ts). */
export const STEPS = {
  header: 'form_step_header',
  problem: 'form_step_problem',
  nav: 'form_step_nav',
  back: 'form_step_back',
} as const;

/** The message shortcut "Add to roundup" and its form: photos posted in a channel, added to a meetup. */
export const ADD_TO_ROUNDUP = {
  /** The shortcut's callback_id, as the manifests list it. */
  shortcut: 'add_to_roundup',
  /** The form's callback_id. */
  modal: 'add_to_roundup_modal',
  /** Which meetup (choosing another one redraws the form with that meetup's talks). */
  meetup: 'add_to_roundup_meetup',
  /** One per image, numbered: `add_to_roundup_role_0`, ... (the meetup's id is part of it, see the form). */
  role: 'add_to_roundup_role',
  alt: 'add_to_roundup_alt',
} as const;

/** The App Home's buttons (its Publish button is the draft message's `ACTION.draftPublish`). */
export const HOME = {
  setup: 'home_setup',
  newMeetup: 'home_new_meetup',
  editMeetup: 'home_edit_meetup',
  addTalk: 'home_add_talk',
  editTalks: 'home_edit_talks',
  ask: 'home_ask',
  photos: 'home_photos',
  next: 'home_next',
  reminders: 'home_reminders',
  draft: 'home_draft',
  site: 'home_site',
  /** The next meetup's RSVP link (opens the link; the bot only acknowledges it). */
  rsvp: 'home_rsvp',
} as const;

/** The meetup and next-meetup forms' calendar link and its "Fill in from the calendar link" button. */
export const CALENDAR = {
  link: 'meetup_calendar_link',
  fill: 'meetup_calendar_fill',
} as const;
