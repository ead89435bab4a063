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
