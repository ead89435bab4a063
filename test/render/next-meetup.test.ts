import { type RoundupInput, roundupSchema } from '../../src/domain/meetup';
import { renderPost } from '../../src/render/render-post';

/** The post's next-meetup part: from its heading to the sign-off. */
function nextMeetupOf(next: NonNullable<RoundupInput['meetup']['next']>, textFormat?: 'markdown'): string {
  const post = renderPost(
    roundupSchema.parse({
      group: { name: 'Rust Leeds', signature: 'Sam (@sam)', timeZone: 'Europe/London' },
      meetup: { date: '2026-03-18', ...(textFormat ? { textFormat } : {}), next },
    }),
  ).content;
  const from = post.indexOf('## Rust Leeds April');
  return post.slice(from, post.indexOf('Sam (@sam)', from));
}

const RSVP = '[RSVP and save the date now!](https://rsvp.example/april)';

describe('the RSVP link after the next meetup’s paragraph', () => {
  it('starts a paragraph of its own after a paragraph that ends in a bulleted list', () => {
    const part = nextMeetupOf({
      date: '2026-04-15',
      rsvpUrl: 'https://rsvp.example/april',
      text: 'Next month we have:\n• Pizza at six\n• Talks at seven\n  • and a quiz',
    });
    expect(part).toBe(
      `## Rust Leeds April\n\nNext month we have:\n\n* Pizza at six\n* Talks at seven\n  * and a quiz\n\n${RSVP}\n\nSee you soon!\n\n`,
    );
  });

  it('starts a paragraph of its own after the organiser’s Markdown that ends in a list', () => {
    const part = nextMeetupOf(
      {
        date: '2026-04-15',
        rsvpUrl: 'https://rsvp.example/april',
        text: 'Next month we have:\n\n* Pizza at six\n* Talks at seven',
      },
      'markdown',
    );
    expect(part).toContain(`* Talks at seven\n\n${RSVP}\n\n`);
  });

  it('still ends the paragraph’s last sentence when the paragraph is words', () => {
    const part = nextMeetupOf({
      date: '2026-04-15',
      rsvpUrl: 'https://rsvp.example/april',
      text: 'Next month we have pizza.\n\nAnd talks, of course.',
    });
    expect(part).toContain(`Next month we have pizza.\n\nAnd talks, of course. ${RSVP}\n\n`);
  });
});
