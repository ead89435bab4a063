import path from 'node:path';
import { roundupSchema } from '../../src/domain/meetup';
import { importSite } from '../../src/import/import-site';
import { renderPost } from '../../src/render/render-post';
import { FIXTURES } from '../support/fixtures';

/** A new meetup given facts only (no sentence typed) comes out in the style the import learnt. */
describe('a new post in the learnt style', () => {
  const site = importSite(path.join(FIXTURES, 'site'));
  const roundup = roundupSchema.parse({
    group: site.group,
    meetup: {
      date: '2026-05-06',
      venue: { name: 'Thought Machine' },
      host: { name: 'Cheryl Hung' },
      sponsors: site.group.sponsors.filter((s) => ['Testkube', 'TechShack'].includes(s.name)),
      headerPhoto: { stored: { file: 'header.jpeg', mimeType: 'image/jpeg' } },
      video: 'https://youtu.be/abcdefghijk',
      talks: [
        {
          speakers: [{ name: 'Ada Lovelace', company: 'Pulumi', pronouns: 'she' }],
          title: 'Infrastructure as Software',
          link: { url: 'https://youtu.be/abcdefghijk?t=511' },
          takeaways: ['Code is the source of truth.'],
          photo: { stored: { file: 'ada.jpeg', mimeType: 'image/jpeg' } },
        },
        {
          speakers: [{ name: 'Alan Turing', company: 'Oligo', pronouns: 'he' }],
          title: 'Runtime Security',
          link: { url: 'https://youtu.be/abcdefghijk?t=1819' },
          takeaways: ['Watch what runs.'],
        },
        {
          speakers: [{ name: 'Grace Hopper', company: 'Cloud Combinator', pronouns: 'she' }],
          title: 'Compilers in the Cloud',
          link: { url: 'https://youtu.be/abcdefghijk?t=3600' },
          takeaways: ['Nanoseconds matter.'],
        },
      ],
      photos: [{ role: 'group', stored: { file: 'group.jpeg', mimeType: 'image/jpeg' } }],
      next: {
        date: '2026-06-03',
        companies: ['AWS', 'Google'],
        rsvpUrl: 'https://www.meetup.com/cloud-native-london/events/1/',
      },
    },
  });

  it('learns the style from the latest posts', () => {
    expect(site.group.template).toBe('modern');
    expect(site.style).toMatchObject({
      frontMatter: ['layout', 'title', 'description', 'location', 'image', 'video', 'tags'],
      headerPhoto: 'front',
      imageName: 'images/{post}',
      title: '{group} {month} {year}: {companies}',
      description: 'Speakers from {companies} join us at the {group} meetup {month} {year}, hosted by {host}',
      postName: '{group} {month} {year}',
    });
    expect(site.style.sentences?.talkFirst).toBe(
      'Kicking off our evening was {who}, with a talk on {titleLink}{at}. {Their} takeaways discussed:',
    );
  });

  it('writes the title, description, front matter, photo names and sentences as the group does', () => {
    const post = renderPost(roundup);
    expect(post.path).toBe('_posts/2026-05-06-cloud-native-london-may-2026.md');
    expect(post.images.map((i) => i.sitePath)).toEqual([
      'images/2026-05-06-cloud-native-london-may-2026.jpeg',
      'images/2026-05-06-cloud-native-london-may-2026-1.jpeg',
      'images/2026-05-06-cloud-native-london-may-2026-4.jpeg',
    ]);
    expect(post.content).toBe(`---
layout: post
title: "Cloud Native London May 2026: Pulumi, Oligo, and Cloud Combinator"
description: "Speakers from Pulumi, Oligo, and Cloud Combinator join us at the Cloud Native London meetup May 2026, hosted by Cheryl Hung"
location: London, UK
image: /images/2026-05-06-cloud-native-london-may-2026.jpeg
video: https://www.youtube.com/embed/abcdefghijk
tags:
  - Photos
  - Video
  - Meetup
  - "2026"
---

Three speakers from Pulumi, Oligo, and Cloud Combinator joined us at the May Cloud Native London meetup at the fabulous Thought Machine event space, as well as via the YouTube/LinkedIn livestreams.

We are immensely grateful to [Testkube](https://testkube.io/) and [TechShack](https://www.tech-shack.co/) for their generous support and sponsorship.

### Overview

![Ada Lovelace](/images/2026-05-06-cloud-native-london-may-2026-1.jpeg)

Kicking off our evening was Ada Lovelace from Pulumi, with a talk on [Infrastructure as Software](https://youtu.be/abcdefghijk?t=511)(starting at 8:31). Her takeaways discussed:

* Code is the source of truth.

Next up was Alan Turing from Oligo discussing Runtime Security (starting at [30:19](https://youtu.be/abcdefghijk?t=1819)). He talked about how:

* Watch what runs.

And wrapping up our evening was Grace Hopper from Cloud Combinator discussing [Compilers in the Cloud](https://youtu.be/abcdefghijk?t=3600)(starting at 1:00:00). She described how:

* Nanoseconds matter.

And of course, our usual group photo!
![Group photo](/images/2026-05-06-cloud-native-london-may-2026-4.jpeg)

## Cloud Native London June

Our next meetup will be on Wednesday 3rd June, when we'll be joined by speakers from AWS and Google! [RSVP and save the date now!](https://www.meetup.com/cloud-native-london/events/1/).

Stay safe, stay healthy, and see you in a month!

Cheryl (@oicheryl)
`);
  });
});
