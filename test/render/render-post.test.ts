import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import MarkdownIt from 'markdown-it';
import YAML from 'yaml';
import { type RoundupInput, roundupSchema } from '../../src/domain/meetup';
import { renderPost } from '../../src/render/render-post';
import { asPublished, loadRoundup, REPO, readFixture, roundupJson } from '../support/fixtures';

const CLASSIC = [
  ['2018-11-cloud-native-london', '2018-11-07-cloud-native-london-november-2018'],
  ['2018-09-cloud-native-london', '2018-09-10-cloud-native-london-september-2018'],
  ['2018-12-cloud-native-london', '2018-12-12-cloud-native-london-december-2018'],
] as const;

describe('the classic template reproduces the published posts', () => {
  it.each(CLASSIC)('%s renders to %s.md', (fixture, post) => {
    const rendered = renderPost(loadRoundup(fixture));
    expect(rendered.path).toBe(`_posts/${post}.md`);
    expect(rendered.content).toBe(asPublished(readFixture(`posts/${post}.md`)));
  });

  const shared = path.join(REPO, '..', 'shared', 'house-style');
  const haveShared = fs.existsSync(shared);
  (haveShared ? it.each(CLASSIC) : it.skip.each(CLASSIC))(
    '%s matches the copy in shared/house-style',
    (fixture, post) => {
      const original = fs.readFileSync(path.join(shared, `${post}.md`), 'utf8');
      expect(renderPost(loadRoundup(fixture)).content).toBe(asPublished(original));
    },
  );

  it('renders the example in examples/ to the reference post, so the README command shows it', () => {
    const example = roundupSchema.parse(
      JSON.parse(
        fs.readFileSync(path.join(REPO, 'examples', 'cloud-native-london-november-2018.json'), 'utf8'),
      ),
    );
    expect(renderPost(example).content).toBe(
      asPublished(readFixture('posts/2018-11-07-cloud-native-london-november-2018.md')),
    );
  });

  it('differs when the data differs (the comparison is not vacuous)', () => {
    const json = roundupJson('2018-11-cloud-native-london');
    (json.meetup.talks as { title: string }[])[0]!.title = 'Deployments with Helm';
    const rendered = renderPost(roundupSchema.parse(json));
    expect(rendered.content).not.toBe(
      asPublished(readFixture('posts/2018-11-07-cloud-native-london-november-2018.md')),
    );
    expect(rendered.content).toContain('gave a talk on Deployments with Helm, explaining that:');
  });
});

/** A meetup in which the organiser wrote none of the sentences: everything is generated. */
const organiserFree: RoundupInput = {
  group: { name: 'Rust Leeds', signature: 'Sam (@sam)', timeZone: 'Europe/London' },
  meetup: {
    date: '2026-03-18',
    host: { name: 'Priya Shah', from: 'Leeds Digital' },
    venue: { name: 'Bruntwood', url: 'https://bruntwood.co.uk/' },
    sponsors: [{ name: 'Ferrous', url: 'https://ferrous.example/' }, { name: 'Oxide Tea' }],
    headerPhoto: { url: 'https://photos.example/header.jpg' },
    talks: [
      {
        speakers: [{ name: 'Ada Byron', company: 'Crabworks', pronouns: 'she' }],
        title: 'Async Rust in Anger',
        topic: 'async Rust in production',
        link: { url: 'https://video.example/async', kind: 'video' },
        takeaways: [
          'Pin is less scary than it looks.',
          { text: 'Cancel safety matters:', items: ['select! drops futures'] },
        ],
      },
      {
        speakers: [
          { name: 'Bo Lin', company: 'Mesh Ltd' },
          { name: 'Cy Ode', company: 'Mesh Ltd' },
        ],
        title: 'Embedded without tears',
        topic: 'embedded Rust on tiny boards',
        takeaways: ['Start with a board that has a debugger.'],
        links: [{ url: 'https://slides.example/embedded' }],
      },
      {
        speakers: [{ name: 'Dee Kay', company: 'Kayworks', pronouns: 'he' }],
        title: 'Macros by example',
        takeaways: ['Write the expansion first.'],
      },
    ],
    next: {
      date: '2026-04-15',
      companies: ['Lumen', 'Northcode', 'Tiny Robots'],
      rsvpUrl: 'https://rsvp.example/april',
    },
  },
};

