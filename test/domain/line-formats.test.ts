import {
  formatLabelledLinks,
  formatNamedLinks,
  formatSpeakers,
  formatTakeaways,
  type Lines,
  parseLabelledLinks,
  parseNamedLinks,
  parseSpeakers,
  parseTakeaways,
} from '../../src/domain/line-formats';
import type { Takeaway } from '../../src/domain/meetup';

/** The items of a parse that must succeed. */
function itemsOf<T>(result: Lines<T>): T[] {
  if (!result.ok) throw new Error(`expected the text to parse, got: ${result.error}`);
  return result.items;
}

function errorOf<T>(result: Lines<T>): string {
  if (result.ok) throw new Error(`expected a refusal, got ${JSON.stringify(result.items)}`);
  return result.error;
}

const leaf = (text: string): Takeaway => ({ text, items: [] });

describe('named links (sponsors)', () => {
  it('reads back what it writes, a name holding a bar included', () => {
    const items = [{ name: 'Red | Hat' }, { name: 'A|B', url: 'https://ab.example/' }, { name: 'Pusher' }];
    expect(itemsOf(parseNamedLinks(formatNamedLinks(items)))).toEqual(items);
  });

  it('reads a name with or without a link, with or without the bar', () => {
    expect(
      itemsOf(
        parseNamedLinks(
          'StorageOS | https://storageos.com/\nPusher\n  Contino   https://www.contino.io/  \nOpsview|https://www.opsview.com/',
        ),
      ),
    ).toEqual([
      { name: 'StorageOS', url: 'https://storageos.com/' },
      { name: 'Pusher' },
      { name: 'Contino', url: 'https://www.contino.io/' },
      { name: 'Opsview', url: 'https://www.opsview.com/' },
    ]);
  });

  it('ignores blank lines and reads Windows line endings', () => {
    expect(
      itemsOf(parseNamedLinks('\r\nStorageOS | https://storageos.com/\r\n\r\n  \r\nPusher\r\n')),
    ).toEqual([{ name: 'StorageOS', url: 'https://storageos.com/' }, { name: 'Pusher' }]);
  });

  it('treats nothing typed as no sponsors', () => {
    expect(itemsOf(parseNamedLinks(undefined))).toEqual([]);
    expect(itemsOf(parseNamedLinks(' \n\t\n'))).toEqual([]);
  });

  it('refuses a link without a name, counting blank lines in the line number', () => {
    expect(errorOf(parseNamedLinks('Pusher\n\nhttps://storageos.com/'))).toBe(
      'Line 3 has a link but no name; write "Name | https://…".',
    );
    expect(errorOf(parseNamedLinks(' | https://storageos.com/'))).toMatch(/^Line 1 /);
  });

  it('reads back what it writes', () => {
    const sponsors = [{ name: 'StorageOS', url: 'https://storageos.com/' }, { name: 'Pusher' }];
    expect(formatNamedLinks(sponsors)).toBe('StorageOS | https://storageos.com/\nPusher');
    expect(itemsOf(parseNamedLinks(formatNamedLinks(sponsors)))).toEqual(sponsors);
  });
});

describe('labelled links', () => {
  it('reads a label and a link, and leaves the label out of a line that is only a link', () => {
    expect(
      itemsOf(
        parseLabelledLinks(
          'See {their} slides [here](https://x.example/s) | https://x.example/s\nhttps://x.example/video\nThe code https://x.example/code',
        ),
      ),
    ).toEqual([
      { label: 'See {their} slides [here](https://x.example/s)', url: 'https://x.example/s' },
      { url: 'https://x.example/video' },
      { label: 'The code', url: 'https://x.example/code' },
    ]);
  });

  it('refuses a line without a link, naming the line', () => {
    expect(errorOf(parseLabelledLinks('https://x.example/a\r\n\r\nSlides'))).toBe(
      'Line 3 has no link; write "Label | https://…".',
    );
  });

  it('reads back what it writes', () => {
    const links = [
      { label: 'See her slides [here](https://x.example/s)', url: 'https://x.example/s' },
      { label: 'Code', url: 'https://x.example/code' },
    ];
    expect(itemsOf(parseLabelledLinks(formatLabelledLinks(links)))).toEqual(links);
  });
});

