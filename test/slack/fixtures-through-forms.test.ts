import fs from 'node:fs';
import path from 'node:path';
import type { Roundup } from '../../src/domain/meetup';
import { importSite } from '../../src/import/import-site';
import { renderPost } from '../../src/render/render-post';
import { photoLinkOf } from '../../src/slack/views/form';
import { PHOTO } from '../../src/slack/views/ids';
import { FAKE_DEFAULTS, type OpenedView, TestBot } from '../support/bot';
import { FIXTURES, loadRoundup } from '../support/fixtures';
import { meetupValues, nextValues, setupValues, talkValues } from '../support/organiser-evening';
import { input, type StateValue } from '../support/slack-requests';
import { valuesAsOpened } from '../support/views';

/**
 * Nothing of the model is lost on the way through Slack: each fixture meetup, typed into the real forms over
 * HTTP (setup, the meetup, each talk, each photo, the next meetup), drafts the very post that `roundup render`
 * makes of its JSON. Each form, reopened and saved untouched, then changes nothing.
 */

const TEAM = FAKE_DEFAULTS.teamId;

const fixtures: Array<[name: string, load: () => Roundup]> = [
  ...fs
    .readdirSync(path.join(FIXTURES, 'roundups'))
    .filter((f) => f.endsWith('.json'))
    .map((f): [string, () => Roundup] => [f, () => loadRoundup(f.replace(/\.json$/, ''))]),
  // The group's own site, as `roundup import` reads it: every post a meetup in the site's style.
  ...importSite(path.join(FIXTURES, 'site')).posts.flatMap((post): Array<[string, () => Roundup]> => {
    const roundup = post.roundup;
    return roundup ? [[post.file, () => roundup]] : [];
  }),
];

async function saved(step: string, reply: { status: number; json?: unknown }): Promise<void> {
  const action = (reply.json as { response_action?: string } | undefined)?.response_action;
  if (reply.status !== 200 || action === 'errors')
    throw new Error(`${step} was refused: HTTP ${reply.status} ${JSON.stringify(reply.json)}`);
}

/** The roundup as the store holds it, in the shape `renderPost` reads. */
async function storedRoundup(bot: TestBot): Promise<Roundup> {
  const { id: _g, teamId: _t, ...group } = (await bot.store.getGroup(TEAM))!;
  const {
    teamId: _mt,
    groupId: _mg,
    createdAt: _c,
    updatedAt: _u,
    ...meetup
  } = (await bot.store.currentMeetup(TEAM))!;
  return {
    group,
    meetup: {
      ...meetup,
      talks: meetup.talks.map(({ id: _id, ...talk }) => talk),
    },
  } as Roundup;
}

/**
 * The model without what the store adds (ids) and what only Slack needs: the organisers, their channel, and
 * the roster, which the setup form is given as this meetup's sponsors.
 */
function comparable(r: Roundup): unknown {
  const { organisers: _o, organisersChannel: _c, sponsors: _s, ...group } = r.group;
  const { id: _id, ...meetup } = r.meetup;
  return { group, meetup: { ...meetup, talks: meetup.talks.map(({ id: _t, ...t }) => t) } };
}

async function enterThroughForms(bot: TestBot, roundup: Roundup): Promise<string> {
  const m = roundup.meetup;
  const channel = bot.slack.addChannel({ name: 'organisers', isPrivate: true });
  await saved(
    'setup',
    await bot.submit(await bot.open('setup'), setupValues(roundup, channel, FAKE_DEFAULTS.userId)),
  );
  await saved('new', await bot.submit(await bot.open('new'), meetupValues(m)));
  for (const [i, talk] of m.talks.entries())
    await saved(`talk ${i + 1}`, await bot.submit(await bot.open('talk new'), talkValues(talk)));
  // The header photo's description and the evening's photos, one at a time to keep their order.
  const photos = [...(m.headerPhoto?.alt !== undefined ? [m.headerPhoto] : []), ...m.photos];
  for (const photo of photos) {
    const values: Record<string, StateValue> = {
      [PHOTO.role]: input.staticSelect(photo.role),
      [PHOTO.files]: input.files([]),
      [PHOTO.urls]: input.text(photoLinkOf(photo) ?? null),
      [PHOTO.alt]: input.text(photo.alt || null),
      [PHOTO.noAlt]: input.checkboxes(photo.alt === '' ? ['yes'] : []),
      [PHOTO.caption]: input.text(photo.caption ?? null),
      [PHOTO.after]: input.staticSelect(photo.after ?? null),
    };
    await saved(`photo ${photo.url}`, await bot.submit(await bot.open('photo'), values));
  }
  if (m.next) await saved('next', await bot.submit(await bot.open('next'), nextValues(m)));
  await bot.settled();
  return channel;
}

async function reopenAndSave(bot: TestBot, command: string): Promise<OpenedView> {
  const view = await bot.open(command);
  await saved(`${command}, saved as opened`, await bot.submit(view, valuesAsOpened(view.view)));
  await bot.settled();
  return view;
}

describe.each(fixtures)('%s, typed into the forms over HTTP', (_name, load) => {
  let bot: TestBot;
  beforeEach(async () => {
    bot = await TestBot.start();
  });
  afterEach(async () => {
    await bot.stop();
  });

  it('drafts the post that roundup render makes of its JSON, and reopened forms change nothing', async () => {
    const roundup = load();
    const expected = renderPost(roundup);
    await enterThroughForms(bot, roundup);

    const stored = await storedRoundup(bot);
    expect(comparable(stored)).toEqual(comparable(roundup));
    expect(renderPost(stored).content).toBe(expected.content);

    // Every form, reopened and saved untouched, keeps what was saved.
    for (const command of ['setup', 'edit', ...roundup.meetup.talks.map((_, i) => `talk ${i + 1}`)])
      await reopenAndSave(bot, command);
    if (roundup.meetup.next) await reopenAndSave(bot, 'next');
    expect(await storedRoundup(bot)).toEqual(stored);

    // The draft's .md is the offline render, byte for byte.
    const before = bot.slack.uploads.length;
    const { reply } = await bot.command('draft');
    expect(reply.status).toBe(200);
    await bot.settled();
    const md = bot.slack.uploads.slice(before).find((f) => f.filename.endsWith('.md'));
    expect(md?.filename).toBe(path.basename(expected.path));
    expect(md?.bytes.toString('utf8')).toBe(expected.content);
  });
});
