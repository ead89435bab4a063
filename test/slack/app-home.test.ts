import sharp from 'sharp';
import { LIMITS } from '../../src/domain/fields';
import type { Roundup } from '../../src/domain/meetup';
import { sponsorSchema, talkSchema } from '../../src/domain/meetup';
import { HOME_LIMITS } from '../../src/slack/views/home';
import { ACTION, CALLBACK, HOME, PHOTO, SITE } from '../../src/slack/views/ids';
import { eventually, FAKE_DEFAULTS, type OpenedView, TestBot } from '../support/bot';
import { FakeGitHub } from '../support/fake-github';
import type { Json } from '../support/fake-slack';
import { loadRoundup } from '../support/fixtures';
import { meetupValues, nextValues, playEvening, setupValues, talkValues } from '../support/organiser-evening';
import { input, type StateValue } from '../support/slack-requests';

const TEAM = FAKE_DEFAULTS.teamId;
const ORGANISER = FAKE_DEFAULTS.userId;
const SOMEONE = 'U0OTHER001';
const november = loadRoundup('2018-11-cloud-native-london');

interface HomeButton {
  actionId: string;
  text: string;
  value?: string;
  url?: string;
}

/** Every button of a published App Home, as Slack shows them. */
function buttonsOf(view: Json | undefined): HomeButton[] {
  const blocks = (view?.blocks ?? []) as Json[];
  return blocks
    .flatMap((b) => [
      ...((b.elements as Json[] | undefined) ?? []),
      ...(b.accessory ? [b.accessory as Json] : []),
    ])
    .filter((e) => e.type === 'button')
    .map((e) => ({
      actionId: String(e.action_id),
      text: String((e.text as Json).text),
      ...(e.value ? { value: String(e.value) } : {}),
      ...(e.url ? { url: String(e.url) } : {}),
    }));
}

/** The person opens the Home tab; resolves with the view published for them. */
async function openHome(bot: TestBot, userId: string, o: { teamId?: string } = {}): Promise<Json> {
  const before = bot.slack.callsTo('views.publish').length;
  await bot.event({ type: 'app_home_opened', user: userId, channel: 'D0HOME0001', tab: 'home' }, o);
  await eventually(() =>
    expect(
      bot.slack
        .callsTo('views.publish')
        .slice(before)
        .some((c) => c.args.user_id === userId),
    ).toBe(true),
  );
  await bot.settled();
  const view = bot.slack.homeView(userId);
  if (!view) throw new Error(`no App Home published for ${userId}`);
  return view;
}

/** The published Home as the view a click comes from (so the click carries no response URL, as in Slack). */
function homeOf(bot: TestBot, userId: string): OpenedView {
  const view = bot.slack.homeView(userId) ?? {};
  return { id: String(view.id), hash: String(view.hash), callbackId: '', privateMetadata: '', view };
}

/** Click the Home's button showing `text`, with the action id and value the published view gives it. */
async function click(bot: TestBot, text: string, userId: string = ORGANISER) {
  const buttons = buttonsOf(bot.slack.homeView(userId));
  const button = buttons.find((b) => b.text === text);
  if (!button) throw new Error(`no “${text}” button in the Home: ${buttons.map((b) => b.text).join(', ')}`);
  const clicked = await bot.act({
    actionId: button.actionId,
    action: button.value ? { value: button.value } : {},
    userId,
    view: homeOf(bot, userId),
  });
  expect(clicked.reply.status).toBe(200);
  return { button, ...clicked };
}

/** Click a button that opens a form: the form. */
async function clickToOpen(bot: TestBot, text: string): Promise<OpenedView> {
  const { triggerId } = await click(bot, text);
  return bot.viewOpenedWith(triggerId);
}

/** Submit a form, expect it to close, and wait for what follows (downloads, the Home's refresh). */
async function submitAndSettle(bot: TestBot, view: OpenedView, values: Record<string, StateValue>) {
  const reply = await bot.submit(view, values);
  const action = (reply.json as { response_action?: string } | undefined)?.response_action;
  if (reply.status !== 200 || action === 'errors') {
    throw new Error(`${view.callbackId} was refused: ${JSON.stringify(reply.json)}`);
  }
  await bot.settled();
}

