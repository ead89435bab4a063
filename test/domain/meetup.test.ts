import { groupSchema, meetupSchema, roundupSchema, talkSchema } from '../../src/domain/meetup';
import { check, describeProblems } from '../../src/domain/validate';
import { roundupJson } from '../support/fixtures';

function problemsOf(schema: Parameters<typeof check>[0], input: unknown) {
  const result = check(schema, input);
  return result.ok ? [] : result.problems;
}

describe('the model', () => {
  it('accepts the house-style fixtures and fills in defaults', () => {
    const nov = check(roundupSchema, roundupJson('2018-11-cloud-native-london'));
    expect(nov.ok).toBe(true);
    if (!nov.ok) return;
    expect(nov.value.group.template).toBe('classic');
    expect(nov.value.group.sponsors).toEqual([]);
    expect(nov.value.meetup.talks[0]?.takeaways[0]).toEqual({
      text: 'Kapitan is an open source tool that allows to manage every aspect of deployments to Kubernetes or Terraform.',
      items: [],
    });
    expect(nov.value.meetup.talks[0]?.photo?.role).toBe('talk');
    expect(nov.value.meetup.headerPhoto?.role).toBe('header');
  });

  it('names each field that is wrong and says what is wrong in plain words', () => {
    const problems = problemsOf(roundupSchema, {
      group: { name: '   ', signature: 'Cheryl', timeZone: 'Europe/Londn' },
      meetup: {
        date: '2018-02-30',
        startTime: '25:00',
        sponsors: [{ name: 'Acme', url: 'javascript:alert(1)' }],
        talks: [
          { speakers: [], title: 'x'.repeat(201) },
          { speakers: [{ name: 'Al', pronouns: 'it' }], title: 'Ok', tittle: 'typo' },
        ],
        next: { date: '2018-12-12', rsvpUrl: 'meetup.com/x' },
      },
    });
    expect(problems).toEqual([
      { path: 'group.name', message: 'is empty' },
      {
        path: 'group.timeZone',
        message: 'must be an IANA time zone such as Europe/London or Pacific/Auckland',
      },
      { path: 'meetup.date', message: 'must be a real date written YYYY-MM-DD, for example 2018-11-07' },
      {
        path: 'meetup.startTime',
        message: 'must be a time written HH:MM on the 24-hour clock, for example 18:30',
      },
      {
        path: 'meetup.sponsors[0].url',
        message: 'must be a full web address starting with https:// or http://',
      },
      { path: 'meetup.talks[0].speakers', message: 'needs at least one speaker' },
      { path: 'meetup.talks[0].title', message: 'is longer than 200 characters' },
      { path: 'meetup.talks[1].speakers[0].pronouns', message: 'must be he, she or they' },
      { path: 'meetup.talks[1]', message: 'has a field it does not know: tittle' },
      {
        path: 'meetup.next.rsvpUrl',
        message: 'must be a full web address starting with https:// or http://',
      },
    ]);
  });

  it('bounds every list and every text', () => {
    const many = Array.from({ length: 21 }, (_, i) => ({ speakers: [{ name: `S${i}` }], title: `T${i}` }));
    expect(problemsOf(meetupSchema, { date: '2026-01-01', talks: many })).toEqual([
      { path: 'talks', message: 'has more than 20 talks' },
    ]);
    expect(
      problemsOf(talkSchema, { speakers: [{ name: 'A' }], title: 'T', takeaways: ['y'.repeat(1001)] }),
    ).toEqual([{ path: 'takeaways[0].text', message: 'is longer than 1000 characters' }]);
    expect(
      problemsOf(groupSchema, { name: 'G', signature: 'S', sponsors: Array(51).fill({ name: 'A' }) }),
    ).toEqual([{ path: 'sponsors', message: 'has more than 50 sponsors' }]);
  });

  it('keeps one-line fields on one line and refuses control characters', () => {
    expect(problemsOf(talkSchema, { speakers: [{ name: 'A\nB' }], title: 'bell\u0007' })).toEqual([
      { path: 'speakers[0].name', message: 'must be on one line' },
      { path: 'title', message: 'holds a control character' },
    ]);
  });

  it('limits nesting of takeaways to three levels', () => {
    const deep = { text: 'a', items: [{ text: 'b', items: [{ text: 'c', items: ['d'] }] }] };
    expect(problemsOf(talkSchema, { speakers: [{ name: 'A' }], title: 'T', takeaways: [deep] })).toEqual([
      { path: 'takeaways[0].items[0].items[0].items', message: 'takeaways nest at most 3 levels deep' },
    ]);
    const ok = { text: 'a', items: [{ text: 'b', items: ['c'] }] };
    expect(problemsOf(talkSchema, { speakers: [{ name: 'A' }], title: 'T', takeaways: [ok] })).toEqual([]);
  });

  it('checks the placeholders in organiser-written sentences', () => {
    expect(
      problemsOf(talkSchema, { speakers: [{ name: 'A' }], title: 'T', lead: '{who} spoke on {topic}' }),
    ).toEqual([
      {
        path: 'lead',
        message:
          'uses {topic}, which is not a placeholder here; use {who}, {title}, {titleText}, {titleLink}, {at}, {their}, {Their}, {they}, {They}, {starting}',
      },
    ]);
  });

  it('needs a photo to have a link or a file, and keeps stored files inside the photo folder', () => {
    expect(problemsOf(meetupSchema, { date: '2026-01-01', headerPhoto: { alt: 'x' } })).toEqual([
      { path: 'headerPhoto', message: 'needs a link (url), a path in the site, or an uploaded file' },
    ]);
    expect(
      problemsOf(meetupSchema, {
        date: '2026-01-01',
        headerPhoto: { stored: { file: '../../etc/passwd', mimeType: 'image/jpeg' } },
      }),
    ).toEqual([
      { path: 'headerPhoto.stored.file', message: 'must be a relative path inside the photo folder' },
    ]);
  });

  it('describes problems one per line for the command line', () => {
    expect(
      describeProblems([
        { path: 'meetup.date', message: 'is missing' },
        { path: '', message: 'must be an object' },
      ]),
    ).toBe('meetup.date: is missing\n(top level): must be an object');
  });
});
