import type { ActionsBlock, Button, HomeView, KnownBlock } from '@slack/types';
import { DateTime } from 'luxon';
import type { ChecklistItem } from '../../domain/checklist';
import type { NextMeetup } from '../../domain/meetup';
import { escapeMrkdwn } from '../../render/slack-preview';
import type { AskRecord, DraftRecord, MeetupRecord, ReminderRecord } from '../../store/store';
import { checklistBlock } from './checklist';
import { ACTION, HOME } from './ids';
import { describeReminder } from './reminder-message';

/** Slack's limits on what the App Home holds (Block Kit reference). */
export const HOME_LIMITS = { blocks: 100, sectionText: 3000, buttonText: 75, headerText: 150 } as const;
/** Talks listed one by one; the rest are counted ("and 4 more"). */
const TALKS_SHOWN = 20;
/** Sponsors named in the meetup's summary; the rest are counted. */
const SPONSORS_SHOWN = 10;

export interface HomeInput {
  groupName?: string;
  timeZone: string;
  isOrganiser: boolean;
  /** Before the first setup: whether this person may set roundup up (sees the Set up button). */
  maySetUp: boolean;
  /** The meetup being worked on, for the organisers. */
  meetup?: MeetupRecord;
  checklist: readonly ChecklistItem[];
  asks: readonly AskRecord[];
  draft?: DraftRecord;
  /** Pending reminders, soonest first. */
  reminders: readonly ReminderRecord[];
  /** A site is connected and this server can publish: the Publish button is offered once drafted. */
  mayPublish: boolean;
  /** The next meetup, as everyone sees it (not when called off). */
  next?: NextMeetup;
  /** The last published meetup's date, if any. */
  lastPublished?: string;
}

/** Cut a text to Slack's limit, saying it goes on. */
function clip(text: string, max: number = HOME_LIMITS.sectionText): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function section(text: string): KnownBlock {
  return { type: 'section', text: { type: 'mrkdwn', text: clip(text) } };
}

function button(
  actionId: string,
  text: string,
  o: { value?: string; primary?: boolean; url?: string } = {},
): Button {
  return {
    type: 'button',
    action_id: actionId,
    text: { type: 'plain_text', text: clip(text, HOME_LIMITS.buttonText) },
    ...(o.value ? { value: o.value } : {}),
    ...(o.url ? { url: o.url } : {}),
    ...(o.primary ? { style: 'primary' as const } : {}),
  };
}

function actions(blockId: string, elements: Button[]): ActionsBlock {
  return { type: 'actions', block_id: blockId, elements };
}

function more(shown: number, all: number, what: string): string {
  return all > shown ? `\n_…and ${all - shown} more ${what}_` : '';
}

/** Reminders listed one by one; the rest are counted. */
const REMINDERS_SHOWN = 10;

/** "Wednesday 7 November 2018". */
function day(date: string): string {
  return DateTime.fromISO(date).setLocale('en-GB').toFormat('cccc d LLLL yyyy');
}

/** "Wednesday 7 November 2018 at 18:30 (Europe/London)". */
function when(date: string, time: string | undefined, zone: string): string {
  return `${day(date)}${time ? ` at ${time}` : ''} (${escapeMrkdwn(zone)})`;
}

/** "Wednesday 12 December 2018 at 18:30, at Monzo". */
function nextInWords(n: NextMeetup): string {
  return escapeMrkdwn(
    `${day(n.date)}${n.startTime ? ` at ${n.startTime}` : ''}${n.venue ? `, at ${n.venue}` : ''}`,
  );
}

function header(h: HomeInput): KnownBlock {
  return {
    type: 'header',
    text: {
      type: 'plain_text',
      text: clip(h.groupName ? `${h.groupName} roundup` : 'roundup', HOME_LIMITS.headerText),
    },
  };
}

/**
 * The App Home. For an organiser, the place to work from: the current meetup, its talks (and who still owes
 * takeaways), photos, checklist, reminders and draft, with a button for each subcommand. For anyone else, the
 * next meetup and its RSVP link, read only. Before the first setup, a welcome (with Set up for whoever may).
 */