describe('generated sentences, when the organiser wrote none', () => {
  const post = renderPost(roundupSchema.parse(organiserFree)).content;

  it('reads like the house style, part by part', () => {
    expect(post).toBe(`---
layout: post
title: "[Photos] [Videos] [Mar 2026] Rust Leeds March 2026 Roundup"
---

![Rust Leeds March](https://photos.example/header.jpg)

The room was packed out for Rust Leeds's March meetup, ably hosted by Priya Shah from Leeds Digital, and featuring three talks.

As always, thanks to our sponsors [Ferrous](https://ferrous.example/) and Oxide Tea. Thanks also to [Bruntwood](https://bruntwood.co.uk/), who hosted us at their venue.

First up was async Rust in production, followed by embedded Rust on tiny boards, and wrapping up with Macros by example.

Ada Byron from Crabworks gave a talk on ["Async Rust in Anger"](https://video.example/async), explaining that:

* Pin is less scary than it looks.
* Cancel safety matters:
  - select! drops futures

Following that, Bo Lin and Cy Ode from Mesh Ltd presented Embedded without tears, and their takeaways were that:

* Start with a board that has a debugger.
See their slides [here](https://slides.example/embedded)

Finally, Dee Kay from Kayworks told us about Macros by example, and in his experience:

* Write the expansion first.

## Rust Leeds April

The next meetup is on Wednesday 15 April, and joining us are some great speakers from Lumen, Northcode, and Tiny Robots. [RSVP and save the date now!](https://rsvp.example/april)

See you soon!

Sam (@sam)
`);
  });

  it('words a four-talk evening and a talk without takeaways', () => {
    const input = structuredClone(organiserFree);
    const talks = input.meetup.talks as NonNullable<RoundupInput['meetup']['talks']>;
    talks.splice(2, 0, {
      speakers: [{ name: 'Eve Ng' }],
      title: 'Lightning: cargo tips',
      topic: 'cargo tips',
    });
    const four = renderPost(roundupSchema.parse(input)).content;
    expect(four).toContain(
      'First up was async Rust in production, followed by embedded Rust on tiny boards, then cargo tips, and wrapping up with Macros by example.',
    );
    expect(four).toContain('\nNext up, Eve Ng spoke about Lightning: cargo tips.\n');
    expect(four).toContain('featuring four talks.');
  });

  it('leaves out what the meetup does not have, without leaving gaps', () => {
    const bare = renderPost(
      roundupSchema.parse({
        group: { name: 'Tiny Group', signature: 'Al' },
        meetup: {
          date: '2026-01-07',
          talks: [{ speakers: [{ name: 'Al' }], title: 'Hello', takeaways: ['Hi.'] }],
        },
      }),
    ).content;
    expect(bare).toBe(`---
layout: post
title: "[Jan 2026] Tiny Group January 2026 Roundup"
---

The room was packed out for Tiny Group's January meetup, featuring one talk.

The talk was on Hello.

Al gave a talk on Hello, explaining that:

* Hi.

See you soon!

Al
`);
  });
});

describe('the modern template', () => {
  const feb = renderPost(loadRoundup('2021-02-cloud-native-london'), 'modern').content;
  const [, front, body] = feb.split(/^---$/m);

  it('has the later front matter: title naming the companies, description, location, video, tags', () => {
    expect(YAML.parse(front ?? '')).toEqual({
      layout: 'post',
      title: 'Cloud Native London February 2021: Red Hat, driftctl, and LINBIT HA-Solutions GmbH',
      description:
        'three speakers from Red Hat, driftctl, and LINBIT HA-Solutions GmbH join us at the Cloud Native London meetup February 2021, hosted by Cheryl Hung, VP Ecosystem at CNCF',
      location: 'London, UK',
      video: 'https://www.youtube.com/embed/5_9q1EYtEHY',
      tags: ['Photos', 'Video', 'Meetup', '2021'],
    });
  });

  it('has an overview with each talk starting at its timestamp in the video', () => {
    expect(body).toContain('\n### Overview\n');
    expect(body).toContain(
      'First up was Joel Speed from Red Hat, kicking off our first talk for the evening by exploring Eventually Consistent Testing for Kubernetes Controllers (starting at [31:01](https://youtu.be/5_9q1EYtEHY?t=1861)). His takeaways are to:',
    );
    expect(body).toContain(
      'Next up was Stephane Jourdan from driftctl discussing Why you should take care of infrastructure drift (starting at [1:00:11](https://youtu.be/5_9q1EYtEHY?t=3611)). He talked about how:',
    );
    expect(body).toContain(
      "Our next meetup will be Wednesday 3rd March, when we'll be joined by speakers from StackRox, Contino, and Vodafone. [RSVP and save the date now!](https://www.meetup.com/Cloud-Native-London/events/274953657/)",
    );
  });

  it('is chosen by the group when no template is named', () => {
    expect(renderPost(loadRoundup('2021-02-cloud-native-london')).content).toBe(feb);
  });
});

