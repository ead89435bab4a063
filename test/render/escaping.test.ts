import MarkdownIt from 'markdown-it';

type Token = MarkdownIt.Token;

import YAML from 'yaml';
import { roundupSchema } from '../../src/domain/meetup';
import { renderPost } from '../../src/render/render-post';
import { roundupJson } from '../support/fixtures';
import { NASTY } from '../support/nasty-inputs';

/**
 * Whatever people type must come out as typed and must not change the post: we put each nasty input into
 * every text field of a real meetup, render it, and read the post back with a real YAML parser and a real
 * CommonMark parser (raw HTML enabled, as Jekyll allows it).
 */

type Json = ReturnType<typeof roundupJson>;
type Talk = { speakers: Record<string, unknown>[]; takeaways: unknown[]; [k: string]: unknown };

/** Where a one-line input can go: each setter writes `v` into one text field of the November meetup. */
const LINE_FIELDS: Record<string, (j: Json, v: string) => void> = {
  'group name': (j, v) => {
    j.group.name = v;
  },
  signature: (j, v) => {
    j.group.signature = v;
  },
  'host name': (j, v) => {
    (j.meetup.host as Record<string, unknown>).name = v;
  },
  'venue name': (j, v) => {
    (j.meetup.venue as Record<string, unknown>).name = v;
  },
  'sponsor name': (j, v) => {
    (j.meetup.sponsors as Record<string, unknown>[])[0]!.name = v;
  },
  'speaker name': (j, v) => {
    talks(j)[0]!.speakers[0]!.name = v;
  },
  company: (j, v) => {
    talks(j)[1]!.speakers[0]!.company = v;
  },
  'talk title': (j, v) => {
    talks(j)[2]!.title = v;
  },
  'photo alt text': (j, v) => {
    (talks(j)[0]!.photo as Record<string, unknown>).alt = v;
  },
  'next meetup company': (j, v) => {
    ((j.meetup.next as Record<string, unknown>).companies as string[])[0] = v;
  },
};

/** Prose fields: organisers may write links and placeholders there, so inputs that use them are left out. */
const PROSE_FIELDS: Record<string, (j: Json, v: string) => void> = {
  intro: (j, v) => {
    j.meetup.intro = v;
  },
  'extra paragraph': (j, v) => {
    j.meetup.extras = [v];
  },
  'next meetup notes': (j, v) => {
    (j.meetup.next as Record<string, unknown>).notes = v;
  },
  // Takeaways are prose too (rich text brings links and emphasis into them), with no placeholders.
  takeaway: (j, v) => {
    talks(j)[0]!.takeaways[1] = v;
  },
  'nested takeaway': (j, v) => {
    talks(j)[1]!.takeaways[0] = { text: 'Parent', items: [v] };
  },
};

function talks(j: Json): Talk[] {
  return j.meetup.talks as Talk[];
}

function withEverywhere(value: string, prose: boolean): Json {
  const json = roundupJson('2018-11-cloud-native-london');
  // Neutral texts elsewhere, so that the generated sentences do not mention the input themselves.
  (json.meetup.sentences as Record<string, unknown>).talkOrder = 'First up were three talks.';
  for (const set of Object.values(LINE_FIELDS)) set(json, value);
  if (prose) for (const set of Object.values(PROSE_FIELDS)) set(json, value);
  return json;
}

const md = new MarkdownIt({ html: true });

function read(post: string) {
  const match = post.match(/^---\n([\s\S]*?)\n---\n([\s\S]*)$/);
  if (!match) throw new Error('the post has no front matter');
  const front = YAML.parse(match[1] ?? '');
  const tokens = md.parse(match[2] ?? '', {});
  const texts: string[] = [];
  const walk = (list: Token[]) => {
    for (const t of list) {
      if (t.type === 'text' || t.type === 'code_inline') texts.push(t.content);
      if (t.type === 'image') texts.push(t.children?.map((c) => c.content).join('') ?? '');
      if (t.type === 'softbreak') texts.push('\n');
      if (t.children && t.type !== 'image') walk(t.children);
    }
  };
  walk(tokens);
  const structure = tokens
    .filter(
      (t) =>
        t.nesting !== 0 ||
        t.type === 'fence' ||
        t.type === 'code_block' ||
        t.type === 'html_block' ||
        t.type === 'hr',
    )
    .map((t) => t.type);
  const inlineKinds = tokens
    .flatMap((t) => t.children ?? [])
    .map((t) => t.type)
    .filter((k) => k !== 'text' && k !== 'softbreak');
  return {
    front,
    body: match[2] ?? '',
    text: texts.join(''),
    structure,
    inlineKinds,
    html: md.render(match[2] ?? ''),
  };
}

function occurrences(haystack: string, needle: string): number {
  return haystack.split(needle).length - 1;
}

const MARKER = 'Ordinary Words';
const baseline = read(renderPost(roundupSchema.parse(withEverywhere(MARKER, true))).content);
const baselineLineOnly = read(renderPost(roundupSchema.parse(withEverywhere(MARKER, false))).content);

describe.each(NASTY)('typed into every field: %s', (input) => {
  const usesProseSyntax = /\[[^\]]*\]\(https?:|\{[A-Za-z_]+\}/.test(input);
  const json = withEverywhere(input, !usesProseSyntax);
  const checked = roundupSchema.safeParse(json);
  const base = usesProseSyntax ? baselineLineOnly : baseline;

  it('is accepted', () => {
    expect(checked.error?.issues ?? []).toEqual([]);
  });

  const post = checked.success ? renderPost(checked.data) : undefined;
  const parsed = post ? read(post.content) : undefined;

  it('reads back as typed, wherever it was typed', () => {
    expect(parsed?.front.title).toBe(`[Photos] [Nov 2018] ${input} November 2018 Roundup`);
    expect(occurrences(parsed?.text ?? '', input)).toBe(occurrences(base.text, MARKER));
  });

  it('does not change the structure of the post', () => {
    expect(parsed?.structure).toEqual(base.structure);
    expect(parsed?.inlineKinds).toEqual(base.inlineKinds);
  });

  it('leaves nothing for Liquid to execute and no raw HTML', () => {
    expect(parsed?.body).not.toMatch(/\{\{|\{%/);
    expect(parsed?.html).not.toMatch(/<(script|b|!--)[\s>]/);
    expect(post?.path).toMatch(/^_posts\/2018-11-07-[a-z0-9-]+\.md$/);
  });
});

it("keeps a prose field's own links as links and escapes the rest", () => {
  const json = roundupJson('2018-11-cloud-native-london');
  json.meetup.extras = ['Win a *prize*: [enter here](https://prize.example/?a=1&b=2) {{ now }}'];
  const post = renderPost(roundupSchema.parse(json)).content;
  expect(read(post).html).toContain(
    '<p>Win a *prize*: <a href="https://prize.example/?a=1&amp;b=2">enter here</a> {{ now }}</p>',
  );
  expect(post).not.toContain('{{');
});
