import type { Group, Meetup, Photo, Sponsor, Talk } from '../domain/meetup';
import type { GroupRecord, MeetupRecord, TalkRecord } from './store';
import type { GroupsTable, MeetupsTable, PhotosTable, SponsorsTable, TalksTable } from './tables';

/**
 * Mapping between the model and table rows. Reading back builds objects without the keys of absent optional
 * fields (never `null` or `undefined` values), so what is saved reads back deep-equal.
 */

/** A meetup without its id and talks: the part that lives in the meetups row and its own photos. */
export type MeetupFields = Omit<Meetup, 'id' | 'talks'>;

type TalkPhoto = NonNullable<Talk['photo']>;
type HeaderPhoto = NonNullable<Meetup['headerPhoto']>;
type EventPhoto = Meetup['photos'][number];

// ---------------------------------------------------------------------------------------------------------
// Groups

export type GroupColumns = Omit<GroupsTable, 'id' | 'team_id' | 'created_at' | 'updated_at'>;

export function groupToColumns(group: Group): GroupColumns {
  return {
    name: group.name,
    time_zone: group.timeZone,
    signature: group.signature,
    location: group.location ?? null,
    organisers: toJson(group.organisers),
    organisers_channel: group.organisersChannel ?? null,
    community_channels: toJson(group.communityChannels),
    template: group.template,
    reminder_plan: toJson(group.reminderPlan),
    site: group.site ? toJson(group.site) : null,
    style: toJsonOrNull(group.style),
  };
}

export function groupFromRows(row: GroupsTable, sponsors: SponsorsTable[]): GroupRecord {
  return compact({
    id: row.id,
    teamId: row.team_id,
    name: row.name,
    timeZone: row.time_zone,
    signature: row.signature,
    location: orUndefined(row.location),
    organisers: fromJson<string[]>(row.organisers),
    organisersChannel: orUndefined(row.organisers_channel),
    communityChannels: fromJson<string[]>(row.community_channels),
    template: row.template,
    sponsors: sponsors.map(sponsorFromRow),
    reminderPlan: fromJson<Group['reminderPlan']>(row.reminder_plan),
    site: row.site ? fromJson<Group['site']>(row.site) : undefined,
    style: fromJsonOrUndefined<Group['style']>(row.style),
  });
}

export function sponsorToColumns(sponsor: Sponsor): Pick<SponsorsTable, 'name' | 'url'> {
  return { name: sponsor.name, url: sponsor.url ?? null };
}

function sponsorFromRow(row: SponsorsTable): Sponsor {
  return compact({ name: row.name, url: orUndefined(row.url) });
}

// ---------------------------------------------------------------------------------------------------------
// Meetups

export type MeetupColumns = Omit<MeetupsTable, 'id' | 'team_id' | 'group_id' | 'created_at' | 'updated_at'>;

export function meetupToColumns(meetup: MeetupFields): MeetupColumns {
  return {
    date: meetup.date,
    start_time: meetup.startTime,
    status: meetup.status,
    venue: toJsonOrNull(meetup.venue),
    host: toJsonOrNull(meetup.host),
    intro: meetup.intro ?? null,
    sponsors: toJson(meetup.sponsors),
    video: meetup.video ?? null,
    extras: toJson(meetup.extras),
    next_meetup: toJsonOrNull(meetup.next),
    sentences: toJson(meetup.sentences),
    post: postToJson(meetup),
  };
}

/** A meetup's fields for its post in the group's site, kept together in one JSON column. */
const POST_FIELDS = [
  'sections',
  'textFormat',
  'postName',
  'description',
  'location',
  'tags',
  'redirectFrom',
  'frontMatter',
  'leaveOut',
] as const satisfies readonly (keyof MeetupFields)[];

function postToJson(meetup: MeetupFields): string | null {
  const fields = compact(Object.fromEntries(POST_FIELDS.map((k) => [k, meetup[k]])));
  return Object.keys(fields).length === 0 ? null : toJson(fields);
}

/** `talks` and `photos` in position order; `photos` holds all of the meetup's photos, the talks' included. */
export function meetupFromRows(row: MeetupsTable, talks: TalksTable[], photos: PhotosTable[]): MeetupRecord {
  const ownPhotos = photos.filter((p) => p.talk_id === null);
  const header = ownPhotos.find((p) => p.role === 'header');
  return compact({
    id: row.id,
    teamId: row.team_id,
    groupId: row.group_id,
    date: row.date,
    startTime: row.start_time,
    status: row.status,
    venue: fromJsonOrUndefined<NonNullable<Meetup['venue']>>(row.venue),
    host: fromJsonOrUndefined<NonNullable<Meetup['host']>>(row.host),
    intro: orUndefined(row.intro),
    sponsors: fromJson<Sponsor[]>(row.sponsors),
    headerPhoto: header && headerPhotoFromRow(header),
    video: orUndefined(row.video),
    talks: talks.map((talk) =>
      talkFromRows(
        talk,
        photos.find((p) => p.talk_id === talk.id),
      ),
    ),
    extras: fromJson<string[]>(row.extras),
    photos: ownPhotos.filter((p) => p.role !== 'header').map(eventPhotoFromRow),
    next: fromJsonOrUndefined<NonNullable<Meetup['next']>>(row.next_meetup),
    sentences: fromJson<Meetup['sentences']>(row.sentences),
    ...fromJsonOrUndefined<Partial<Pick<Meetup, (typeof POST_FIELDS)[number]>>>(row.post),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  });
}

