import { partBlockId } from '../../src/slack/views/form';
import { MEETUP, NEXT, PHOTO, TALK } from '../../src/slack/views/ids';
import { richTextToProse } from '../../src/slack/views/rich-text';
import { FAKE_DEFAULTS, type OpenedView, TestBot } from '../support/bot';
import type { Json } from '../support/fake-slack';
import { loadRoundup } from '../support/fixtures';
import { meetupValues, nextValues, setupValues, talkValues } from '../support/organiser-evening';
import { input } from '../support/slack-requests';
import { inputBlocksOf } from '../support/views';

/**
 * Every field where people write takes Slack's rich text: what an organiser types there (a list nested a
 * level, a link, bold, italics, code, a mention, Liquid) reaches the post's Markdown as typed and safe, the
 * draft's Slack preview without a ping, and the form reopens with the same rich text.
 */

const november = loadRoundup('2018-11-cloud-native-london');

const text = (t: string, style?: object) => ({ type: 'text', text: t, ...(style ? { style } : {}) });
const section = (...elements: object[]) => ({ type: 'rich_text_section', elements });

/** A field's words, marked with its own `word` so each is found in the post. */
function paragraph(word: string, o: { list?: boolean } = {}) {
  const first = section(
    text(`${word} has `),
    text('bold words', { bold: true }),
    text(', '),
    text('italics', { italic: true }),
    text(' and '),
    { type: 'link', url: `https://example.com/${word.toLowerCase()}`, text: 'a link' },
    text(', thanks to '),
    { type: 'user', user_id: 'U0SPEAKER1' },
    text(' and '),
    { type: 'broadcast', range: 'here' },
    text(' {% include secret.html %} {{ site.title }}'),
  );
  if (!o.list) return { type: 'rich_text', elements: [first] };
  return {
    type: 'rich_text',
    elements: [
      first,
      { type: 'rich_text_list', style: 'bullet', elements: [section(text(`${word} point one`))] },
      {
        type: 'rich_text_list',
        style: 'bullet',
        indent: 1,
        elements: [section(text('nested with '), text('some_code()', { code: true }))],
      },
    ],
  };
}

const FIELDS = {
  intro: paragraph('Intro', { list: true }),
  extras: paragraph('Extras', { list: true }),
  section: paragraph('Section', { list: true }),
  talkOrder: paragraph('Order'),
  sponsors: paragraph('Sponsors'),
  closing: paragraph('Closing'),
  lead: paragraph('Lead'),
  after: paragraph('After', { list: true }),
  notes: paragraph('Notes'),
  nextText: paragraph('Nexttext'),
  caption: paragraph('Caption'),
};

const shownRichText = (view: OpenedView, blockId: string) => {
  const element = inputBlocksOf(view.view).find((b) => b.block_id === blockId)?.element;
  expect(element?.type).toBe('rich_text_input');
  return richTextToProse(element?.initial_value as never);
};

