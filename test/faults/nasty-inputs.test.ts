import MarkdownIt from 'markdown-it';
import YAML from 'yaml';
import { MEETUP, TALK } from '../../src/slack/views/ids';
import { FAKE_DEFAULTS, TestBot } from '../support/bot';
import { loadRoundup } from '../support/fixtures';
import { NASTY } from '../support/nasty-inputs';
import { meetupValues, nextValues, setupValues, talkValues } from '../support/organiser-evening';
import { input } from '../support/slack-requests';

/**
 * Every text field of the forms filled with what people may type (Markdown, HTML, YAML, Liquid, emoji,
 * combining characters, right-to-left text) or with far too much of it: each form answers with a clear
 * error or saves it, and the draft that follows is a post that parses, shows the text and runs nothing.
 */
const TEAM = FAKE_DEFAULTS.teamId;
const november = loadRoundup('2018-11-cloud-native-london');
const TOO_LONG = 'x'.repeat(5000);

describe('nasty and oversized input through the forms', () => {
  let bot: TestBot;
  beforeAll(async () => {
    bot = await TestBot.start();
    const organisers = bot.slack.addChannel({ name: 'organisers' });
    await bot.submit(await bot.open('setup'), setupValues(november, organisers, FAKE_DEFAULTS.userId));
    await bot.submit(await bot.open('new'), meetupValues(november.meetup));
    await bot.submit(await bot.open('next'), nextValues(november.meetup));
  });
  afterAll(async () => {
    await bot.stop();
  });

  it.each([
    [TALK.speaker, 'The name'],
    [TALK.company, 'The company'],
    [TALK.title, 'The title'],
    [TALK.topic, 'The phrase'],
    [TALK.takeaways, 'Takeaway 1'],
    [TALK.lead, 'The sentence'],
    [TALK.photoUrl, 'The photo link'],
  ])('refuses 5,000 characters in %s by name, keeping the rest', async (block, what) => {
    const reply = await bot.submit(await bot.open('talk new'), {
      ...talkValues(november.meetup.talks[0]!),
      [block]: input.text(TOO_LONG),
    });
    const errors = (reply.json as { errors: Record<string, string> }).errors;
    expect(Object.keys(errors)).toEqual([block]);
    expect(errors[block]).toMatch(
      new RegExp(`^${what} (is longer than \\d+ characters|must be a full web address)`),
    );
  });

  it.each(NASTY.map((text, i) => [i, text]))(
    'saves nasty input %i in every field of a talk and the meetup, and drafts a sound post',
    async (_i, text) => {
      const talk = await bot.submit(await bot.open('talk new'), {
        ...talkValues(november.meetup.talks[0]!),
        [TALK.speaker]: input.text(text),
        [TALK.company]: input.text(text),
        [TALK.title]: input.text(text),
        [TALK.topic]: input.text(text),
        [TALK.takeaways]: input.bullets(`${text}\n  ${text}`),
      });
      expect(talk.text).toBe('');
      const edit = await bot.submit(await bot.open('edit'), {
        ...meetupValues(november.meetup),
        [MEETUP.venue]: input.text(text),
        [MEETUP.host]: input.text(text),
        [MEETUP.intro]: input.text(text),
        [MEETUP.title]: input.text(text),
      });
      // Prose fields read [label](url) as a link and {name} as a placeholder: a clear error is the other answer.
      if (edit.text !== '') {
        expect(JSON.stringify(edit.json)).toMatch(/"response_action":"errors"/);
        expect(JSON.stringify(edit.json)).not.toMatch(/Error:|Zod|at .*\.ts/);
      }

      const before = bot.slack.uploads.length;
      await bot.command('draft');
      // The whole draft, saved after its files are uploaded, before the next input drafts again.
      await bot.settled();
      expect(bot.slack.uploads.length).toBe(before + 2);
      const md = bot.slack.uploads
        .slice(before)
        .find((u) => u.filename.endsWith('.md'))!
        .bytes.toString('utf8');
      const [, front, body] = /^---\n([\s\S]*?)\n---\n([\s\S]*)$/.exec(md) ?? [];
      expect(YAML.parse(front ?? '')).toMatchObject({ layout: 'post' });
      expect(body).not.toMatch(/\{\{|\{%/);
      const html = new MarkdownIt({ html: true }).render(body ?? '');
      expect(html).not.toMatch(/<script/i);
      const textOnly = html
        .replace(/<[^>]+>/g, '')
        .replace(/&amp;/g, '&')
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>')
        .replace(/&quot;/g, '"')
        .replace(/&#123;/g, '{');
      // The speaker's name as typed, whatever it holds (the bullets of a takeaway line are the form's own syntax).
      expect(textOnly).toContain(text.trim());

      // Tidy up for the next input: this talk goes.
      const meetup = (await bot.store.currentMeetup(TEAM))!;
      await bot.store.deleteTalk(TEAM, meetup.id, meetup.talks.at(-1)!.id);
    },
  );
});
