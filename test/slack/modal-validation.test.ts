import type { Roundup } from '../../src/domain/meetup';
import { partBlockId } from '../../src/slack/views/form';
import { ASK, MEETUP, NEXT, PHOTO, SETUP, TALK } from '../../src/slack/views/ids';
import { richTextToProse } from '../../src/slack/views/rich-text';
import { eventually, FAKE_DEFAULTS, type OpenedView, TestBot } from '../support/bot';
import { loadRoundup } from '../support/fixtures';
import { meetupValues, nextValues, setupValues, talkValues } from '../support/organiser-evening';
import { type BoltResponse, input, type StateValue } from '../support/slack-requests';

/**
 * Every modal, submitted over HTTP with values an organiser could type: what is wrong shows under its
 * field in words, nothing is saved until it is fixed, and fixing it saves everything else as first typed.
 */

const TEAM = FAKE_DEFAULTS.teamId;
const ORGANISER = FAKE_DEFAULTS.userId;
type Values = Record<string, StateValue>;

/** Organiser-written text that a careless renderer would run or reformat; it must be kept as typed. */
const INJECTED = '{{ site.title }} <script>alert(1)</script> **bold** {% raw %}';

/** The inline errors of a refused submission, each checked to read as a plain sentence. */
function inlineErrors(reply: BoltResponse): Record<string, string> {
  expect(reply.status).toBe(200);
  const body = reply.json as { response_action?: string; errors?: Record<string, string> } | undefined;
  expect(body?.response_action).toBe('errors');
  const errors = body?.errors ?? {};
  for (const message of Object.values(errors)) expectPlainSentence(message);
  return errors;
}