// ---------------------------------------------------------------------------------------------------------
// Talks

export type TalkColumns = Omit<
  TalksTable,
  'id' | 'team_id' | 'meetup_id' | 'position' | 'created_at' | 'updated_at'
>;

export function talkToColumns(talk: Talk): TalkColumns {
  return {
    speakers: toJson(talk.speakers),
    title: talk.title,
    topic: talk.topic ?? null,
    link: toJsonOrNull(talk.link),
    links: toJson(talk.links),
    takeaways: toJson(talk.takeaways),
    lead: talk.lead ?? null,
    after: toJsonOrNull(talk.after),
  };
}

export function talkFromRows(row: TalksTable, photo: PhotosTable | undefined): TalkRecord {
  return compact({
    id: row.id,
    speakers: fromJson<Talk['speakers']>(row.speakers),
    title: row.title,
    topic: orUndefined(row.topic),
    link: fromJsonOrUndefined<NonNullable<Talk['link']>>(row.link),
    links: fromJson<Talk['links']>(row.links),
    takeaways: fromJson<Talk['takeaways']>(row.takeaways),
    photo: photo && talkPhotoFromRow(photo),
    lead: orUndefined(row.lead),
    after: fromJsonOrUndefined<Talk['after']>(row.after),
  });
}

// ---------------------------------------------------------------------------------------------------------
// Photos

export type PhotoColumns = Pick<
  PhotosTable,
  | 'role'
  | 'url'
  | 'slack_file_id'
  | 'slack_file_name'
  | 'stored_file'
  | 'mime_type'
  | 'bytes'
  | 'alt'
  | 'path'
  | 'caption'
  | 'place'
>;

export function photoToColumns(photo: Photo): PhotoColumns {
  return {
    role: photo.role,
    url: photo.url ?? null,
    slack_file_id: photo.slackFile?.id ?? null,
    slack_file_name: photo.slackFile?.name ?? null,
    stored_file: photo.stored?.file ?? null,
    mime_type: photo.stored?.mimeType ?? null,
    bytes: photo.stored?.bytes ?? null,
    alt: photo.alt ?? null,
    path: photo.path ?? null,
    caption: photo.caption ?? null,
    place: photo.after ?? null,
  };
}

/** The parts every kind of photo shares. */
function photoFields(row: PhotosTable): Omit<TalkPhoto, 'role'> {
  return compact({
    url: orUndefined(row.url),
    slackFile:
      row.slack_file_id === null
        ? undefined
        : compact({ id: row.slack_file_id, name: orUndefined(row.slack_file_name) }),
    stored:
      row.stored_file === null || row.mime_type === null
        ? undefined
        : compact({ file: row.stored_file, mimeType: row.mime_type, bytes: orUndefined(row.bytes) }),
    alt: orUndefined(row.alt),
    path: orUndefined(row.path),
    caption: orUndefined(row.caption),
    after: orUndefined(row.place),
  });
}

function headerPhotoFromRow(row: PhotosTable): HeaderPhoto {
  return { role: 'header', ...photoFields(row) };
}

function talkPhotoFromRow(row: PhotosTable): TalkPhoto {
  return { role: 'talk', ...photoFields(row) };
}

function eventPhotoFromRow(row: PhotosTable): EventPhoto {
  return { role: row.role === 'group' ? 'group' : 'other', ...photoFields(row) };
}

// ---------------------------------------------------------------------------------------------------------
// Helpers

/** Drop the keys whose value is undefined, so an absent optional field stays absent. */
function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

function orUndefined<T>(value: T | null): T | undefined {
  return value === null ? undefined : value;
}

function toJson(value: unknown): string {
  return JSON.stringify(value);
}

function toJsonOrNull(value: unknown): string | null {
  return value === undefined ? null : JSON.stringify(value);
}

function fromJson<T>(text: string): T {
  return JSON.parse(text) as T;
}

function fromJsonOrUndefined<T>(text: string | null): T | undefined {
  return text === null ? undefined : fromJson<T>(text);
}