export function buildHome(h: HomeInput): HomeView {
  const blocks: KnownBlock[] = [header(h)];
  if (!h.groupName) {
    blocks.push(
      section(
        ':wave: *Welcome to roundup.* It collects what happened at your meetup (talks, takeaways, photos, sponsors) and turns it into the roundup post for your site.',
      ),
    );
    if (h.maySetUp) {
      blocks.push(
        section('Start by setting up the group: its name, organisers, channels and sponsors.'),
        actions('home_welcome', [button(HOME.setup, 'Set up', { primary: true })]),
      );
    } else {
      blocks.push(section('An organiser has not set roundup up here yet.'));
    }
    return { type: 'home', blocks };
  }
  if (!h.isOrganiser) return { type: 'home', blocks: [...blocks, ...readOnly(h)] };
  blocks.push(...organiserBlocks(h));
  return { type: 'home', blocks };
}

function readOnly(h: HomeInput): KnownBlock[] {
  const blocks: KnownBlock[] = [];
  const n = h.next;
  if (n) {
    const companies = n.companies.length ? `\n*With:* ${escapeMrkdwn(n.companies.join(', '))}` : '';
    blocks.push(section(`*Next meetup:* ${nextInWords(n)}${companies}`));
    if (n.rsvpUrl) blocks.push(actions('home_rsvp', [button(HOME.rsvp, 'RSVP', { url: n.rsvpUrl })]));
  } else {
    blocks.push(section('*Next meetup:* not announced yet.'));
  }
  if (h.lastPublished) blocks.push(section(`*Last roundup:* ${day(h.lastPublished)}`));
  blocks.push({
    type: 'context',
    elements: [{ type: 'mrkdwn', text: 'Only the organisers can change the meetup and its post.' }],
  });
  return blocks;
}