function expectPlainSentence(message: string): void {
  expect(message).toMatch(/^["“A-Z]/);
  expect(message).toMatch(/[.!?]$/);
  expect(message).not.toMatch(/Error:|ZodError|\n\s*at |\bundefined\b|\[object /);
  expect(message).not.toContain('\n');
  expect(message.length).toBeLessThan(250);
}

/** The modal closed: HTTP 200 and an empty body. */
function expectClosed(reply: BoltResponse): void {
  expect(reply.status).toBe(200);
  expect(reply.text).toBe('');
}

const blockIds = (errors: Record<string, string>) => Object.keys(errors).sort();

/** What a reopened modal shows in a field: its initial value, date, time, option or users. */
function initialOf(view: OpenedView, blockId: string): unknown {
  const blocks = view.view.blocks as Array<{ block_id?: string; element?: Record<string, unknown> }>;
  const element = blocks.find((b) => b.block_id === blockId)?.element ?? {};
  const option = element.initial_option as { value?: string } | undefined;
  return (
    element.initial_value ??
    element.initial_date ??
    element.initial_time ??
    option?.value ??
    element.initial_users ??
    element.initial_conversation
  );
}

describe('inline validation of every modal, over HTTP', () => {
  const november: Roundup = loadRoundup('2018-11-cloud-native-london');
  const [kapitan, cortex] = november.meetup.talks;
  let bot: TestBot;
  let organisersChannel: string;

  beforeEach(async () => {
    bot = await TestBot.start();
    organisersChannel = bot.slack.addChannel({ name: 'organisers', isPrivate: true });
  });
  afterEach(async () => {
    await bot.stop();
  });

  async function setUpGroup(): Promise<void> {
    const reply = await bot.submit(
      await bot.open('setup'),
      setupValues(november, organisersChannel, ORGANISER),
    );
    expect(reply.json).toMatchObject({ response_action: 'update' });
  }

  async function startMeetup(): Promise<string> {
    await setUpGroup();
    expectClosed(await bot.submit(await bot.open('new'), meetupValues(november.meetup)));
    const meetup = await bot.store.currentMeetup(TEAM);
    if (!meetup) throw new Error('the meetup was not saved');
    return meetup.id;
  }

  async function talks() {
    return (await bot.store.currentMeetup(TEAM))?.talks ?? [];
  }

  describe('setup', () => {
    it('shows a misspelt time zone and a roster line with a link but no name under their fields, each on its step, then saves the fix', async () => {
      const view = await bot.open('setup');
      const values: Values = {
        ...setupValues(november, organisersChannel, ORGANISER),
        [SETUP.timeZone]: input.externalSelect('Europe/Londn'),
        [SETUP.sponsors]: input.text('StorageOS | https://storageos.com/\n| https://pusher.com/'),
      };

      let reply = await bot.submit(view, values);
      const errors = inlineErrors(reply);
      expect(blockIds(errors)).toEqual([SETUP.timeZone]);
      expect(errors[SETUP.timeZone]).toMatch(
        /^The time zone must be an IANA time zone such as Europe\/London/,
      );
      expect(await bot.store.getGroup(TEAM)).toBeUndefined();

      // The group's step saved, the roster's stops at its line.
      const zoned = { ...values, [SETUP.timeZone]: input.externalSelect('Europe/London') };
      reply = await bot.submit(reply.steps.at(-1) as OpenedView, zoned);
      expect(Object.keys(inlineErrors(reply))).toEqual([SETUP.sponsors]);
      expect(inlineErrors(reply)[SETUP.sponsors]).toMatch(/^Line 2 has a link but no name/);
      expect(await bot.store.getGroup(TEAM)).toMatchObject({ timeZone: 'Europe/London', sponsors: [] });

      const fixed = await bot.submit(reply.steps.at(-1) as OpenedView, {
        ...zoned,
        [SETUP.sponsors]: input.text('StorageOS | https://storageos.com/\nPusher | https://pusher.com/'),
      });
      expect(fixed.status).toBe(200);
      expect(fixed.json).toMatchObject({ response_action: 'update' });
      expect(await bot.store.getGroup(TEAM)).toMatchObject({
        name: 'Cloud Native London',
        timeZone: 'Europe/London',
        signature: 'Cheryl (@oicheryl)',
        location: 'London, UK',
        organisers: [ORGANISER],
        organisersChannel,
        template: 'classic',
        sponsors: [
          { name: 'StorageOS', url: 'https://storageos.com/' },
          { name: 'Pusher', url: 'https://pusher.com/' },
        ],
      });
    });

    it('names each missing or malformed field: group name, signature, channel, a roster link that is not a URL', async () => {
      const view = await bot.open('setup');
      const values: Values = {
        ...setupValues(november, organisersChannel, ORGANISER),
        [SETUP.name]: input.text(null),
        [SETUP.signature]: input.text('   '),
        [SETUP.organisersChannel]: input.conversation(null),
        [SETUP.sponsors]: input.text('StorageOS | storageos dot com'),
      };
      const reply = await bot.submit(view, values);
      const errors = inlineErrors(reply);
      expect(blockIds(errors)).toEqual([SETUP.name, SETUP.signature, SETUP.organisersChannel].sort());
      expect(errors[SETUP.name]).toBe('The group name is missing.');
      expect(errors[SETUP.signature]).toBe('The signature is missing.');
      expect(errors[SETUP.organisersChannel]).toBe('Pick the channel where drafts should be posted.');
      expect(await bot.store.getGroup(TEAM)).toBeUndefined();

      // The roster is on the next step: which line, and what is wrong with it.
      const next = await bot.submit(reply.steps.at(-1) as OpenedView, {
        ...values,
        [SETUP.name]: input.text('Cloud Native London'),
        [SETUP.signature]: input.text('Cheryl'),
        [SETUP.organisersChannel]: input.conversation(organisersChannel),
      });
      expect(Object.keys(inlineErrors(next))).toEqual([SETUP.sponsors]);
      expect(inlineErrors(next)[SETUP.sponsors]).toMatch(
        /sponsor\D*1\b.* must be a full web address starting with https:\/\//i,
      );
      expect((await bot.store.getGroup(TEAM))?.sponsors).toEqual([]);
    });

    it('keeps injected Markdown, HTML and Liquid as typed, and /roundup setup reopens showing what was saved', async () => {
      const name = '{{ site.title }} <b>London</b>';
      const signature = '**Cheryl** <script>alert(1)</script>';
      const reply = await bot.submit(await bot.open('setup'), {
        ...setupValues(november, organisersChannel, ORGANISER),
        [SETUP.name]: input.text(name),
        [SETUP.signature]: input.text(signature),
        [SETUP.sponsors]: input.text('{% raw %}Storage<OS> | https://storageos.com/'),
      });
      expect(reply.json).toMatchObject({ response_action: 'update' });
      const group = await bot.store.getGroup(TEAM);
      expect(group?.name).toBe(name);
      expect(group?.signature).toBe(signature);
      expect(group?.sponsors).toEqual([{ name: '{% raw %}Storage<OS>', url: 'https://storageos.com/' }]);

      const reopened = await bot.openWhole('setup');
      expect(initialOf(reopened, SETUP.name)).toBe(name);
      expect(initialOf(reopened, SETUP.signature)).toBe(signature);
      expect(initialOf(reopened, SETUP.timeZone)).toBe('Europe/London');
      expect(initialOf(reopened, SETUP.organisersChannel)).toBe(organisersChannel);
      expect(initialOf(reopened, SETUP.sponsors)).toBe('{% raw %}Storage<OS> | https://storageos.com/');
    });
  });

  describe('new and edit meetup', () => {
    it('refuses new sponsors that would take the roster past 50 under their field, adding none', async () => {
      await startMeetup();
      const group = (await bot.store.getGroup(TEAM))!;
      const { id: _id, teamId: _team, ...fields } = group;
      const roster = Array.from({ length: 50 }, (_, i) => ({ name: `Sponsor ${i + 1}` }));
      await bot.store.saveGroup(TEAM, { ...fields, sponsors: roster });
      const before = await bot.store.currentMeetup(TEAM);

      const errors = inlineErrors(
        await bot.submit(await bot.open('edit'), {
          ...meetupValues(november.meetup),
          [MEETUP.sponsors]: { type: 'multi_static_select', selected_options: [] },
          [MEETUP.newSponsors]: input.text('Acme | https://acme.example/'),
        }),
      );
      expect(errors).toEqual({
        [MEETUP.newSponsors]:
          'The sponsor roster has more than 50 sponsors. Remove some in /roundup setup to add new ones, or pick these from the roster.',
      });
      expect((await bot.store.getGroup(TEAM))?.sponsors).toEqual(roster);
      // The step before the sponsors' was saved as it was shown: the meetup is as it was.
      expect(await bot.store.currentMeetup(TEAM)).toEqual({ ...before, updatedAt: expect.any(String) });
    });

    it('shows a venue website that is not a URL, a sponsor line without a name and a title over 200 characters, each on its step, keeping the steps already saved, then saves the fix', async () => {
      await setUpGroup();
      const view = await bot.open('new');
      const values: Values = {
        ...meetupValues(november.meetup),
        [MEETUP.venueUrl]: input.text('joinef dot com'),
        [MEETUP.title]: input.text('T'.repeat(201)),
        [MEETUP.newSponsors]: input.text('| https://acme.example/'),
        [MEETUP.intro]: input.text(INJECTED),
      };

      // The first step (the evening) stops at the venue's website; nothing is saved.
      let reply = await bot.submit(view, values);
      expect(inlineErrors(reply)).toEqual({
        [MEETUP.venueUrl]:
          'The venue’s website must be a full web address starting with https:// or http://.',
      });
      expect(await bot.store.currentMeetup(TEAM)).toBeUndefined();

      // Fixed, the evening is saved and the next step stops at the sponsor line.
      const fixed = { ...values, [MEETUP.venueUrl]: input.text('https://www.joinef.com/') };
      reply = await bot.submit(reply.steps.at(-1) as OpenedView, fixed);
      const sponsorErrors = inlineErrors(reply);
      expect(blockIds(sponsorErrors)).toEqual([MEETUP.newSponsors]);
      expect(sponsorErrors[MEETUP.newSponsors]).toMatch(/^Line 1 has a link but no name/);
      expect(await bot.store.currentMeetup(TEAM)).toMatchObject({
        venue: { url: 'https://www.joinef.com/' },
      });
      expect((await bot.store.getGroup(TEAM))?.sponsors.map((s) => s.name)).not.toContain('Acme');

      // Then the title, on the step after.
      const sponsored = { ...fixed, [MEETUP.newSponsors]: input.text('Acme | https://acme.example/') };
      reply = await bot.submit(reply.steps.at(-1) as OpenedView, sponsored);
      expect(inlineErrors(reply)).toEqual({ [MEETUP.title]: 'The title is longer than 200 characters.' });

      expectClosed(
        await bot.submit(reply.steps.at(-1) as OpenedView, {
          ...sponsored,
          [MEETUP.title]: input.text('Cloud Native London, November'),
        }),
      );
      const meetup = await bot.store.currentMeetup(TEAM);
      expect(meetup).toMatchObject({
        date: '2018-11-07',
        startTime: '18:30',
        venue: { name: 'Entrepreneur First', url: 'https://www.joinef.com/', returning: true },
        host: { name: 'Dominique Top', from: 'Docker London' },
        intro: INJECTED,
        headerPhoto: { url: 'https://pbs.twimg.com/media/DrbAqq2XQAI1bh-.jpg' },
        sentences: { title: 'Cloud Native London, November', talkOrder: november.meetup.sentences.talkOrder },
      });
      expect(meetup?.sponsors.map((s) => s.name)).toEqual([
        ...november.meetup.sponsors.map((s) => s.name),
        'Acme',
      ]);
      // A sponsor typed in joins the roster.
      expect((await bot.store.getGroup(TEAM))?.sponsors.map((s) => s.name)).toContain('Acme');
    });

    it('refuses an edit with a video that is not a link and a host’s company without a host, keeps the meetup as it was, and /roundup edit shows the fix', async () => {
      await startMeetup();
      const before = await bot.store.currentMeetup(TEAM);
      const view = await bot.open('edit');
      const values: Values = {
        ...meetupValues(november.meetup),
        [MEETUP.video]: input.text('youtube: cloud native london november'),
        [MEETUP.host]: input.text(null),
        [MEETUP.hostFrom]: input.text('Docker London'),
        [MEETUP.venue]: input.text('<i>Entrepreneur</i> **First**'),
      };

      // The evening's step is saved (the venue as typed); the host's step stops at the host, saving none of it.
      let reply = await bot.submit(view, values);
      expect(inlineErrors(reply)).toEqual({
        [MEETUP.host]: 'Name the host, or leave the host fields empty.',
      });
      const unchanged = await bot.store.currentMeetup(TEAM);
      expect(unchanged?.venue).toEqual({ ...before?.venue, name: '<i>Entrepreneur</i> **First**' });
      expect(unchanged?.host).toEqual(before?.host);

      // With the host named, the next step stops at the video link, and the video is not saved.
      const hosted = { ...values, [MEETUP.host]: input.text('Dominique Top') };
      reply = await bot.submit(reply.steps.at(-1) as OpenedView, hosted);
      expect(inlineErrors(reply)).toEqual({
        [MEETUP.video]: 'The video link must be a full web address starting with https:// or http://.',
      });
      expect((await bot.store.currentMeetup(TEAM))?.video).toBeUndefined();

      expectClosed(
        await bot.submit(reply.steps.at(-1) as OpenedView, {
          ...hosted,
          [MEETUP.video]: input.text('https://www.youtube.com/watch?v=abc'),
        }),
      );
      const edited = await bot.store.currentMeetup(TEAM);
      expect(edited?.id).toBe(before?.id);
      expect(edited).toMatchObject({
        video: 'https://www.youtube.com/watch?v=abc',
        venue: { name: '<i>Entrepreneur</i> **First**', url: 'https://www.joinef.com/' },
        host: { name: 'Dominique Top', from: 'Docker London' },
      });

      const reopened = await bot.openWhole('edit');
      expect(initialOf(reopened, MEETUP.video)).toBe('https://www.youtube.com/watch?v=abc');
      expect(initialOf(reopened, MEETUP.venue)).toBe('<i>Entrepreneur</i> **First**');
      expect(initialOf(reopened, MEETUP.date)).toBe('2018-11-07');
    });
  });

  describe('talk', () => {
    it('refuses a 21st talk under the form, as the store refuses it, keeping the 20', async () => {
      const meetupId = await startMeetup();
      for (let i = 1; i <= 19; i++)
        await bot.store.saveTalk(TEAM, meetupId, { ...kapitan!, title: `Talk ${i}` });
      expectClosed(
        await bot.submit(await bot.open('talk new'), {
          ...talkValues(kapitan!),
          [TALK.title]: input.text('Talk 20'),
        }),
      );
      const view = await bot.open('talk new');
      const values = { ...talkValues(cortex!), [TALK.title]: input.text('Talk 21') };

      expect(inlineErrors(await bot.submit(view, values))).toEqual({
        [TALK.speaker]: 'This meetup already has 20 talks, the most a post can hold.',
      });
      expect((await talks()).map((t) => t.title)).toEqual(
        Array.from({ length: 20 }, (_, i) => `Talk ${i + 1}`),
      );
      await expect(bot.store.saveTalk(TEAM, meetupId, cortex!)).rejects.toMatchObject({
        message: 'This meetup already has 20 talks, the most a post can hold.',
      });

      // With one deleted, the same submission saves.
      await bot.store.deleteTalk(TEAM, meetupId, (await talks())[0]!.id);
      expectClosed(await bot.submit(view, values));
      expect((await talks()).at(-1)?.title).toBe('Talk 21');
    });

    it('names a missing speaker and a missing title, and saves nothing', async () => {
      await startMeetup();
      const view = await bot.open('talk new');
      const errors = inlineErrors(
        await bot.submit(view, {
          ...talkValues(kapitan!),
          [TALK.speaker]: input.text(null),
          [TALK.title]: input.text('  '),
        }),
      );
      expect(blockIds(errors)).toEqual([TALK.speaker, TALK.title].sort());
      expect(errors[TALK.speaker]).toBe('The name is missing.');
      expect(errors[TALK.title]).toBe('The title is missing.');
      expect(await talks()).toEqual([]);
    });

    it('shows takeaways nested 4 deep, a long title, a links line without a link and a javascript: photo link, then saves the fix with everything else as typed', async () => {
      await startMeetup();
      const view = await bot.open('talk new');
      const takeaways = [
        'Kapitan manages deployments',
        '  an inventory is the single source of truth',
        '    jsonnet and Jinja read it',
        '      nested one level too deep',
      ].join('\n');
      const values: Values = {
        ...talkValues(kapitan!),
        [TALK.title]: input.text('K'.repeat(201)),
        [TALK.takeaways]: input.bullets(takeaways),
        [TALK.links]: input.text('Slides | https://example.com/slides\nThe code, on GitHub'),
        [TALK.photoUrl]: input.text('javascript:alert(1)'),
        [partBlockId(TALK.speaker, 2)]: input.text('Ricardo Amaro'),
        [partBlockId(TALK.company, 2)]: input.text('Kapitan'),
        [TALK.lead]: input.text('{who} opened with {{ site.title }} and <script>alert(1)</script>.'),
      };

      // Each step stops at its own problems: the title first, nothing saved.
      let reply = await bot.submit(view, values);
      expect(inlineErrors(reply)).toEqual({ [TALK.title]: 'The title is longer than 200 characters.' });
      expect(await talks()).toEqual([]);
      const titled = { ...values, [TALK.title]: input.text('Deployments with Kapitan') };
      reply = await bot.submit(reply.steps.at(-1) as OpenedView, titled);
      const errors = inlineErrors(reply);
      expect(blockIds(errors)).toEqual([TALK.links, TALK.takeaways].sort());
      expect(errors[TALK.takeaways]).toBe(
        '"nested one level too deep" is nested 4 levels deep; takeaways nest at most 3 levels.',
      );
      expect(errors[TALK.links]).toMatch(/^Line 2 has no link/);
      const listed = {
        ...titled,
        [TALK.takeaways]: input.bullets(takeaways.split('\n').slice(0, 3).join('\n')),
        [TALK.links]: input.text('Slides | https://example.com/slides\nCode | https://github.com/kapicorp'),
      };
      reply = await bot.submit(reply.steps.at(-1) as OpenedView, listed);
      expect(inlineErrors(reply)).toEqual({
        [TALK.photoUrl]: 'The photo link must be a full web address starting with https:// or http://.',
      });

      expectClosed(
        await bot.submit(reply.steps.at(-1) as OpenedView, {
          ...listed,
          [TALK.photoUrl]: input.text('https://pbs.twimg.com/media/DrbCUsFWsAAeunU.jpg'),
        }),
      );
      const [saved, ...others] = await talks();
      expect(others).toEqual([]);
      expect(saved).toMatchObject({
        speakers: [
          { name: 'Alessandro De Maria', company: 'DeepMind Health', pronouns: 'he' },
          { name: 'Ricardo Amaro', company: 'Kapitan' },
        ],
        title: 'Deployments with Kapitan',
        topic: 'managing deployments with Kapitan',
        takeaways: [
          {
            text: 'Kapitan manages deployments',
            items: [
              {
                text: 'an inventory is the single source of truth',
                items: [{ text: 'jsonnet and Jinja read it', items: [] }],
              },
            ],
          },
        ],
        links: [
          { label: 'Slides', url: 'https://example.com/slides' },
          { label: 'Code', url: 'https://github.com/kapicorp' },
        ],
        photo: { url: 'https://pbs.twimg.com/media/DrbCUsFWsAAeunU.jpg' },
        lead: '{who} opened with {{ site.title }} and <script>alert(1)</script>.',
      });
    });

    it('refuses under the file input a file Slack describes as a PDF, or as larger than 10 MB', async () => {
      await startMeetup();
      const view = await bot.open('talk new');
      const pdf = bot.slack.addPrivateFile({
        name: 'slides.pdf',
        mimetype: 'application/pdf',
        bytes: Buffer.from('%PDF-1.4\n'),
      });
      const big = bot.slack.addPrivateFile({
        name: 'huge.jpg',
        mimetype: 'image/jpeg',
        bytes: Buffer.alloc(10 * 1024 * 1024 + 1),
      });
      const values: Values = { ...talkValues(kapitan!), [TALK.photoUrl]: input.text(null) };

      const first = await bot.submit(view, {
        ...values,
        [TALK.photoFile]: input.files([bot.slack.fileObject(pdf.id)!]),
      });
      const asPdf = inlineErrors(first);
      expect(blockIds(asPdf)).toEqual([TALK.photoFile]);
      expect(asPdf[TALK.photoFile]).toMatch(/^"slides\.pdf" is not a JPEG, PNG, GIF or WebP image\./);

      // The photo's step, shown again: the file Slack describes as too large is refused too.
      const photoStep = first.steps.at(-1) as OpenedView;
      const second = await bot.submit(photoStep, {
        ...values,
        [TALK.photoFile]: input.files([bot.slack.fileObject(big.id)!]),
      });
      const tooBig = inlineErrors(second);
      expect(blockIds(tooBig)).toEqual([TALK.photoFile]);
      expect(tooBig[TALK.photoFile]).toMatch(/^"huge\.jpg" is larger than 10 MB\./);
      // The steps before the photo's were saved; no photo is.
      expect((await talks()).map((t) => t.photo)).toEqual([undefined]);

      expectClosed(await bot.submit(photoStep, { ...values, [TALK.photoFile]: input.files([]) }));
      expect((await talks()).map((t) => t.title)).toEqual([kapitan!.title]);
    });

    it('keeps injected text as typed, and /roundup talk 1 reopens showing the saved talk', async () => {
      await startMeetup();
      const title = `${INJECTED} Kapitan`;
      const takeaways = '**Kapitan** is <b>open source</b>\n  {{ page.url }} stays as typed';
      expectClosed(
        await bot.submit(await bot.open('talk new'), {
          ...talkValues(cortex!),
          [TALK.title]: input.text(title),
          [TALK.takeaways]: input.bullets(takeaways),
          [TALK.company]: input.text('<Grafana> Labs'),
        }),
      );
      const [saved] = await talks();
      expect(saved?.title).toBe(title);
      expect(saved?.speakers[0]?.company).toBe('<Grafana> Labs');
      expect(saved?.takeaways).toEqual([
        {
          text: '**Kapitan** is <b>open source</b>',
          items: [{ text: '{{ page.url }} stays as typed', items: [] }],
        },
      ]);

      const reopened = await bot.openWhole('talk 1');
      expect(reopened.view.title).toMatchObject({ text: 'Edit the talk' });
      expect(initialOf(reopened, TALK.speaker)).toBe('Tom Wilkie');
      expect(initialOf(reopened, TALK.company)).toBe('<Grafana> Labs');
      expect(initialOf(reopened, TALK.pronouns)).toBe('he');
      expect(initialOf(reopened, TALK.title)).toBe(title);
      expect(initialOf(reopened, TALK.topic)).toBe(cortex!.topic);
      // The takeaways reopen as the rich-text list they are saved as.
      expect(richTextToProse(initialOf(reopened, TALK.takeaways) as never)).toContain(
        '{{ page.url }} stays as typed',
      );
      expect(initialOf(reopened, TALK.photoUrl)).toBe(cortex!.photo?.url);
    });

    it('answers a form whose meetup cannot be found in plain words, never with a stack or an error name', async () => {
      await startMeetup();
      const talkView = await bot.open('talk new');
      const lost = inlineErrors(
        await bot.submit({ ...talkView, privateMetadata: '{"meetupId":' }, talkValues(kapitan!)),
      );
      expect(blockIds(lost)).toEqual([TALK.speaker]);
      expect(lost[TALK.speaker]).toBe(
        'The meetup or talk this form changes was deleted in the meantime, so it could not be saved.',
      );
      expect(await talks()).toEqual([]);

      // The photo form fails while saving: the stack goes to the log, the generic answer to the form.
      // The bot's log lines go to standard output (LOG_FORMAT's logger).
      const log = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
      const photoView = await bot.open('photo');
      const failed = inlineErrors(
        await bot.submit(
          { ...photoView, privateMetadata: JSON.stringify({ meetupId: 'no-such-meetup' }) },
          {
            [PHOTO.role]: input.staticSelect('other'),
            [PHOTO.urls]: input.text('https://example.com/a.jpg'),
          },
        ),
      );
      expect(blockIds(failed)).toEqual([PHOTO.files]);
      expect(failed[PHOTO.files]).toMatch(/^Something went wrong saving this\. Nothing you typed is lost/);
      expect(log.mock.calls.flat().join(' ')).toContain('saving photo_modal failed');
      log.mockRestore();
    });
  });

  describe('photo', () => {
    it('asks for a file or a link when given neither, refuses a javascript: link and two header photos, then adds the fix', async () => {
      const meetupId = await startMeetup();
      const view = await bot.open('photo');
      const values: Values = {
        [PHOTO.role]: input.staticSelect('group'),
        [PHOTO.files]: input.files([]),
        [PHOTO.urls]: input.text(null),
        [PHOTO.alt]: input.text('Everyone <script>alert(1)</script> **waving**'),
      };

      const neither = inlineErrors(await bot.submit(view, values));
      expect(blockIds(neither)).toEqual([PHOTO.files]);
      expect(neither[PHOTO.files]).toBe('Upload a photo here, or give a link below.');

      const script = inlineErrors(
        await bot.submit(view, {
          ...values,
          [PHOTO.urls]: input.text('https://example.com/a.jpg\njavascript:alert(1)'),
        }),
      );
      expect(blockIds(script)).toEqual([PHOTO.urls]);
      expect(script[PHOTO.urls]).toBe('Line 2 must be a full web address starting with https:// or http://.');

      const twoHeaders = inlineErrors(
        await bot.submit(view, {
          ...values,
          [PHOTO.role]: input.staticSelect('header'),
          [PHOTO.urls]: input.text('https://example.com/a.jpg\nhttps://example.com/b.jpg'),
        }),
      );
      expect(blockIds(twoHeaders)).toEqual([PHOTO.role]);
      expect(twoHeaders[PHOTO.role]).toMatch(/one header photo/);

      const pdf = bot.slack.addPrivateFile({
        name: 'plan.pdf',
        mimetype: 'application/pdf',
        bytes: Buffer.from('%PDF-1.4\n'),
      });
      const asPdf = inlineErrors(
        await bot.submit(view, { ...values, [PHOTO.files]: input.files([bot.slack.fileObject(pdf.id)!]) }),
      );
      expect(blockIds(asPdf)).toEqual([PHOTO.files]);
      expect(asPdf[PHOTO.files]).toMatch(/^"plan\.pdf" is not a JPEG, PNG, GIF or WebP image\./);

      const unchanged = await bot.store.getMeetup(TEAM, meetupId);
      expect(unchanged?.photos).toEqual([]);
      expect(unchanged?.headerPhoto).toMatchObject({
        url: 'https://pbs.twimg.com/media/DrbAqq2XQAI1bh-.jpg',
      });

      expectClosed(
        await bot.submit(view, {
          ...values,
          [PHOTO.urls]: input.text('https://example.com/a.jpg\nhttps://example.com/b.jpg'),
        }),
      );
      expect((await bot.store.getMeetup(TEAM, meetupId))?.photos).toEqual([
        {
          role: 'group',
          url: 'https://example.com/a.jpg',
          alt: 'Everyone <script>alert(1)</script> **waving**',
        },
        {
          role: 'group',
          url: 'https://example.com/b.jpg',
          alt: 'Everyone <script>alert(1)</script> **waving**',
        },
      ]);
    });
  });

  describe('next meetup', () => {
    it('refuses a date before this meetup and an RSVP link that is not a URL together, saves nothing, then saves the fix', async () => {
      const meetupId = await startMeetup();
      const view = await bot.open('next');
      const values: Values = {
        ...nextValues(november.meetup),
        [NEXT.date]: input.date('2018-11-01'),
        [NEXT.rsvpUrl]: input.text('meetup.com/Cloud-Native-London'),
        [NEXT.notes]: input.text(`Hosted by Monzo ${INJECTED}`),
      };

      const errors = inlineErrors(await bot.submit(view, values));
      expect(blockIds(errors)).toEqual([NEXT.date, NEXT.rsvpUrl].sort());
      expect(errors[NEXT.date]).toBe('The next meetup must come after this one (2018-11-07).');
      expect(errors[NEXT.rsvpUrl]).toBe(
        'The RSVP link must be a full web address starting with https:// or http://.',
      );
      expect((await bot.store.getMeetup(TEAM, meetupId))?.next).toBeUndefined();

      const sameDay = inlineErrors(
        await bot.submit(view, {
          ...values,
          [NEXT.date]: input.date('2018-11-07'),
          [NEXT.rsvpUrl]: input.text('https://www.meetup.com/Cloud-Native-London/'),
        }),
      );
      expect(blockIds(sameDay)).toEqual([NEXT.date]);

      const noDate = inlineErrors(
        await bot.submit(view, {
          ...values,
          [NEXT.date]: input.date(null),
          [NEXT.rsvpUrl]: input.text('https://www.meetup.com/Cloud-Native-London/'),
        }),
      );
      expect(blockIds(noDate)).toEqual([NEXT.date]);
      expect(noDate[NEXT.date]).toBe('The date is missing.');
      expect((await bot.store.getMeetup(TEAM, meetupId))?.next).toBeUndefined();

      expectClosed(
        await bot.submit(view, {
          ...values,
          [NEXT.date]: input.date('2018-12-12'),
          [NEXT.rsvpUrl]: input.text('https://www.meetup.com/Cloud-Native-London/'),
        }),
      );
      expect((await bot.store.getMeetup(TEAM, meetupId))?.next).toMatchObject({
        date: '2018-12-12',
        startTime: '18:30',
        venue: 'Monzo',
        companies: ['Paybase', 'Double Negative', 'Google'],
        rsvpUrl: 'https://www.meetup.com/Cloud-Native-London/',
        notes: `Hosted by Monzo ${INJECTED}`,
      });

      const reopened = await bot.open('next');
      expect(initialOf(reopened, NEXT.date)).toBe('2018-12-12');
      expect(initialOf(reopened, NEXT.rsvpUrl)).toBe('https://www.meetup.com/Cloud-Native-London/');
      // The note reopens as the rich text it was typed as, Liquid and tags as words.
      expect(richTextToProse(initialOf(await bot.openWhole('next'), NEXT.notes) as never)).toBe(
        `Hosted by Monzo ${INJECTED}`,
      );
    });

    it('leaves the start time empty until one is given, and then the reminders name no time', async () => {
      await bot.stop();
      // A clock before the next meetup, so that its reminders are still to come.
      bot = await TestBot.start({ now: () => new Date('2018-11-08T12:00:00Z') });
      organisersChannel = bot.slack.addChannel({ name: 'organisers', isPrivate: true });
      const meetupId = await startMeetup();
      const view = await bot.open('next');
      const blocks = view.view.blocks as Array<{ block_id?: string; optional?: boolean; element?: object }>;
      const picker = blocks.find((b) => b.block_id === NEXT.startTime);
      expect(picker?.optional).toBe(true);
      expect(picker?.element).not.toHaveProperty('initial_time');

      expectClosed(
        await bot.submit(view, {
          ...nextValues(november.meetup),
          [NEXT.startTime]: input.time(null),
          [NEXT.channels]: input.conversations([organisersChannel]),
        }),
      );
      const next = (await bot.store.getMeetup(TEAM, meetupId))?.next;
      expect(next?.date).toBe('2018-12-12');
      expect(next).not.toHaveProperty('startTime');
      const preview = JSON.stringify((await bot.command('remind preview')).reply.json);
      expect(preview).toContain('is next week: *Wednesday 12 December*, at Monzo.');
      expect(preview).not.toContain('18:30');
      expect(initialOf(await bot.open('next'), NEXT.startTime)).toBeUndefined();

      // A time given is kept, and shown when the form is opened again.
      expectClosed(
        await bot.submit(await bot.open('next'), {
          ...nextValues(november.meetup),
          [NEXT.startTime]: input.time('19:00'),
        }),
      );
      expect(initialOf(await bot.open('next'), NEXT.startTime)).toBe('19:00');
    });
  });

  describe('ask a speaker', () => {
    it('asks for the speaker when none is picked, sends nothing, then asks once fixed', async () => {
      await startMeetup();
      expectClosed(await bot.submit(await bot.open('talk new'), talkValues(kapitan!)));
      const [talk] = await talks();
      bot.slack.addUser({ id: 'U0SPEAK001', name: 'alessandro' });
      const view = await bot.open('ask');
      const values: Values = { [ASK.speaker]: input.user(null), [ASK.talk]: input.staticSelect(talk!.id) };

      const errors = inlineErrors(await bot.submit(view, values));
      expect(blockIds(errors)).toEqual([ASK.speaker]);
      expect(errors[ASK.speaker]).toBe('Pick the speaker to ask.');
      const noTalk = inlineErrors(
        await bot.submit(view, {
          [ASK.speaker]: input.user('U0SPEAK001'),
          [ASK.talk]: input.staticSelect(null),
        }),
      );
      expect(blockIds(noTalk)).toEqual([ASK.talk]);
      expect(noTalk[ASK.talk]).toBe('Pick their talk from the list.');
      const meetup = await bot.store.currentMeetup(TEAM);
      expect(await bot.store.listAsks(TEAM, meetup!.id)).toEqual([]);
      expect(bot.dms('U0SPEAK001')).toEqual([]);

      expectClosed(await bot.submit(view, { ...values, [ASK.speaker]: input.user('U0SPEAK001') }));
      const [ask, ...more] = await bot.store.listAsks(TEAM, meetup!.id);
      expect(more).toEqual([]);
      expect(ask).toMatchObject({
        talkId: talk!.id,
        userId: 'U0SPEAK001',
        askedBy: ORGANISER,
        status: 'waiting',
      });
      // Only the fixed submission reached the speaker.
      await eventually(() => expect(bot.dms('U0SPEAK001')).toHaveLength(1));
    });
  });
});