async function groupPhoto() {
  const pixels = Buffer.from([255, 0, 0, 0, 255, 0, 0, 0, 255, 255, 255, 0, 0, 255, 255, 255, 0, 255]);
  const bytes = await sharp(pixels, { raw: { width: 3, height: 2, channels: 3 } })
    .png()
    .toBuffer();
  return { name: 'crowd.png', mimetype: 'image/png', bytes, alt: 'The crowd' };
}

/** The organiser's evening played from the App Home's buttons only: no subcommand typed. */
async function eveningFromHome(
  bot: TestBot,
  roundup: Roundup,
  photo: Awaited<ReturnType<typeof groupPhoto>>,
) {
  const organisersChannel = bot.slack.addChannel({ name: 'organisers', isPrivate: true });
  await openHome(bot, ORGANISER);
  await submitAndSettle(
    bot,
    await clickToOpen(bot, 'Set up'),
    setupValues(roundup, organisersChannel, ORGANISER),
  );
  await submitAndSettle(bot, await clickToOpen(bot, 'New meetup'), meetupValues(roundup.meetup));
  for (const talk of roundup.meetup.talks) {
    await submitAndSettle(bot, await clickToOpen(bot, 'Add a talk'), talkValues(talk));
  }
  const file = bot.slack.addPrivateFile({ name: photo.name, mimetype: photo.mimetype, bytes: photo.bytes });
  await submitAndSettle(bot, await clickToOpen(bot, 'Add photos'), {
    [PHOTO.role]: input.staticSelect('group'),
    [PHOTO.files]: input.files([bot.slack.fileObject(file.id) as object]),
    [PHOTO.urls]: input.text(null),
    [PHOTO.alt]: input.text(photo.alt),
  });
  await eventually(async () =>
    expect((await bot.store.currentMeetup(TEAM))?.photos.some((p) => p.stored)).toBe(true),
  );
  await submitAndSettle(bot, await clickToOpen(bot, 'Next meetup'), nextValues(roundup.meetup));
  const uploadsBefore = bot.slack.uploads.length;
  await click(bot, 'Draft');
  await bot.settled();
  return { organisersChannel, files: bot.slack.uploads.slice(uploadsBefore) };
}

