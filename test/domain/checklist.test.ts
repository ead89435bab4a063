import { buildChecklist, type ChecklistItem } from '../../src/domain/checklist';
import { type Meetup, meetupSchema } from '../../src/domain/meetup';
import { loadRoundup } from '../support/fixtures';

/** The November 2018 meetup: everything the post needs is there. */
const november = (): Meetup => loadRoundup('2018-11-cloud-native-london').meetup;

function withTalk(meetup: Meetup, index: number, changes: Partial<Meetup['talks'][number]>): Meetup {
  return { ...meetup, talks: meetup.talks.map((t, i) => (i === index ? { ...t, ...changes } : t)) };
}

const blocking = (items: ChecklistItem[]) => items.filter((i) => i.blocking).map((i) => i.text);
const texts = (items: ChecklistItem[]) => items.map((i) => i.text);

describe('the checklist', () => {
  it('has nothing left to do for the November 2018 meetup', () => {
    expect(buildChecklist(november())).toEqual([]);
  });

  it('blocks on a talk without takeaways, naming the talk by number and title', () => {
    const items = buildChecklist(withTalk(november(), 1, { takeaways: [] }));
    expect(blocking(items)).toEqual([
      'Talk 2 (“Cortex: Horizontally Scalable, Highly Available Prometheus Monitoring”) has no takeaways.',
    ]);
  });

  it('blocks on a missing next meetup', () => {
    const { next: _next, ...meetup } = november();
    expect(blocking(buildChecklist(meetup))).toEqual(['No next meetup: add it with `/roundup next`.']);
  });

  it('blocks on a meetup without talks, and lists nothing per talk', () => {
    const items = buildChecklist({ ...november(), talks: [] });
    expect(blocking(items)).toEqual(['No talks yet: add them with `/roundup talk`.']);
    expect(items.map((i) => i.key)).toEqual(['talks']);
  });

  it('lists a waiting speaker by user, after what the organisers can fix themselves, without blocking', () => {
    const { next: _next, ...meetup } = november();
    const items = buildChecklist(meetup, [
      { userId: 'U0SPEAKER1', talkTitle: 'Deployments with Kapitan' },
      { userId: 'U0SPEAKER2', talkTitle: 'Cortex' },
    ]);

    expect(items.slice(-2)).toEqual([
      expect.objectContaining({
        userId: 'U0SPEAKER1',
        text: 'has not filled in “Deployments with Kapitan” yet.',
        blocking: false,
      }),
      expect.objectContaining({
        userId: 'U0SPEAKER2',
        text: 'has not filled in “Cortex” yet.',
        blocking: false,
      }),
    ]);
    expect(items[0]?.text).toBe('No next meetup: add it with `/roundup next`.');
    expect(items.filter((i) => i.userId === undefined)).toHaveLength(1);
  });

  it('notes, without blocking, a talk photo missing or still being fetched from Slack', () => {
    let meetup = withTalk(november(), 0, { photo: undefined });
    meetup = withTalk(meetup, 2, { photo: { role: 'talk', slackFile: { id: 'F0PHOTO001' } } });

    const items = buildChecklist(meetup);

    expect(texts(items)).toEqual([
      'Talk 1 (“Deployments with Kapitan”) has no speaker photo.',
      'Talk 3 (“creating Kubernetes operators for fun and profit”): its photo is still being fetched from Slack.',
    ]);
    expect(blocking(items)).toEqual([]);
  });

  it('asks for a topic phrase only when there is no sentence walking through the talks', () => {
    const meetup = withTalk(november(), 0, { topic: undefined });
    expect(buildChecklist(meetup)).toEqual([]);

    const items = buildChecklist({ ...meetup, sentences: {} });
    expect(texts(items)).toEqual([
      'Talk 1 (“Deployments with Kapitan”) has no topic phrase for the sentence that walks through the talks.',
    ]);
  });

  it('lists what a bare new meetup lacks, blocking items among them, in the order to fix them', () => {
    const items = buildChecklist(meetupSchema.parse({ date: '2019-01-09' }));
    expect(items.map((i) => [i.key, i.blocking])).toEqual([
      ['talks', true],
      ['header-photo', false],
      ['intro', false],
      ['venue', false],
      ['sponsors', false],
      ['next', true],
    ]);
  });

  it('notes a next meetup without an RSVP link, unless the organisers wrote its paragraph', () => {
    const meetup = november();
    const next = {
      channels: [],
      cancelled: false,
      ...meetup.next,
      date: '2018-12-12',
      companies: [],
      rsvpUrl: undefined,
    };
    expect(texts(buildChecklist({ ...meetup, next }))).toEqual(['The next meetup has no RSVP link.']);
    expect(buildChecklist({ ...meetup, next: { ...next, text: 'Watch this space for {date}.' } })).toEqual(
      [],
    );
  });
});
