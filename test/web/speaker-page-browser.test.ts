import type { Browser, BrowserContext, Page } from 'playwright-core';
import { describeInChromium, LOW_CONTRAST, launchChromium } from '../support/browser';
import { portrait, type SpeakerBed, startSpeakerBed, TEAM } from '../support/speaker-links';

// An outside speaker fills in their talk from the link, in a real browser the size of a phone.

jest.setTimeout(60_000);

const DAY_AFTER = new Date('2018-11-08T08:00:00Z');

describeInChromium("the speaker's page in a browser", () => {
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let bed: SpeakerBed;
  let now: Date;
  let problems: string[];

  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  beforeEach(async () => {
    now = DAY_AFTER;
    bed = await startSpeakerBed({ now: () => now });
    context = await browser.newContext({
      viewport: { width: 390, height: 844 },
      deviceScaleFactor: 2,
      isMobile: true,
      hasTouch: true,
    });
    page = await context.newPage();
    // What the content security policy blocks (the page's own style, say) is reported in the console.
    problems = [];
    page.on('console', (m) => {
      if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(e.message));
  });
  afterEach(async () => {
    await context?.close();
    await bed?.bot.stop();
  });

  const talk = async (n = 0) => (await bed.bot.store.getMeetup(TEAM, bed.meetup.id))?.talks[n];

  it('lets a speaker fill in their talk with a photo, see it saved, then come back and change it', async () => {
    const link = await bed.link(1);
    await page.goto(link);
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(
      'Your talk at the November 2018 meetup',
    );
    // Usable at a phone's width: nothing wider than the screen.
    expect(await page.evaluate<boolean>('document.documentElement.scrollWidth <= window.innerWidth')).toBe(
      true,
    );
    // Every control has its label.
    const unlabelled = await page.evaluate<
      string[]
    >(`[...document.querySelectorAll('input:not([type=hidden]), select, textarea')]
      .filter((el) => !document.querySelector('label[for="' + el.id + '"]'))
      .map((el) => el.getAttribute('name'))`);
    expect(unlabelled).toEqual([]);
    expect(await page.evaluate(LOW_CONTRAST)).toEqual([]);

    await page.locator('#speaker-0-name').fill('Alessandro De Maria');
    await page.locator('#speaker-0-company').fill('DeepMind Health');
    await page.locator('#speaker-0-pronouns').selectOption('he');
    await page.getByLabel('Title').fill('Kapitan, from the inside');
    await page.getByLabel('Link to your slides or the video').fill('https://example.org/kapitan-slides');
    await page.getByLabel('What the link is').selectOption('slides');
    await page
      .getByLabel('Your takeaways')
      .fill(
        'Inventory is the single source of truth\n  Jsonnet for JSON and YAML\n  Jinja for the rest\nSecrets stay secret',
      );
    const photo = await portrait();
    await page
      .getByLabel('A photo of you')
      .setInputFiles({ name: 'me.jpg', mimeType: 'image/jpeg', buffer: photo });
    await page.getByLabel('What the photo shows').fill('Alessandro on stage');
    await page.getByRole('button', { name: 'Save my talk' }).click();

    await page.getByText('Saved. Thank you!').waitFor();
    const saved = await talk(0);
    expect(saved?.title).toBe('Kapitan, from the inside');
    expect(saved?.speakers).toEqual([
      { name: 'Alessandro De Maria', company: 'DeepMind Health', pronouns: 'he' },
    ]);
    expect(saved?.link).toEqual({ url: 'https://example.org/kapitan-slides', kind: 'slides' });
    expect(saved?.takeaways.map((t) => [t.text, t.items.map((i) => i.text)])).toEqual([
      ['Inventory is the single source of truth', ['Jsonnet for JSON and YAML', 'Jinja for the rest']],
      ['Secrets stay secret', []],
    ]);
    expect(saved?.photo?.stored?.mimeType).toBe('image/jpeg');
    expect(saved?.photo?.alt).toBe('Alessandro on stage');
    const told = await bed.bot.slack.waitForCall(
      'chat.postMessage',
      (c) => c.args.channel === bed.organisersChannel,
    );
    expect(told.args.text).toContain('Alessandro De Maria filled in their talk “Kapitan, from the inside”');
    // The photo kept is shown back.
    await page.locator('img.photo').waitFor();
    expect(
      await page
        .locator('img.photo')
        .evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth),
    ).toBe(40);

    // Back later with the same link: what was saved is there, and can be changed.
    await page.goto(link);
    await expect(page.getByLabel('Title').inputValue()).resolves.toBe('Kapitan, from the inside');
    await page.getByLabel('Title').fill('Kapitan, from the inside (revised)');
    await page.getByRole('button', { name: 'Save my talk' }).click();
    await page.getByText('Saved. Thank you!').waitFor();
    expect((await talk(0))?.title).toBe('Kapitan, from the inside (revised)');
    expect((await talk(0))?.photo?.stored?.mimeType).toBe('image/jpeg');
    await bed.bot.settled();
    expect(problems).toEqual([]);
  });

  it('shows a problem next to its field and keeps everything typed', async () => {
    await page.goto(await bed.link(1));
    const before = await talk(0);
    // By keyboard alone: the first Tab reaches the first field, and Enter in a field sends the form.
    await page.keyboard.press('Tab');
    expect(await page.evaluate<string>('document.activeElement.id')).toBe('speaker-0-name');
    await page.getByLabel('Your takeaways').fill('A point typed with care\n  and one under it');
    await page.getByLabel('Title').focus();
    await page.keyboard.press('Control+A');
    await page.keyboard.press('Backspace');
    await page.keyboard.press('Enter');
    await page.locator('#title-error').waitFor();
    expect(await page.locator('#title-error').textContent()).toBe('Give the title of your talk.');
    expect(await page.getByLabel('Title').getAttribute('aria-invalid')).toBe('true');
    expect(await page.getByLabel('Your takeaways').inputValue()).toBe(
      'A point typed with care\n  and one under it',
    );
    expect(await page.evaluate(LOW_CONTRAST)).toEqual([]);
    // The summary links to the field.
    await page.getByRole('link', { name: 'Give the title of your talk.' }).click();
    expect(await page.evaluate<string>('document.activeElement.id')).toBe('title');
    expect(await talk(0)).toEqual(before);
    expect(problems).toEqual([]);
  });

  it('shows a clear page for an expired link, a tampered link and a link for another talk, and changes nothing', async () => {
    const first = await bed.link(1);
    const second = await bed.link(2);
    const before = [await talk(0), await talk(1), await talk(2)];

    // Another talk's link opens that talk only.
    await page.goto(second);
    expect(await page.getByLabel('Title').inputValue()).toBe(before[1]?.title);
    expect(await page.content()).not.toContain(before[0]?.title as string);

    const token = new URL(first).searchParams.get('link') as string;
    const tampered = first.replace(token, `${token.slice(0, -3)}${token.endsWith('A') ? 'BBB' : 'AAA'}`);
    const response = await page.goto(tampered);
    expect(response?.status()).toBe(404);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('This link does not work');
    expect(await page.locator('form').count()).toBe(0);

    await page.goto(first);
    now = new Date(DAY_AFTER.getTime() + 15 * 86_400_000);
    await page.getByLabel('Title').fill('Saved after the link expired');
    await page.getByRole('button', { name: 'Save my talk' }).click();
    await page.getByRole('heading', { name: 'This link has expired' }).waitFor();
    expect(await page.content()).not.toContain(before[0]?.title as string);
    expect([await talk(0), await talk(1), await talk(2)]).toEqual(before);
  });
});
