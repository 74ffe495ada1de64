import { tmpdir } from 'node:os';
import { defineConfig } from '@playwright/test';

const CI = Boolean(process.env.CI);

// The specs make their media in the system temp folder and import it over the contract: every
// `serve` they start (it inherits this environment) allows that folder as an import root.
process.env.AIRDECK_ALLOWED_ROOTS ??= tmpdir();

// End-to-end tests drive Debian's Chromium against a real `airdeck serve` (see
// tests/e2e/fixtures.ts). Run `npm run build` first: the tests use dist/.
export default defineConfig({
  testDir: 'tests/e2e',
  // Every test starts its own core; two cores and two browsers at once would crowd a 2-core box.
  workers: 1,
  fullyParallel: false,
  forbidOnly: CI,
  retries: CI ? 1 : 0,
  reporter: [['list'], ['html', { open: 'never' }]],
  use: {
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
  },
  projects: [
    {
      name: 'chromium',
      use: {
        browserName: 'chromium',
        launchOptions: {
          executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
          args: [
            '--no-sandbox',
            '--disable-gpu',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
            '--autoplay-policy=no-user-gesture-required',
          ],
        },
      },
    },
  ],
});