describe('speakers', () => {
  it('reads a name and an optional company per line', () => {
    expect(itemsOf(parseSpeakers('Tom Wilkie | Grafana Labs\n\n  Ada Lovelace  \nGrace Hopper |'))).toEqual([
      { name: 'Tom Wilkie', company: 'Grafana Labs' },
      { name: 'Ada Lovelace' },
      { name: 'Grace Hopper' },
    ]);
  });

  it('reads pronouns after the company, with or without one', () => {
    expect(
      itemsOf(parseSpeakers('Tom Wilkie | Grafana Labs | he / his\nAda | | she\nGrace | Navy | They/Them')),
    ).toEqual([
      { name: 'Tom Wilkie', company: 'Grafana Labs', pronouns: 'he' },
      { name: 'Ada', pronouns: 'she' },
      { name: 'Grace', company: 'Navy', pronouns: 'they' },
    ]);
    const speakers = [
      { name: 'Tom', company: 'Grafana', pronouns: 'he' as const },
      { name: 'Ada', pronouns: 'she' as const },
      { name: 'Grace', company: 'Navy' },
      { name: 'Anne' },
    ];
    expect(itemsOf(parseSpeakers(formatSpeakers(speakers)))).toEqual(speakers);
  });

  it('refuses a line with three bars, pronouns it does not know, or no name, naming the line', () => {
    expect(errorOf(parseSpeakers('Ada\nTom | Grafana | he | Labs'))).toBe(
      'Line 2 has more than two "|"; write "Name | Company | she".',
    );
    expect(errorOf(parseSpeakers('Tom | Grafana | Labs'))).toBe(
      'Line 1 ends with "Labs"; after the company write he, she or they.',
    );
    expect(errorOf(parseSpeakers('Ada\r\n\r\n | Grafana Labs'))).toBe(
      'Line 3 has no name; write "Name | Company".',
    );
  });
});

describe('takeaways', () => {
  it('reads one takeaway per line, without bullets or numbers', () => {
    expect(itemsOf(parseTakeaways('- Kapitan\n* Cortex\n• Operators\n1. First\n2) Second\nPlain'))).toEqual(
      ['Kapitan', 'Cortex', 'Operators', 'First', 'Second', 'Plain'].map(leaf),
    );
  });

  it('keeps a number that is part of the sentence', () => {
    expect(itemsOf(parseTakeaways('2018 was the year of operators\n3.5 million series'))).toEqual([
      leaf('2018 was the year of operators'),
      leaf('3.5 million series'),
    ]);
  });

  it('nests a line indented with spaces under the line above', () => {
    expect(
      itemsOf(parseTakeaways('Cortex\n  - scales out\n    - with chunks\n  - is in the CNCF\nDone')),
    ).toEqual([
      {
        text: 'Cortex',
        items: [{ text: 'scales out', items: [leaf('with chunks')] }, leaf('is in the CNCF')],
      },
      leaf('Done'),
    ]);
  });

  it('nests a line indented with tabs the same way', () => {
    expect(itemsOf(parseTakeaways('Cortex\n\t- scales out\n\t\t- with chunks\n\t- is in the CNCF'))).toEqual([
      {
        text: 'Cortex',
        items: [{ text: 'scales out', items: [leaf('with chunks')] }, leaf('is in the CNCF')],
      },
    ]);
  });

  it('ignores blank and bullet-only lines, and reads Windows line endings', () => {
    expect(itemsOf(parseTakeaways('\r\nOne\r\n\r\n  Under one\r\n   \r\n- \r\nTwo\r\n'))).toEqual([
      { text: 'One', items: [leaf('Under one')] },
      leaf('Two'),
    ]);
  });

  it('refuses a fourth level, naming its line (blank lines counted)', () => {
    expect(errorOf(parseTakeaways('One\n  Two\n\n    Three\n      Four'))).toBe(
      'Line 5 nests more than 3 levels deep.',
    );
    expect(errorOf(parseTakeaways('One\n\tTwo\n\t\tThree\n\t\t\tFour'))).toBe(
      'Line 4 nests more than 3 levels deep.',
    );
  });

  it('writes nested takeaways as indented lines', () => {
    const takeaways = [
      { text: 'Cortex', items: [{ text: 'scales out', items: [leaf('with chunks')] }] },
      leaf('Done'),
    ];
    expect(formatTakeaways(takeaways)).toBe('Cortex\n  scales out\n    with chunks\nDone');
  });

  it('reads back exactly what it writes, three levels deep', () => {
    const takeaways: Takeaway[] = [
      leaf('Kapitan manages every aspect of deployments.'),
      {
        text: 'The inventory is the single source of truth',
        items: [
          leaf('jsonnet for JSON and YAML'),
          { text: 'Jinja for everything else', items: [leaf('even Terraform'), leaf('and docs')] },
        ],
      },
      { text: 'Secrets', items: [leaf('are managed too')] },
      leaf('Last one'),
    ];
    expect(itemsOf(parseTakeaways(formatTakeaways(takeaways)))).toEqual(takeaways);
  });

  it('treats nothing typed as no takeaways', () => {
    expect(itemsOf(parseTakeaways(undefined))).toEqual([]);
    expect(formatTakeaways([])).toBe('');
  });
});