function organiserBlocks(h: HomeInput): KnownBlock[] {
  const m = h.meetup;
  const blocks: KnownBlock[] = [];
  if (!m) {
    blocks.push(
      section('*No meetup yet.* Start the one just held, or about to be.'),
      actions('home_start', [
        button(HOME.newMeetup, 'New meetup', { primary: true }),
        button(HOME.setup, 'Set up'),
        button(HOME.site, 'Site'),
      ]),
    );
    return blocks;
  }
  const venue = m.venue ? escapeMrkdwn(m.venue.name) : '_not given_';
  const host = m.host
    ? `${escapeMrkdwn(m.host.name)}${m.host.from ? ` (${escapeMrkdwn(m.host.from)})` : ''}`
    : '_not given_';
  const sponsors = m.sponsors.length
    ? `${escapeMrkdwn(
        m.sponsors
          .slice(0, SPONSORS_SHOWN)
          .map((s) => s.name)
          .join(', '),
      )}${m.sponsors.length > SPONSORS_SHOWN ? ` and ${m.sponsors.length - SPONSORS_SHOWN} more` : ''}`
    : 'none yet';
  blocks.push(
    section(
      [
        `*Current meetup:* ${when(m.date, m.startTime, h.timeZone)}`,
        `*Venue:* ${venue}`,
        `*Host:* ${host}`,
        `*Sponsors:* ${sponsors}`,
        `*Status:* ${m.status}`,
        `*Next meetup:* ${h.next ? nextInWords(h.next) : 'not set'}`,
      ].join('\n'),
    ),
    actions('home_meetup', [
      button(HOME.editMeetup, 'Edit meetup'),
      button(HOME.newMeetup, 'New meetup'),
      button(HOME.next, m.next ? 'Edit next meetup' : 'Next meetup'),
      button(HOME.setup, 'Set up'),
      button(HOME.site, 'Site'),
    ]),
    { type: 'divider' },
  );

  // Talks: one section each, with whether takeaways are in and who still owes them (an open ask).
  const waiting = h.asks.filter((a) => a.status === 'waiting');
  const withTakeaways = m.talks.filter((t) => t.takeaways.length > 0).length;
  blocks.push(section(`*Talks:* ${m.talks.length} (${withTakeaways} with takeaways)`));
  if (m.talks.length === 0) blocks.push(section('_No talks yet._'));
  for (const [i, talk] of m.talks.slice(0, TALKS_SHOWN).entries()) {
    const speakers = talk.speakers.map((s) => `${s.name}${s.company ? ` (${s.company})` : ''}`).join(', ');
    const owing = waiting.filter((a) => a.talkId === talk.id).map((a) => `<@${a.userId}>`);
    const takeaways = talk.takeaways.length
      ? `:white_check_mark: ${talk.takeaways.length} takeaway${talk.takeaways.length === 1 ? '' : 's'}`
      : ':hourglass_flowing_sand: no takeaways yet';
    const owes = owing.length ? `; asked, still owed by ${owing.join(', ')}` : '';
    // The speakers' names are cut before the line is, so the takeaways' state is never cut off.
    const head = clip(`*${i + 1}. ${escapeMrkdwn(talk.title)}*`, 600);
    const names = clip(escapeMrkdwn(speakers), 2000);
    blocks.push({
      ...section(`${head}\n${names}\n${takeaways}${owes}`),
      // For a speaker outside the workspace: a link to fill in the talk on the web.
      accessory: button(ACTION.talkLink, 'Speaker link', { value: talk.id }),
    } as KnownBlock);
  }
  if (m.talks.length > TALKS_SHOWN) blocks.push(section(more(TALKS_SHOWN, m.talks.length, 'talks').trim()));
  blocks.push(
    actions('home_talks', [
      button(HOME.addTalk, 'Add a talk', { primary: m.talks.length === 0 }),
      ...(m.talks.length ? [button(HOME.editTalks, 'Edit talks'), button(HOME.ask, 'Ask a speaker')] : []),
    ]),
    { type: 'divider' },
  );

  // Photos, counted by role.
  const counts = {
    header: m.headerPhoto ? 1 : 0,
    talk: m.talks.filter((t) => t.photo).length,
    group: m.photos.filter((p) => p.role === 'group').length,
    other: m.photos.filter((p) => p.role !== 'group').length,
  };
  const total = counts.header + counts.talk + counts.group + counts.other;
  blocks.push(
    section(
      `*Photos* (${total}): ${counts.header} header, ${counts.talk} of talks, ${counts.group} group, ${counts.other} other`,
    ),
    actions('home_photos', [button(HOME.photos, 'Add photos')]),
    { type: 'divider' },
    checklistBlock(h.checklist),
    { type: 'divider' },
  );

  // Reminders: how many, the soonest first.
  const listed = h.reminders.slice(0, REMINDERS_SHOWN).map((r) => `• ${describeReminder(r, h.timeZone)}`);
  blocks.push(
    section(
      h.reminders.length
        ? `*Upcoming reminders* (${h.reminders.length})\n${listed.join('\n')}${more(REMINDERS_SHOWN, h.reminders.length, '(the Reminders button lists them all)')}`
        : '*Upcoming reminders:* none scheduled.',
    ),
    actions('home_reminders', [button(HOME.reminders, 'Reminders')]),
    { type: 'divider' },
  );

  // The draft, and publishing it.
  const drafted = h.draft
    ? `version ${h.draft.version} in <#${h.draft.channelId}>${h.draft.updatedAt ? `, ${DateTime.fromISO(h.draft.updatedAt).setZone(h.timeZone).setLocale('en-GB').toFormat('d LLL HH:mm')}` : ''}`
    : 'not drafted yet';
  blocks.push(
    section(`*Draft:* ${m.status === 'published' ? 'published' : drafted}`),
    actions('home_draft', [
      button(HOME.draft, h.draft ? 'Refresh the draft' : 'Draft', { value: m.id, primary: !h.draft }),
      ...(h.draft && h.mayPublish
        ? [
            {
              ...button(ACTION.draftPublish, 'Publish', { value: m.id }),
              confirm: {
                title: { type: 'plain_text' as const, text: 'Publish to the site?' },
                text: {
                  type: 'plain_text' as const,
                  text: 'The post and its photos go to the group’s site, as in the draft.',
                },
                confirm: { type: 'plain_text' as const, text: 'Publish' },
                deny: { type: 'plain_text' as const, text: 'Not yet' },
              },
            },
          ]
        : []),
    ]),
  );
  return blocks;
}
