import fs from 'node:fs';
import path from 'node:path';
import {
  type Group,
  groupSchema,
  type Meetup,
  meetupSchema,
  type Roundup,
  roundupSchema,
  type Talk,
  talkSchema,
} from '../../src/domain/meetup';
import type { MeetupRecord } from '../../src/store/store';

/** The November 2018 Cloud Native London roundup, as the model reads it. */
export function cloudNativeLondon(): Roundup {
  const file = path.join(__dirname, '..', 'fixtures', 'roundups', '2018-11-cloud-native-london.json');
  return roundupSchema.parse(JSON.parse(fs.readFileSync(file, 'utf8')));
}

/** A group with every optional field set and a sponsor roster. */
export function fullGroup(): Group {
  return groupSchema.parse({
    name: 'Cloud Native London',
    timeZone: 'Europe/London',
    signature: 'Cheryl (@oicheryl)',
    location: 'London, UK',
    organisers: ['U012ABCDEF', 'U034GHIJKL'],
    organisersChannel: 'C0ORGANISE',
    communityChannels: ['C0GENERAL', 'C0RANDOM'],
    template: 'modern',
    sponsors: [{ name: 'StorageOS', url: 'https://storageos.com/' }, { name: 'Pusher' }],
  });
}

/** A meetup using every part of the model, photos of each kind and source included. */
export function fullMeetup(): Meetup {
  return meetupSchema.parse({
    date: '2019-03-13',
    startTime: '18:45',
    status: 'drafted',
    venue: { name: 'Skills Matter', url: 'https://skillsmatter.com/' },
    host: { name: 'Dominique Top', from: 'Docker London', role: 'Organiser' },
    intro: 'Cloud Native London met in {month}, hosted by {host}.',
    sponsors: [{ name: 'Contino', url: 'https://www.contino.io/' }, { name: 'Opsview' }],
    headerPhoto: {
      slackFile: { id: 'F012ABCDEF', name: 'crowd.jpg' },
      stored: { file: 'header.jpg', mimeType: 'image/jpeg', bytes: 123456 },
      alt: 'The audience',
    },
    video: 'https://www.youtube.com/watch?v=abc',
    talks: [
      {
        speakers: [
          { name: 'Ada Lovelace', company: 'Analytical Engines', pronouns: 'she' },
          { name: 'Charles Babbage' },
        ],
        title: 'Engines of Difference',
        topic: 'the difference engine',
        link: { url: 'https://example.com/slides.pdf', kind: 'slides' },
        links: [
          { label: 'See {their} code [here](https://example.com/code)', url: 'https://example.com/code' },
        ],
        takeaways: [
          'Plain text',
          { text: 'With items', items: ['first', { text: 'second', items: ['deep'] }] },
        ],
        photo: { stored: { file: 'talk-1.png', mimeType: 'image/png' } },
        lead: '{who} started us off with {title}.',
      },
      { speakers: [{ name: 'Grace Hopper' }], title: 'Compilers' },
    ],
    extras: ['We drew a prize.', 'Thanks to all who came.'],
    photos: [
      { role: 'group', url: 'https://example.com/group.jpg', alt: 'Everyone' },
      { slackFile: { id: 'F098ZYXWVU' } },
    ],
    next: {
      date: '2019-04-10',
      companies: ['Paybase'],
      venue: 'Monzo',
      rsvpUrl: 'https://www.meetup.com/Cloud-Native-London/',
      text: 'Join us on {date} at {venue}.',
    },
    sentences: { title: 'March at Skills Matter', closing: 'See you soon, {signature}' },
  });
}

export function talk(title: string, extra: Partial<Talk> = {}): Talk {
  return talkSchema.parse({ speakers: [{ name: `${title} speaker` }], title, ...extra });
}

/** A meetup on a date, with talks of the given titles. */
export function meetupOn(date: string, status: Meetup['status'] = 'planned', titles: string[] = []): Meetup {
  return meetupSchema.parse({ date, status, talks: titles.map((title) => talk(title)) });
}

/** The model fields of a record: what was saved, without the ids and timestamps the store adds. */
export function modelOf(record: MeetupRecord): Meetup {
  const {
    id: _id,
    teamId: _teamId,
    groupId: _groupId,
    createdAt: _c,
    updatedAt: _u,
    talks,
    ...rest
  } = record;
  return { ...rest, talks: talks.map(({ id: _talkId, ...t }) => t) };
}
