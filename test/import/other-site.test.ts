import path from 'node:path';
import { importSite } from '../../src/import/import-site';
import { FIXTURES } from '../support/fixtures';

/** Posts of other shapes (photos in the intro, sections, code, tables, quotes, other front matter) come back too. */
describe('a site written otherwise', () => {
  const site = importSite(path.join(FIXTURES, 'other-site'));

  it('reproduces every post', () => {
    expect(site.posts.map((p) => [p.postName, p.reproduced, p.difference])).toEqual([
      ['2024-03-14-rust-manchester-12', true, undefined],
      ['2025-01-08-cloud-native-london-january-2025', true, undefined],
    ]);
  });

  it('places photos after the part they follow, and a talk’s photo before its lead', () => {
    const meetup = site.posts[1]!.roundup!.meetup;
    expect(meetup.photos).toEqual([
      expect.objectContaining({ path: '/images/2025-01-08-crowd.jpeg', alt: '', after: 'intro' }),
      expect.objectContaining({ path: '/images/2025-01-08-room.jpeg', alt: 'The room', after: 'sponsors' }),
    ]);
    expect(meetup.sections).toEqual([
      { heading: 'An announcement', level: 2, text: 'Something.', after: 'sponsors' },
    ]);
    expect(meetup.talks[1]!.photo).toEqual({ role: 'talk', path: '/images/mid.jpeg', alt: 'Mid' });
    expect(meetup.talks.map((t) => t.speakers[0]!.name)).toEqual(['Ada Lovelace', 'Alan Turing']);
  });

  it('keeps other front matter, code, tables and quotes as written, and says what it guessed', () => {
    const rust = site.posts[0]!;
    expect(rust.roundup!.meetup.frontMatter).toEqual({
      layout: 'post',
      date: '2024-03-14 19:00:00 +0000',
      categories: 'meetups',
      author: 'Sam',
      comments: 'true',
    });
    expect(rust.roundup!.meetup.extras).toContain('```rust\nfn main() {\n    println!("{}", 1);\n\n}\n```');
    expect(rust.notes).toEqual(['line 14: talk 1: its title could not be told from its lead']);
  });
});
