import sharp from 'sharp';
import type { SlackAppOptions } from '../../src/slack/create-app';
import type { MeetupRecord } from '../../src/store/store';
import { eventually, FAKE_DEFAULTS, TestBot } from './bot';
import type { SlackMessage } from './fake-slack';
import { loadRoundup } from './fixtures';

/**
 * The address the bot says it is reached at. The links it gives are opened at the address it listens on, as
 * a proxy in front of it would pass them on (a port chosen before the start could be taken meanwhile).
 */
const PUBLIC_URL = 'http://roundup.test';

/** Signs the tests' speaker links. */
export const LINK_SECRET = 'a-speaker-link-secret-of-at-least-32-chars';
export const TEAM = FAKE_DEFAULTS.teamId;
export const ORGANISER = FAKE_DEFAULTS.userId;
export const SPEAKER_IN_SLACK = 'U0SPEAKER1';

export interface SpeakerBed {
  bot: TestBot;
  meetup: MeetupRecord;
  organisersChannel: string;
  /** A new link to talk `n` (1-based), as `/roundup ask <n> link` gives it, at the bot's own address. */
  link(n?: number): Promise<string>;
  /** What `/roundup <text>` answers the organiser (by the command's response URL). */
  reply(text: string): Promise<string>;
  /** The messages the organisers' channel got. */
  organisersMessages(): SlackMessage[];
}

/**
 * The real bot with speaker links set up (PUBLIC_URL is its own address, so the links it gives open it), and
 * the November 2018 meetup with its three talks, the first one's speaker asked for it in Slack.
 */
export async function startSpeakerBed(
  o: {
    talkPages?: SlackAppOptions['talkPages'];
    now?: () => Date;
    /** Without PUBLIC_URL and SPEAKER_LINK_SECRET, as a bot not set up for links. */
    unconfigured?: boolean;
    /** More configuration. */
    env?: Record<string, string>;
  } = {},
): Promise<SpeakerBed> {
  const bot = await TestBot.start({
    env: { ...(o.unconfigured ? {} : { PUBLIC_URL, SPEAKER_LINK_SECRET: LINK_SECRET }), ...o.env },
    ...(o.talkPages ? { talkPages: o.talkPages } : {}),
    ...(o.now ? { now: o.now } : {}),
  });
  const november = loadRoundup('2018-11-cloud-native-london');
  const organisersChannel = bot.slack.addChannel({ name: 'organisers', isPrivate: true });
  await bot.store.saveGroup(TEAM, { ...november.group, organisers: [ORGANISER], organisersChannel });
  const meetup = await bot.store.createMeetup(TEAM, { ...november.meetup, status: 'held' });
  await bot.store.saveAsk(TEAM, {
    meetupId: meetup.id,
    talkId: meetup.talks[0]?.id as string,
    userId: SPEAKER_IN_SLACK,
    askedBy: ORGANISER,
  });
  const reply = async (text: string) => {
    const { reply, responseUrl } = await bot.command(text);
    if (reply.status !== 200) throw new Error(`/roundup ${text} answered HTTP ${reply.status}`);
    return eventually(() => {
      const post = bot.slack.responses.find((r) => r.url === responseUrl);
      if (!post) throw new Error('no answer yet');
      return String((post.body as { text?: string }).text);
    });
  };
  const link = async (n = 1) => {
    const text = await reply(`ask ${n} link`);
    const url = linkIn(text);
    if (!url) throw new Error(`no link in: ${text}`);
    return url.replace(PUBLIC_URL, bot.base);
  };
  return {
    bot,
    meetup,
    organisersChannel,
    link,
    reply,
    organisersMessages: () => bot.slack.messages(organisersChannel),
  };
}

/** The speaker's link in what the organiser was told. */
export function linkIn(text: string): string | undefined {
  return /(http:\/\/roundup\.test\/talk\/edit\?link=\S+)/.exec(text)?.[1];
}

/** A small real photo, as a phone would send one. */
export async function portrait(format: 'jpeg' | 'png' = 'jpeg'): Promise<Buffer> {
  const image = sharp({
    create: { width: 40, height: 60, channels: 3, background: { r: 200, g: 120, b: 60 } },
  });
  return format === 'jpeg' ? image.jpeg().toBuffer() : image.png().toBuffer();
}