describe('rich text in every form, through the fake Slack, into the post and back', () => {
  let bot: TestBot;
  let organisers: string;
  beforeAll(async () => {
    bot = await TestBot.start();
    organisers = bot.slack.addChannel({ name: 'organisers' });
    await bot.submit(await bot.open('setup'), setupValues(november, organisers, FAKE_DEFAULTS.userId));
    const meetup = november.meetup;
    await bot.submit(await bot.open('new'), {
      ...meetupValues(meetup),
      [MEETUP.intro]: input.richText(FIELDS.intro),
      [MEETUP.extras]: input.richText(FIELDS.extras),
      [partBlockId(MEETUP.sectionHeading, 1)]: input.text('From the organisers'),
      [partBlockId(MEETUP.sectionText, 1)]: input.richText(FIELDS.section),
      [MEETUP.talkOrder]: input.richText(FIELDS.talkOrder),
      [MEETUP.sponsorsSentence]: input.richText(FIELDS.sponsors),
      [MEETUP.closing]: input.richText(FIELDS.closing),
    });
    await bot.submit(await bot.open('talk new'), {
      ...talkValues(meetup.talks[0]!),
      [TALK.lead]: input.richText(FIELDS.lead),
      [TALK.after]: input.richText(FIELDS.after),
    });
    await bot.submit(await bot.open('next'), {
      ...nextValues(meetup),
      [NEXT.notes]: input.richText(FIELDS.notes),
      [NEXT.text]: input.richText(FIELDS.nextText),
    });
    await bot.submit(await bot.open('photo'), {
      [PHOTO.role]: input.staticSelect('group'),
      [PHOTO.files]: input.files([]),
      [PHOTO.urls]: input.text('https://example.com/group.jpg'),
      [PHOTO.alt]: input.text('The group'),
      [PHOTO.caption]: input.richText(FIELDS.caption),
    });
  });
  afterAll(() => bot.stop());

  async function draft(): Promise<{ post: string; preview: string }> {
    const { responseUrl } = await bot.command('draft');
    // The draft's last word: the post uploaded and the message posted.
    await bot.responseTo(responseUrl, (t) => t.includes('Draft 1 posted'), 15_000);
    const upload = bot.slack.uploads.find((u) => u.filename.endsWith('.md'));
    const message = bot.slack.messages(organisers).find((m) => String(m.text).startsWith('Roundup draft'));
    return { post: upload?.bytes.toString('utf8') ?? '', preview: JSON.stringify(message?.blocks ?? []) };
  }

  it('writes each field into the post as typed: emphasis, links, the list nested, Liquid shown not run, no ping', async () => {
    const { post, preview } = await draft();
    for (const word of ['Intro', 'Extras', 'Section', 'Order', 'Sponsors', 'Closing', 'Lead', 'After']) {
      expect(post).toContain(
        `${word} has **bold words**, *italics* and [a link](https://example.com/${word.toLowerCase()})`,
      );
    }
    for (const word of ['Nexttext', 'Caption']) {
      expect(post).toContain(`${word} has **bold words**`);
      expect(post).toContain(`(https://example.com/${word.toLowerCase()})`);
    }
    // The lists: one line an item, the nested one under it, code as code.
    for (const word of ['Intro', 'Extras', 'Section', 'After']) {
      expect(post).toMatch(new RegExp(`${word} point one\\s*\\n[^\\n]*nested with \`some_code\\(\\)\``));
    }
    // Liquid is shown as typed, never run by Jekyll; no mention survives.
    expect(post).not.toMatch(/\{%\s*include secret\.html\s*%\}(?![\s\S]*\{%\s*endraw)/);
    expect(post).not.toContain('<@U0SPEAKER1>');
    expect(post).not.toMatch(/(^|[^\u200B])@here/);
    // The Slack preview names nobody and pings no one.
    expect(preview).toContain('Intro has');
    expect(preview).not.toMatch(/<@U0SPEAKER1|<!here>|<!channel>|<!subteam/);
  });

  it('reopens each form with the rich text it was typed as', async () => {
    const asProse = (value: object) => richTextToProse(value as never);
    const meetup = await bot.openWhole('edit');
    expect(shownRichText(meetup, MEETUP.intro)).toBe(asProse(FIELDS.intro));
    expect(shownRichText(meetup, MEETUP.extras)).toBe(asProse(FIELDS.extras));
    expect(shownRichText(meetup, partBlockId(MEETUP.sectionText, 1))).toBe(asProse(FIELDS.section));
    expect(shownRichText(meetup, MEETUP.closing)).toBe(asProse(FIELDS.closing));
    const talk = await bot.openWhole('talk 1');
    expect(shownRichText(talk, TALK.lead)).toBe(asProse(FIELDS.lead));
    expect(shownRichText(talk, TALK.after)).toBe(asProse(FIELDS.after));
    const next = await bot.openWhole('next');
    expect(shownRichText(next, NEXT.notes)).toBe(asProse(FIELDS.notes));
    expect(shownRichText(next, NEXT.text)).toBe(asProse(FIELDS.nextText));
    // The reopened list is the list typed: a bullet list, and one a level in.
    const lists = (
      (inputBlocksOf(meetup.view).find((b) => b.block_id === MEETUP.extras)?.element.initial_value ??
        {}) as Json
    ).elements as Json[];
    expect(lists.filter((e) => e.type === 'rich_text_list').map((e) => e.indent ?? 0)).toEqual([0, 1]);
  });
});