describe('the App Home', () => {
  let bot: TestBot;
  beforeEach(async () => {
    bot = await TestBot.start();
    bot.slack.addUser({ id: SOMEONE, name: 'someone' });
  });
  afterEach(async () => {
    await bot.stop();
  });

  it('welcomes whoever may set roundup up before the first setup, with only a Set up button that opens setup', async () => {
    const home = await openHome(bot, ORGANISER);
    expect(JSON.stringify(home)).toContain('Welcome to roundup');
    expect(buttonsOf(home).map((b) => b.text)).toEqual(['Set up']);
    const view = await clickToOpen(bot, 'Set up');
    expect(view.callbackId).toBe(CALLBACK.setup);
    expect((view.view.title as Json).text).toBe('Set up roundup');
  });

  it('shows an organiser the meetup, its talks, who still owes takeaways, the photos and the checklist', async () => {
    await playEvening(bot, november);
    const meetup = (await bot.store.currentMeetup(TEAM))!;
    // The first talk loses its takeaways, and its speaker is asked for them.
    await bot.store.saveTalk(TEAM, meetup.id, { ...meetup.talks[0]!, takeaways: [] });
    await bot.store.saveAsk(TEAM, {
      meetupId: meetup.id,
      talkId: meetup.talks[0]!.id,
      userId: SOMEONE,
      askedBy: ORGANISER,
    });
    const text = JSON.stringify(await openHome(bot, ORGANISER));
    expect(text).toContain('Cloud Native London roundup');
    expect(text).toContain('*Current meetup:* Wednesday 7 November 2018 at 18:30 (Europe/London)');
    expect(text).toContain(`*Venue:* ${november.meetup.venue!.name}`);
    expect(text).toContain('*Talks:* 3 (2 with takeaways)');
    for (const talk of november.meetup.talks) expect(text).toContain(talk.title);
    expect(text).toContain(`no takeaways yet; asked, still owed by <@${SOMEONE}>`);
    expect(text).toContain('*Photos* (');
    expect(text).toContain('Talk 1 (“Deployments with Kapitan”) has no takeaways.');
    expect(text).toContain('*Next meetup:* Wednesday 12 December 2018 at 18:30, at Monzo');
    expect(buttonsOf(bot.slack.homeView(ORGANISER)).map((b) => b.text)).toEqual([
      'Edit meetup',
      'New meetup',
      'Edit next meetup',
      'Set up',
      'Site',
      'Speaker link',
      'Speaker link',
      'Speaker link',
      'Add a talk',
      'Edit talks',
      'Ask a speaker',
      'Add photos',
      'Reminders',
      'Refresh the draft',
    ]);
  });

  it('shows anyone else the next meetup and its RSVP link, read only', async () => {
    const withRsvp = {
      ...november,
      meetup: { ...november.meetup, next: { ...november.meetup.next!, rsvpUrl: 'https://example.com/rsvp' } },
    };
    await playEvening(bot, withRsvp);
    const home = await openHome(bot, SOMEONE);
    const text = JSON.stringify(home);
    expect(text).toContain('*Next meetup:* Wednesday 12 December 2018 at 18:30, at Monzo');
    expect(text).toContain('Only the organisers can change the meetup and its post.');
    expect(text).not.toContain('Deployments with Kapitan');
    const buttons = buttonsOf(home);
    expect(buttons).toEqual([{ actionId: HOME.rsvp, text: 'RSVP', url: 'https://example.com/rsvp' }]);
    // Its click only needs acknowledging: the link opens in the browser.
    expect((await click(bot, 'RSVP', SOMEONE)).reply.status).toBe(200);
  });

  it('refuses politely a non-organiser clicking an organiser’s button, and opens nothing', async () => {
    await playEvening(bot, november);
    await openHome(bot, ORGANISER);
    const button = buttonsOf(bot.slack.homeView(ORGANISER)).find((b) => b.text === 'New meetup')!;
    // Clicked in their own Home, from an old view: told in their messages with the bot.
    const { triggerId } = await bot.act({
      actionId: button.actionId,
      userId: SOMEONE,
      view: homeOf(bot, ORGANISER),
    });
    await bot.settled();
    const told = bot.dms(SOMEONE).map((m) => String(m.text));
    expect(told).toEqual([expect.stringContaining('Sorry, only the organisers')]);
    expect(told[0]).toContain(`<@${ORGANISER}>`);
    expect(bot.slack.callsTo('views.open').filter((c) => c.args.trigger_id === triggerId)).toEqual([]);
  });

  it('opens from each button the form it names, lists the reminders and posts the draft', async () => {
    await playEvening(bot, november);
    await openHome(bot, ORGANISER);
    const forms: Record<string, [string, string]> = {
      [HOME.setup]: [CALLBACK.setup, 'Set up roundup'],
      [HOME.newMeetup]: [CALLBACK.meetup, 'New meetup'],
      [HOME.editMeetup]: [CALLBACK.meetup, 'Edit the meetup'],
      [HOME.next]: [CALLBACK.next, 'The next meetup'],
      [HOME.site]: [CALLBACK.site, 'The group’s site'],
      [HOME.addTalk]: [CALLBACK.talk, 'Add a talk'],
      [HOME.editTalks]: [CALLBACK.talks, 'Talks'],
      [HOME.ask]: [CALLBACK.ask, 'Ask a speaker'],
      [HOME.photos]: [CALLBACK.photo, 'Add photos'],
      [ACTION.talkLink]: [CALLBACK.talkLink, 'Link for the speaker'],
    };
    const buttons = buttonsOf(bot.slack.homeView(ORGANISER));
    for (const button of buttons) {
      const form = forms[button.actionId];
      if (form) {
        const view = await clickToOpen(bot, button.text);
        expect([button.text, view.callbackId, (view.view.title as Json).text]).toEqual([
          button.text,
          ...form,
        ]);
      } else if (button.actionId === HOME.reminders) {
        const before = bot.dms(ORGANISER).length;
        await click(bot, button.text);
        await bot.settled();
        const [list] = bot.dms(ORGANISER).slice(before);
        expect(String(list?.text)).toMatch(/Upcoming reminders|No reminders are scheduled/);
      } else if (button.actionId === HOME.draft) {
        const uploadsBefore = bot.slack.uploads.length;
        await click(bot, button.text);
        await bot.settled();
        expect(bot.slack.uploads.slice(uploadsBefore).map((u) => u.filename)).toEqual(
          expect.arrayContaining(['2018-11-07-cloud-native-london-november-2018.md']),
        );
        expect(bot.dms(ORGANISER).at(-1)?.text).toMatch(/Draft \d+ (updated|posted) in <#[CG]/);
      } else {
        throw new Error(`the test does not know the “${button.text}” button (${button.actionId})`);
      }
    }
    // Without a site connected, there is no Publish button.
    expect(buttons.map((b) => b.text)).not.toContain('Publish');
  });

  it('stays within 100 blocks and Slack’s limits for a meetup at its limits', async () => {
    await playEvening(bot, november);
    const meetup = (await bot.store.currentMeetup(TEAM))!;
    const long = (what: string, n: number) => `${what} & <${'x'.repeat(n)}>`.slice(0, n);
    await bot.store.updateMeetup(TEAM, meetup.id, {
      sponsors: Array.from({ length: LIMITS.sponsors }, (_, i) =>
        sponsorSchema.parse({ name: long(`Sponsor ${i}`, LIMITS.name) }),
      ),
      photos: Array.from({ length: LIMITS.photos }, (_, i) => ({
        role: i % 2 ? ('group' as const) : ('other' as const),
        url: `https://example.com/photo-${i}.jpg`,
        alt: 'A photo',
      })),
    });
    for (let i = meetup.talks.length; i < LIMITS.talks; i++) {
      const talk = talkSchema.parse({
        title: long(`Talk ${i}`, LIMITS.shortText),
        speakers: Array.from({ length: LIMITS.speakers }, (_, s) => ({
          name: long(`Speaker ${i}.${s}`, LIMITS.name),
          company: long('Company', LIMITS.name),
        })),
      });
      const saved = await bot.store.saveTalk(TEAM, meetup.id, talk);
      for (let s = 0; s < LIMITS.speakers; s++) {
        const userId = `U0ASK${String(i).padStart(2, '0')}${s}`;
        await bot.store.saveAsk(TEAM, { meetupId: meetup.id, talkId: saved.id, userId, askedBy: ORGANISER });
      }
    }
    const home = await openHome(bot, ORGANISER);
    const blocks = home.blocks as Json[];
    expect(blocks.length).toBeLessThanOrEqual(HOME_LIMITS.blocks);
    const text = JSON.stringify(home);
    expect(text).toContain(`*Talks:* ${LIMITS.talks} (`);
    expect(text).toContain(`*${LIMITS.talks}. Talk 19`);
    expect(text).toContain(`and ${LIMITS.sponsors - 10} more`);
    expect(text).toContain(`still owed by <@U0ASK190>`);
    for (const b of blocks) {
      const t = (b.text as Json | undefined)?.text;
      if (typeof t === 'string') expect(t.length).toBeLessThanOrEqual(HOME_LIMITS.sectionText);
    }
    for (const b of buttonsOf(home)) expect(b.text.length).toBeLessThanOrEqual(HOME_LIMITS.buttonText);
    // What the fake Slack accepted is this view: the last publish for the organiser succeeded.
    const last = bot.slack.callsTo('views.publish').at(-1)!;
    expect((last.response as { ok?: boolean }).ok).toBe(true);
  });

  it('is refreshed after a talk is saved, a photo added and a draft made', async () => {
    await playEvening(bot, november);
    const home = () => JSON.stringify(bot.slack.homeView(ORGANISER));
    await openHome(bot, ORGANISER);
    expect(home()).toContain('*Talks:* 3 (3 with takeaways)');
    expect(home()).toContain('*Photos* (4): 1 header, 3 of talks, 0 group, 0 other');

    const fourth = { ...november.meetup.talks[0]!, title: 'A fourth talk, added from the Home' };
    await submitAndSettle(bot, await clickToOpen(bot, 'Add a talk'), talkValues(fourth));
    expect(home()).toContain('*Talks:* 4 (4 with takeaways)');
    expect(home()).toContain('A fourth talk, added from the Home');

    await submitAndSettle(bot, await clickToOpen(bot, 'Add photos'), {
      [PHOTO.role]: input.staticSelect('group'),
      [PHOTO.files]: input.files([]),
      [PHOTO.urls]: input.text('https://example.com/crowd.jpg'),
      [PHOTO.alt]: input.text('The crowd'),
    });
    expect(home()).toContain('*Photos* (6): 1 header, 4 of talks, 1 group, 0 other');

    await click(bot, 'Refresh the draft');
    await bot.settled();
    expect(home()).toMatch(/\*Draft:\* version 2 in <#[CG]/);
  });

  it('runs a whole evening from its buttons, ending with the draft the subcommands make', async () => {
    const photo = await groupPhoto();
    const fromHome = await eveningFromHome(bot, november, photo);
    const typed = await TestBot.start();
    try {
      const evening = await playEvening(typed, november, { groupPhoto: photo });
      const md = fromHome.files.find((f) => f.filename.endsWith('.md'));
      expect(md?.filename).toBe(evening.markdown.filename);
      expect(md?.bytes.toString('utf8')).toBe(evening.markdown.bytes.toString('utf8'));
      expect(fromHome.files.find((f) => f.filename.endsWith('.zip'))?.filename).toBe(evening.zip.filename);
      const draft = bot.slack
        .messages(fromHome.organisersChannel)
        .find((m) => String(m.text).startsWith('Roundup draft'));
      expect(draft?.text).toBe(evening.draft.text);
      expect(JSON.stringify(draft?.blocks)).not.toContain(':red_circle:');
      expect(JSON.stringify(draft?.blocks)).toContain('Mark published');
      // Nothing answered a typed subcommand on the Home's side: none was typed.
      expect(bot.slack.responses).toEqual([]);
    } finally {
      await typed.stop();
    }
  });
});

describe('the App Home, installed by OAuth', () => {
  const ACME = { team: 'T0ACME0001', user: 'U0ACME0001' };
  let bot: TestBot;
  beforeEach(async () => {
    bot = await TestBot.start({ oauth: true });
  });
  afterEach(async () => {
    await bot.stop();
  });

  it('shows the installer the welcome with Set up first, and anyone else the welcome alone', async () => {
    expect((await bot.install(ACME.team, ACME.user)).status).toBe(200);
    bot.slack.addUser({ id: ACME.user, name: 'installer' });
    bot.slack.addUser({ id: 'U0ACME0099', name: 'someone' });
    const installer = await openHome(bot, ACME.user, { teamId: ACME.team });
    expect(JSON.stringify(installer)).toContain('Welcome to roundup');
    expect(buttonsOf(installer).map((b) => b.text)).toEqual(['Set up']);
    const other = await openHome(bot, 'U0ACME0099', { teamId: ACME.team });
    expect(JSON.stringify(other)).toContain('Welcome to roundup');
    expect(buttonsOf(other)).toEqual([]);
  });
});

describe('the App Home’s Publish button', () => {
  const REPO = 'cloudnativelondon/site';
  let bot: TestBot;
  let github: FakeGitHub;
  beforeEach(async () => {
    github = await FakeGitHub.start();
    github.addRepo(REPO, { '_config.yml': 'title: CNL\n' });
    bot = await TestBot.start({ env: { GITHUB_TOKEN: github.token, GITHUB_API_URL: github.apiUrl } });
  });
  afterEach(async () => {
    await bot.stop();
    await github.stop();
  });

  it('appears once a site is connected and a draft made, and publishes as the draft’s button does', async () => {
    const evening = await playEvening(bot, november);
    await openHome(bot, ORGANISER);
    expect(buttonsOf(bot.slack.homeView(ORGANISER)).map((b) => b.text)).not.toContain('Publish');
    await submitAndSettle(bot, await clickToOpen(bot, 'Site'), {
      [SITE.kind]: input.staticSelect('github'),
      [SITE.repository]: input.text(REPO),
      [SITE.branch]: input.text('main'),
      [SITE.postsFolder]: input.text('_posts'),
      [SITE.imagesFolder]: input.text('images'),
      [SITE.maxPhotoWidth]: input.text('1600'),
    });
    const publish = buttonsOf(bot.slack.homeView(ORGANISER)).find((b) => b.text === 'Publish');
    expect(publish).toMatchObject({ actionId: ACTION.draftPublish });
    await click(bot, 'Publish');
    await bot.settled();
    expect(github.pulls(REPO)).toHaveLength(1);
    const thread = bot.slack
      .callsTo('chat.postMessage')
      .filter((c) => c.args.channel === evening.organisersChannel && c.args.thread_ts === evening.draft.ts)
      .map((c) => String(c.args.text));
    expect(thread.some((t) => t.includes('pull request #1'))).toBe(true);
  });
});
