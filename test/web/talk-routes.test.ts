import http from 'node:http';
import { kindSpeakerNudge } from '../../src/domain/reminders';
import { syncMeetupReminders } from '../../src/services/reminders';
import { FIELD, speakerField } from '../../src/web/talk-form';
import { portrait, SPEAKER_IN_SLACK, type SpeakerBed, startSpeakerBed, TEAM } from '../support/speaker-links';
import { fieldError, fieldValue, formFields, getPage, postForm } from '../support/web-form';

// The speaker's page over plain HTTP, as a browser without JavaScript uses it, against the real bot.

/** The day after the meetup, in the morning: the first speaker's nudge is still to come. */
const DAY_AFTER = new Date('2018-11-08T08:00:00Z');

describe("the speaker's page, over HTTP", () => {
  let bed: SpeakerBed;
  let now: Date;

  beforeEach(async () => {
    now = DAY_AFTER;
    bed = await startSpeakerBed({ now: () => now });
    await syncMeetupReminders(await bed.bot.teamDeps(), TEAM, bed.meetup.id);
  });
  afterEach(async () => {
    await bed.bot.stop();
  });

  const talk = async (n = 0) => (await bed.bot.store.getMeetup(TEAM, bed.meetup.id))?.talks[n];

  /** The form as the link shows it, with its cookie. */
  async function open(url: string) {
    const page = await getPage(url);
    expect(page.status).toBe(200);
    return { page, cookie: page.cookie as string, fields: formFields(page.html) };
  }

  it('shows the talk as far as it is filled in, in the group’s name, with headers that keep it private', async () => {
    const { page, cookie } = await open(await bed.link(1));
    expect(page.html).toContain('Cloud Native London');
    expect(page.html).toContain('Your talk at the November 2018 meetup');
    expect(fieldValue(page.html, FIELD.title)).toBe('Deployments with Kapitan');
    expect(fieldValue(page.html, speakerField(0, 'name'))).toBe('Alessandro De Maria');
    expect(fieldValue(page.html, FIELD.takeaways)).toContain('Kapitan');
    expect(cookie).toMatch(/^roundup_csrf=/);
    expect(page.headers.get('set-cookie')).toMatch(/HttpOnly; SameSite=Lax/);
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("default-src 'none'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(csp).toContain("form-action 'self'");
    expect(csp).not.toContain('script-src');
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');
    expect(page.headers.get('cache-control')).toBe('no-store');
    expect(page.html).not.toContain('<script');
    // Nothing of another talk is on the page.
    const others = (await bed.bot.store.getMeetup(TEAM, bed.meetup.id))?.talks.slice(1) ?? [];
    for (const other of others) expect(page.html).not.toContain(other.title);
  });

  it('saves what the speaker gives as an answer: the talk, the ask answered, the nudge dropped, the organisers told', async () => {
    const url = await bed.link(1);
    const nudge = kindSpeakerNudge(SPEAKER_IN_SLACK);
    const pending = async () =>
      (await bed.bot.store.listReminders(TEAM, { meetupId: bed.meetup.id, statuses: ['pending'] })).map(
        (r) => r.kind,
      );
    expect(await pending()).toContain(nudge);
    const { cookie, fields } = await open(url);
    const posted = await postForm(
      url,
      {
        ...fields,
        [speakerField(0, 'name')]: 'Alessandro De Maria',
        [speakerField(0, 'company')]: 'DeepMind Health',
        [speakerField(0, 'pronouns')]: 'he',
        [FIELD.title]: 'Kapitan: generic templated configuration',
        [FIELD.linkUrl]: 'https://example.org/slides.pdf',
        [FIELD.linkKind]: 'slides',
        [FIELD.takeaways]: 'Configuration is code\n  Keep it in git\n  Review it\nTemplates beat copies',
      },
      { cookie },
    );
    expect(posted.status).toBe(303);
    expect(posted.headers.get('location')).toMatch(/^\/talk\/edit\?link=rtl_.+&saved=1$/);

    const saved = await talk(0);
    expect(saved?.speakers).toEqual([
      { name: 'Alessandro De Maria', company: 'DeepMind Health', pronouns: 'he' },
    ]);
    expect(saved?.title).toBe('Kapitan: generic templated configuration');
    expect(saved?.link).toEqual({ url: 'https://example.org/slides.pdf', kind: 'slides' });
    expect(saved?.takeaways).toEqual([
      {
        text: 'Configuration is code',
        items: [
          { text: 'Keep it in git', items: [] },
          { text: 'Review it', items: [] },
        ],
      },
      { text: 'Templates beat copies', items: [] },
    ]);
    const asks = await bed.bot.store.listAsks(TEAM, bed.meetup.id);
    expect(asks.find((a) => a.userId === SPEAKER_IN_SLACK)?.status).toBe('answered');
    expect(await pending()).not.toContain(nudge);
    const told = await bed.bot.slack.waitForCall(
      'chat.postMessage',
      (c) => c.args.channel === bed.organisersChannel,
    );
    expect(told.args.text).toContain(
      'Alessandro De Maria filled in their talk “Kapitan: generic templated configuration”',
    );
    await bed.bot.settled();

    // Back on the page: it says so, and shows what was saved.
    const back = await getPage(`${new URL(url).origin}${posted.headers.get('location')}`, cookie);
    expect(back.html).toContain('Saved. Thank you!');
    expect(fieldValue(back.html, FIELD.title)).toBe('Kapitan: generic templated configuration');
    expect(fieldValue(back.html, FIELD.takeaways)).toBe(
      'Configuration is code\n  Keep it in git\n  Review it\nTemplates beat copies',
    );
  });

  it('refuses a form without the cookie, or with a CSRF value not made for it, and changes nothing', async () => {
    const url = await bed.link(1);
    const { cookie, fields } = await open(url);
    const before = await talk(0);
    const changed = { ...fields, [FIELD.title]: 'Forged' };
    const noCookie = await postForm(url, changed);
    expect(noCookie.status).toBe(403);
    expect(noCookie.html).toContain('This form could not be checked');
    const otherCookie = await postForm(url, changed, { cookie: 'roundup_csrf=AAAAAAAAAAAAAAAAAAAAAAAA' });
    expect(otherCookie.status).toBe(403);
    const noValue = await postForm(url, { ...changed, [FIELD.csrf]: '' }, { cookie });
    expect(noValue.status).toBe(403);
    // The value of another link, with its own cookie, is refused on this one.
    const other = await open(await bed.link(2));
    const crossed = await postForm(
      url,
      { ...changed, [FIELD.csrf]: other.fields[FIELD.csrf] as string },
      {
        cookie: other.cookie,
      },
    );
    expect(crossed.status).toBe(403);
    expect(await talk(0)).toEqual(before);
  });

  it('refuses a body larger than the form takes, before reading it, and changes nothing', async () => {
    const url = await bed.link(1);
    const { cookie } = await open(url);
    const before = await talk(0);
    // Announced larger than the form takes: answered at once, before the body is sent.
    const announced = await new Promise<number | undefined>((resolve, reject) => {
      const req = http.request(url, {
        method: 'POST',
        headers: {
          cookie,
          'content-type': 'multipart/form-data; boundary=x',
          'content-length': String(50 * 1024 * 1024),
        },
      });
      req.on('response', (res) => {
        res.resume();
        resolve(res.statusCode);
        req.destroy();
      });
      req.on('error', reject);
      req.write('--x\r\n');
    });
    expect(announced).toBe(413);
    const streamed = await postForm(
      url,
      { title: 'Too big' },
      {
        cookie,
        photo: { bytes: Buffer.alloc(12 * 1024 * 1024, 1), name: 'huge.jpg' },
      },
    );
    expect(streamed.status).toBe(413);
    expect(await talk(0)).toEqual(before);
  });

  it('answers a body cut off inside its photo, or one whose sender went away, and goes on serving', async () => {
    const url = await bed.link(1);
    const { cookie } = await open(url);
    const cut =
      '--x\r\nContent-Disposition: form-data; name="photo"; filename="me.jpg"\r\nContent-Type: image/jpeg\r\n\r\nAAAA';
    const answered = await new Promise<number | undefined>((resolve, reject) => {
      const req = http.request(url, {
        method: 'POST',
        headers: {
          cookie,
          'content-type': 'multipart/form-data; boundary=x',
          'content-length': Buffer.byteLength(cut),
        },
      });
      req.on('response', (res) => {
        res.resume();
        resolve(res.statusCode);
      });
      req.on('error', reject);
      req.end(cut);
    });
    expect(answered).toBe(400);
    // A sender that goes away mid-body: the bot lets go of the request and still answers the next one.
    const gone = http.request(url, {
      method: 'POST',
      headers: { cookie, 'content-type': 'multipart/form-data; boundary=x', 'content-length': '100000' },
    });
    gone.on('error', () => undefined);
    gone.write(cut);
    await new Promise((resolve) => setImmediate(resolve));
    gone.destroy();
    expect((await getPage(url, cookie)).status).toBe(200);
  });

  it('keeps what was typed when the photo is too large, and says so next to the photo', async () => {
    const url = await bed.link(1);
    const { cookie, fields } = await open(url);
    const before = await talk(0);
    const big = Buffer.concat([await portrait(), Buffer.alloc(10 * 1024 * 1024 + 10)]);
    const res = await postForm(
      url,
      { ...fields, [FIELD.title]: 'A new title' },
      {
        cookie,
        photo: { bytes: big, name: 'big.jpg' },
      },
    );
    expect(res.status).toBe(413);
    expect(fieldError(res.html, FIELD.photo)).toContain('larger than 10 MB');
    expect(fieldValue(res.html, FIELD.title)).toBe('A new title');
    expect(await talk(0)).toEqual(before);
  });

  it('checks an uploaded photo as Slack uploads are checked, and keeps a good one', async () => {
    const url = await bed.link(1);
    const { cookie, fields } = await open(url);
    const before = await talk(0);
    const text = await postForm(
      url,
      { ...fields, [FIELD.title]: 'Typed before the photo' },
      {
        cookie,
        photo: { bytes: Buffer.from('not a picture at all'), name: 'me.jpg' },
      },
    );
    expect(text.status).toBe(422);
    expect(fieldError(text.html, FIELD.photo)).toBe('"me.jpg" is not a JPEG, PNG, GIF or WebP image');
    expect(fieldValue(text.html, FIELD.title)).toBe('Typed before the photo');
    const heic = Buffer.concat([Buffer.from([0, 0, 0, 24]), Buffer.from('ftypheic'), Buffer.alloc(16)]);
    const apple = await postForm(url, fields, { cookie, photo: { bytes: heic, name: 'IMG_0001.HEIC' } });
    expect(fieldError(apple.html, FIELD.photo)).toContain('HEIC/HEIF');
    expect(await talk(0)).toEqual(before);

    const jpeg = await portrait();
    const good = await postForm(
      url,
      { ...fields, [FIELD.photoAlt]: 'Alessandro speaking' },
      {
        cookie,
        photo: { bytes: jpeg, name: 'me.jpg' },
      },
    );
    expect(good.status).toBe(303);
    const photo = (await talk(0))?.photo;
    expect(photo?.stored?.mimeType).toBe('image/jpeg');
    expect(photo?.alt).toBe('Alessandro speaking');
    // The page shows the photo it now has, served by the bot.
    const page = await getPage(url, cookie);
    const src = /<img class="photo" src="([^"]+)"/.exec(page.html)?.[1]?.replace(/&amp;/g, '&');
    expect(src).toBeDefined();
    const served = await fetch(`${new URL(url).origin}${src}`);
    expect(served.headers.get('content-type')).toBe('image/jpeg');
    expect(Buffer.from(await served.arrayBuffer()).equals(jpeg)).toBe(true);
  });

  it('keeps a good photo sent with a form that comes back for a fix, so it need not be chosen again', async () => {
    const url = await bed.link(1);
    const { cookie, fields } = await open(url);
    const first = await postForm(
      url,
      { ...fields, [FIELD.title]: '' },
      {
        cookie,
        photo: { bytes: await portrait(), name: 'me.jpg' },
      },
    );
    expect(first.status).toBe(422);
    expect(first.html).toContain('The photo you chose is kept');
    const kept = fieldValue(first.html, FIELD.photoKept) as string;
    expect(kept).toMatch(/^talk-.+~/);
    // A reference the bot did not sign names no photo: the talk keeps the one it had.
    const forged = await postForm(
      url,
      { ...formFields(first.html), [FIELD.title]: 'Fixed', [FIELD.photoKept]: `${kept.split('~')[0]}~AAAA` },
      { cookie },
    );
    expect(forged.status).toBe(303);
    expect((await talk(0))?.photo?.stored).toBeUndefined();
    const fixed = await postForm(url, { ...formFields(first.html), [FIELD.title]: 'Fixed' }, { cookie });
    expect(fixed.status).toBe(303);
    expect((await talk(0))?.photo?.stored?.file).toBe(kept.split('~')[0]);
    expect((await talk(0))?.title).toBe('Fixed');
  });

  it('shows each problem next to its field and keeps what was typed', async () => {
    const url = await bed.link(1);
    const { cookie, fields } = await open(url);
    const before = await talk(0);
    const res = await postForm(
      url,
      {
        ...fields,
        [FIELD.title]: '',
        [FIELD.linkUrl]: 'not a link',
        [speakerField(1, 'company')]: 'Acme',
        [FIELD.takeaways]: 'One\n  Two\n    Three\n      Four',
      },
      { cookie },
    );
    expect(res.status).toBe(422);
    expect(fieldError(res.html, FIELD.title)).toBe('Give the title of your talk.');
    expect(fieldError(res.html, speakerField(1, 'name'))).toBe(
      'Give the name of the speaker from this company.',
    );
    expect(fieldError(res.html, FIELD.takeaways)).toContain('Line 4');
    expect(fieldValue(res.html, FIELD.takeaways)).toBe('One\n  Two\n    Three\n      Four');
    expect(fieldValue(res.html, speakerField(1, 'company'))).toBe('Acme');
    expect(res.html).toContain('aria-invalid="true"');
    // The model's own checks (a web address) come back the same way.
    const link = await postForm(url, { ...fields, [FIELD.linkUrl]: 'not a link' }, { cookie });
    expect(link.status).toBe(422);
    expect(fieldError(link.html, FIELD.linkUrl)).toMatch(/^The link .*http/);
    expect(fieldValue(link.html, FIELD.linkUrl)).toBe('not a link');
    expect(await talk(0)).toEqual(before);
  });

  it('limits the saves of one link and the requests of one address', async () => {
    await bed.bot.stop();
    bed = await startSpeakerBed({
      now: () => now,
      talkPages: { limits: { perAddress: 1000, perLink: 2, windowMs: 600_000 } },
    });
    const url = await bed.link(1);
    const { cookie, fields } = await open(url);
    expect((await postForm(url, fields, { cookie })).status).toBe(303);
    expect((await postForm(url, fields, { cookie })).status).toBe(303);
    const third = await postForm(url, { ...fields, [FIELD.title]: 'Third' }, { cookie });
    expect(third.status).toBe(429);
    expect(Number(third.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(third.html).toContain('Too many tries');
    expect((await talk(0))?.title).not.toBe('Third');
    // Another link has its own count.
    const second = await open(await bed.link(2));
    expect((await postForm(await bed.link(2), second.fields, { cookie: second.cookie })).status).not.toBe(
      429,
    );

    await bed.bot.stop();
    bed = await startSpeakerBed({
      now: () => now,
      talkPages: { limits: { perAddress: 1000, perLink: 100, photosPerLink: 1, windowMs: 600_000 } },
    });
    // Photos, each kept when sent, have a count of their own; the form comes back with what was typed.
    const withPhoto = await bed.link(1);
    const photoForm = await open(withPhoto);
    const photo = { bytes: await portrait(), name: 'me.jpg' };
    expect((await postForm(withPhoto, photoForm.fields, { cookie: photoForm.cookie, photo })).status).toBe(
      303,
    );
    const tooMany = await postForm(
      withPhoto,
      { ...photoForm.fields, [FIELD.title]: 'Kept' },
      {
        cookie: photoForm.cookie,
        photo: { bytes: await portrait('png'), name: 'me.png' },
      },
    );
    expect(tooMany.status).toBe(422);
    expect(fieldError(tooMany.html, FIELD.photo)).toContain(
      'Too many photos were sent with this link lately',
    );
    expect(fieldValue(tooMany.html, FIELD.title)).toBe('Kept');

    await bed.bot.stop();
    bed = await startSpeakerBed({
      now: () => now,
      talkPages: { limits: { perAddress: 3, perLink: 100, windowMs: 600_000 } },
    });
    const again = await bed.link(1);
    const statuses = [];
    for (let i = 0; i < 4; i += 1) statuses.push((await getPage(again)).status);
    expect(statuses).toEqual([200, 200, 200, 429]);
  });

  it('counts requests by the address the proxy saw behind TRUST_PROXY, and ignores what a client claims without it', async () => {
    const limits = { perAddress: 2, perLink: 100, windowMs: 600_000 };
    const from = (address: string) => ({ 'x-forwarded-for': `203.0.113.9, ${address}` });
    await bed.bot.stop();
    bed = await startSpeakerBed({ now: () => now, talkPages: { limits }, env: { TRUST_PROXY: '1' } });
    const url = await bed.link(1);
    const status = async (headers: Record<string, string>) => (await fetch(url, { headers })).status;
    expect([await status(from('198.51.100.1')), await status(from('198.51.100.1'))]).toEqual([200, 200]);
    expect(await status(from('198.51.100.1'))).toBe(429);
    // Another visitor behind the same proxy has their own count; the address they claim first does not count.
    expect(await status(from('198.51.100.2'))).toBe(200);

    await bed.bot.stop();
    bed = await startSpeakerBed({ now: () => now, talkPages: { limits } });
    const direct = await bed.link(1);
    const statuses = [];
    for (const address of ['198.51.100.1', '198.51.100.2', '198.51.100.3'])
      statuses.push((await fetch(direct, { headers: from(address) })).status);
    expect(statuses).toEqual([200, 200, 429]);
  });

  it('shows a clear page for an expired, tampered, withdrawn or deleted link, and changes nothing', async () => {
    const url = await bed.link(1);
    const { cookie, fields } = await open(url);
    const before = await talk(0);
    const tryIt = async (link: string) => ({
      page: await getPage(link, cookie),
      post: await postForm(link, { ...fields, [FIELD.title]: 'Changed' }, { cookie }),
    });

    const token = new URL(url).searchParams.get('link') as string;
    const [body, signature] = token.slice(4).split('.') as [string, string];
    const flipped = `${signature.slice(0, -2)}${signature.endsWith('AA') ? 'BB' : 'AA'}`;
    const tampered = await tryIt(url.replace(token, `rtl_${body}.${flipped}`));
    expect(tampered.page.status).toBe(404);
    expect(tampered.page.html).toContain('This link does not work');
    expect(tampered.post.status).toBe(404);
    // A token naming another talk, with this one's signature: refused as tampered.
    const claims = JSON.parse(Buffer.from(body, 'base64url').toString()) as { k: string };
    const otherTalk = (await talk(1))?.id as string;
    const renamed = Buffer.from(JSON.stringify({ ...claims, k: otherTalk })).toString('base64url');
    const forged = await tryIt(url.replace(token, `rtl_${renamed}.${signature}`));
    expect(forged.page.status).toBe(404);
    expect(forged.page.html).not.toContain((await talk(1))?.title as string);

    now = new Date(DAY_AFTER.getTime() + 15 * 86_400_000);
    const expired = await tryIt(url);
    expect(expired.page.status).toBe(410);
    expect(expired.page.html).toContain('This link has expired');
    expect(expired.page.html).not.toContain(before?.title as string);
    now = DAY_AFTER;

    expect(await bed.reply('ask 1 link revoke')).toContain('Withdrew 1 link to talk 1');
    const withdrawn = await tryIt(url);
    expect(withdrawn.page.status).toBe(410);
    expect(withdrawn.page.html).toContain('This link was withdrawn');
    expect(withdrawn.post.status).toBe(410);

    const second = await bed.link(2);
    await bed.bot.store.deleteTalk(TEAM, bed.meetup.id, otherTalk);
    const gone = await tryIt(second);
    expect(gone.page.status).toBe(410);
    expect(gone.page.html).toContain('This talk is no longer there');
    expect(await talk(0)).toEqual(before);
  });

  it('says so once the post is published, and no longer saves', async () => {
    const url = await bed.link(1);
    const { cookie, fields } = await open(url);
    await bed.bot.store.changeMeetupStatus(TEAM, bed.meetup.id, ['held'], 'published');
    const page = await getPage(url, cookie);
    expect(page.status).toBe(200);
    expect(page.html).toContain('The roundup of this meetup is published');
    expect(page.html).not.toContain('<form');
    const post = await postForm(url, { ...fields, [FIELD.title]: 'Too late' }, { cookie });
    expect(post.status).toBe(409);
    expect((await talk(0))?.title).toBe('Deployments with Kapitan');
  });
});

describe('speaker links in Slack', () => {
  it('explains what to configure when the bot has no PUBLIC_URL or link secret', async () => {
    const bed = await startSpeakerBed({ unconfigured: true });
    try {
      const text = await bed.reply('ask 1 link');
      expect(text).toContain('Speaker links are not set up');
      expect(text).toContain('`PUBLIC_URL`');
      expect(text).toContain('`SPEAKER_LINK_SECRET`');
      expect(text).not.toContain('http://');
    } finally {
      await bed.bot.stop();
    }
  });

  it('asks which talk when none is named', async () => {
    const bed = await startSpeakerBed();
    try {
      expect(await bed.reply('ask link')).toContain('Which talk? Give its number, from 1 to 3');
      expect(await bed.reply('ask 9 link')).toContain('Which talk?');
    } finally {
      await bed.bot.stop();
    }
  });
});