describe('photos', () => {
  const json = roundupJson('2018-11-cloud-native-london');
  const meetup = json.meetup as { headerPhoto: unknown; talks: { photo?: unknown }[]; photos?: unknown[] };
  meetup.headerPhoto = { stored: { file: 'photos/header.jpg', mimeType: 'image/jpeg' } };
  meetup.talks[0]!.photo = {
    stored: { file: 'photos/a.jpg', mimeType: 'image/jpeg' },
    alt: 'Alessandro De Maria',
  };
  meetup.talks[2]!.photo = { stored: { file: 'photos/c.png', mimeType: 'image/png' } };
  meetup.photos = [{ role: 'group', stored: { file: 'photos/group.jpg', mimeType: 'image/jpeg' } }];
  const rendered = renderPost(roundupSchema.parse(json));
  const base = '2018-11-07-cloud-native-london-november-2018';

  it('refers to stored photos in /images/ named after the post, -1, -2 ... per talk', () => {
    expect(rendered.content).toContain(`![Cloud Native London November](/images/${base}.jpeg)`);
    expect(rendered.content).toContain(`![Alessandro De Maria](/images/${base}-1.jpeg)`);
    expect(rendered.content).toContain('![Tom Wilkie](https://pbs.twimg.com/media/DrbLfXrXgAAyPNo.jpg)');
    expect(rendered.content).toContain(`![Andrew Jefferson](/images/${base}-3.png)`);
    expect(rendered.content).toContain(`![Group photo](/images/${base}-photo-1.jpeg)`);
  });

  it('returns the image files to ship with the post', () => {
    expect(rendered.images).toEqual([
      { sitePath: `images/${base}.jpeg`, storedFile: 'photos/header.jpg', mimeType: 'image/jpeg' },
      { sitePath: `images/${base}-1.jpeg`, storedFile: 'photos/a.jpg', mimeType: 'image/jpeg' },
      { sitePath: `images/${base}-3.png`, storedFile: 'photos/c.png', mimeType: 'image/png' },
      { sitePath: `images/${base}-photo-1.jpeg`, storedFile: 'photos/group.jpg', mimeType: 'image/jpeg' },
    ]);
  });

  it('leaves out a photo uploaded in Slack but not stored yet, and says so', () => {
    const pending = roundupJson('2018-11-cloud-native-london');
    (pending.meetup as { headerPhoto: unknown }).headerPhoto = { slackFile: { id: 'F0123ABC' } };
    const post = renderPost(roundupSchema.parse(pending));
    expect(post.missingPhotos).toEqual(['the header photo']);
    expect(post.content).not.toContain('![Cloud Native London November]');
  });
});

describe("templates of the group's own", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'roundup-template-'));
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('renders a Liquid file with the same values the built-in templates see', () => {
    const file = path.join(dir, 'short.liquid');
    fs.writeFileSync(
      file,
      '---\ntitle: {{ front.group | yaml }}\n---\n{% for talk in talks %}- {{ talk.who }}: {{ talk.titleLinked }}\n{% endfor %}',
    );
    const post = renderPost(loadRoundup('2018-12-cloud-native-london'), file).content;
    expect(post).toBe(`---
title: "Cloud Native London"
---
- Ana Calin from Paybase: ["Continuous Delivery in the Cloud with Spinnaker and Kubernetes"](https://youtu.be/_adkJbf1bRU?t=240)
- Dheeraj Bhadani from DNEG (formerly known as Double Negative): ["gRPC: Modern approach to write microservices"](https://youtu.be/_adkJbf1bRU?t=1975)
- Luke Bond from Control Plane: ["Secure GitOps in Production"](https://youtu.be/_adkJbf1bRU?t=4345)
`);
  });

  it('names the file when it cannot be read or does not parse', () => {
    const roundup = loadRoundup('2018-12-cloud-native-london');
    expect(() => renderPost(roundup, path.join(dir, 'absent.liquid'))).toThrow(
      /no file can be read at .*absent\.liquid/,
    );
    const broken = path.join(dir, 'broken.liquid');
    fs.writeFileSync(broken, '{% if talks %}never closed');
    expect(() => renderPost(roundup, broken)).toThrow(/broken\.liquid does not parse/);
  });
});

it('renders Markdown that a CommonMark parser reads as the house-style structure', () => {
  const html = new MarkdownIt().render(
    renderPost(loadRoundup('2018-09-cloud-native-london')).content.split(/^---$/m)[2] ?? '',
  );
  expect(html.match(/<img /g)).toHaveLength(4);
  expect(html).toContain('<h2>Cloud Native London October</h2>');
  expect(html).toContain('<li>Define what normal behavior.</li>');
  expect(html.match(/<ul>/g)).toHaveLength(4); // three talks' lists and one nested list
});
