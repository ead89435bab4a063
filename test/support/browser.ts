import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

/**
 * Debian's Chromium (`apt-get install chromium`; `.ci/run` installs it), driven by playwright-core: never a
 * browser downloaded by Playwright. CHROMIUM_PATH names another executable.
 */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export const chromiumAvailable = existsSync(CHROMIUM_PATH);

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    // Headless, in a container (no sandbox without user namespaces), and quiet: nothing fetched from the
    // network but the bot's own pages.
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-dev-shm-usage',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-quic',
    ],
  });
}

/** `describe` for a suite that needs Chromium: skipped without it, but failed under CI, which installs it. */
export function describeInChromium(title: string, body: () => void): void {
  const name = `${title} (Chromium)`;
  if (chromiumAvailable) describe(name, body);
  else if (process.env.CI) {
    describe(name, () => {
      it('runs: CI must provide Chromium', () => {
        throw new Error(`${CHROMIUM_PATH} is missing: .ci/run installs Debian's chromium`);
      });
    });
  } else describe.skip(name, body);
}

/**
 * Run in the page: the text elements whose colour on their background is below WCAG AA's 4.5:1, with their
 * ratio. An empty list: every label, hint, error, heading, paragraph and button reads.
 */
export const LOW_CONTRAST = `(() => {
  const channel = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
  const luminance = (colour) => {
    const [r, g, b] = colour.match(/[\\d.]+/g).slice(0, 3).map(Number).map(channel);
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const background = (el) => {
    for (; el; el = el.parentElement) {
      const c = getComputedStyle(el).backgroundColor;
      if (c && c !== 'transparent' && !/rgba\\(.*,\\s*0\\)$/.test(c)) return c;
    }
    return 'rgb(255, 255, 255)';
  };
  return [...document.querySelectorAll('label, .hint, .error, button, p, li, legend, h1, h2')]
    .map((el) => {
      const a = luminance(getComputedStyle(el).color);
      const b = luminance(background(el));
      return [el.tagName.toLowerCase() + (el.className ? '.' + el.className : ''), (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05)];
    })
    .filter(([, ratio]) => ratio < 4.5);
})()`;
