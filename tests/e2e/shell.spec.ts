import type { Page } from '@playwright/test';
import { fileURLToPath } from 'node:url';
import { expect, test } from './fixtures';

// The README's picture is refreshed only on request, so a test run never dirties the checkout.
const SCREENSHOT = fileURLToPath(
  new URL(
    process.env.AIRDECK_UPDATE_SCREENSHOT
      ? '../../docs/screenshot.png'
      : '../../test-results/readme-screenshot.png',
    import.meta.url,
  ),
);

/** Seconds since midnight of "HH:MM:SS" (24-hour) as shown by the station clock. */
function secondsOfDay(text: string): number {
  const match = /^(\d{2}):(\d{2}):(\d{2})$/.exec(text.trim());
  if (!match) throw new Error(`not a 24-hour clock reading: "${text}"`);
  return Number(match[1]) * 3600 + Number(match[2]) * 60 + Number(match[3]);
}

/** What a correct clock in `timeZone` reads now, computed independently of the app. */
function nowIn(timeZone: string): number {
  const text = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).format(Date.now());
  return secondsOfDay(text);
}

/**
 * The displayed time agrees with this machine's clock in the station zone to a few seconds
 * (ticks, rendering and the test itself take a moment). A wrong zone is off by minutes or hours.
 */
function expectClockShowsNow(text: string, timeZone: string) {
  const diff = Math.abs(secondsOfDay(text) - nowIn(timeZone));
  expect(Math.min(diff, 86_400 - diff), `clock "${text}" vs now in ${timeZone}`).toBeLessThan(5);
}

async function expectClockTicks(page: Page) {
  const clock = page.getByTestId('station-clock');
  const first = (await clock.textContent()) ?? '';
  await page.waitForTimeout(2_000);
  await expect.poll(async () => clock.textContent()).not.toBe(first);
}

/** A mark that survives only if the page is never reloaded. */
async function markPage(page: Page) {
  await page.evaluate(() => ((window as unknown as { e2eMark: string }).e2eMark = 'same page'));
}
async function expectSamePage(page: Page) {
  expect(await page.evaluate(() => (window as unknown as { e2eMark?: string }).e2eMark)).toBe(
    'same page',
  );
}

test('the UI loads signed in, the clock follows clockTick, health is shown', async ({
  page,
  airdeck,
  request,
}) => {
  await page.goto(airdeck.url);
  await expect(page.getByTestId('connection-status')).toHaveText('Connected');

  const clock = page.getByTestId('station-clock');
  await expect(clock).toHaveText(/^\d{2}:\d{2}:\d{2}$/);
  await expect(clock).toHaveAttribute('data-time-zone', 'UTC');
  expectClockShowsNow((await clock.textContent()) ?? '', 'UTC');
  await expectClockTicks(page);
  expectClockShowsNow((await clock.textContent()) ?? '', 'UTC');

  const health = (await (await request.get(`${airdeck.origin}healthz`)).json()) as {
    ffmpeg: { version: string | null };
    db: { schemaVersion: number };
  };
  expect(health.ffmpeg.version).toBeTruthy();
  await expect(page.getByTestId('ffmpeg-version')).toHaveText(health.ffmpeg.version!);
  await expect(page.getByTestId('health-db')).toContainText('OK');
  await expect(page.getByTestId('health-db')).toContainText(`v${health.db.schemaVersion}`);
  await expect(page.getByTestId('app-mode')).toContainText('Headless');
  await expect(page.getByTestId('app-data-dir')).toContainText(airdeck.dataDir);
});

test('after the core restarts the UI reconnects by itself', async ({ page, airdeck }) => {
  await page.goto(airdeck.url);
  const status = page.getByTestId('connection-status');
  await expect(status).toHaveText('Connected');
  await expect(page.getByTestId('station-clock')).toHaveText(/^\d{2}:\d{2}:\d{2}$/);
  await markPage(page);

  await airdeck.stop();
  await expect(page.getByTestId('connection-banner')).toBeVisible();
  await expect(page.getByTestId('connection-banner')).toContainText('reconnect by itself');
  await expect(status).toHaveText(/^Reconnecting… \(attempt \d+, (retry in \d+s|retrying now)\)$/);

  await airdeck.start();
  // The backoff tops out at 5 s, so the next attempt can be that far away.
  await expect(status).toHaveText('Connected', { timeout: 15_000 });
  await expect(page.getByTestId('connection-banner')).toBeHidden();
  await expectClockTicks(page);
  expectClockShowsNow((await page.getByTestId('station-clock').textContent()) ?? '', 'UTC');
  await expectSamePage(page);
});

test.describe('signed out', () => {
  test.use({ airdeckSignedIn: false });

  test('without a session only the sign-in is shown; a wrong password is refused', async ({
    page,
    airdeck,
  }) => {
    // Two password hashes and a reconnect: a loaded 2-core machine needs more than 30 s.
    test.setTimeout(90_000);
    const sockets: string[] = [];
    page.on('websocket', (socket) => sockets.push(socket.url()));

    await page.goto(airdeck.origin);
    const gate = page.getByTestId('auth-gate');
    await expect(gate).toBeVisible();
    await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
    await expect(page.getByTestId('station-clock')).toHaveCount(0);
    await expect(page.getByTestId('station-name')).toHaveCount(0);
    expect(sockets, 'no connection is attempted before sign-in').toHaveLength(0);

    await page.getByTestId('signin-username').fill(airdeck.admin.username);
    await page.getByTestId('signin-password').fill('not-the-right-password');
    await page.getByTestId('signin-submit').click();
    await expect(page.getByTestId('signin-error')).toContainText('Wrong username or password.');
    await expect(gate).toBeVisible();
    await expect(page.getByTestId('station-clock')).toHaveCount(0);

    await markPage(page);
    await page.getByTestId('signin-password').fill(airdeck.admin.password);
    await page.getByTestId('signin-submit').click();
    await expect(gate).toBeHidden();
    await expect(page.getByTestId('connection-status')).toHaveText('Connected');
    await expect(page.getByTestId('person-name')).toHaveText('Administrator');
    await expect(page.getByTestId('station-clock')).toHaveText(/^\d{2}:\d{2}:\d{2}$/);
    await expectSamePage(page);
    // No secret is in the address bar or in any socket URL.
    expect(page.url()).not.toMatch(/token|session|ticket/);
    for (const url of sockets) expect(new URL(url).search).toBe('');

    // The session (an HttpOnly cookie page scripts cannot read) and the last screen are
    // remembered: opening `/` again goes straight back.
    expect(await page.evaluate(() => document.cookie)).toBe('');
    await page.getByTestId('nav-settings').click();
    await expect(page.getByTestId('station-name-input')).toBeVisible();
    await page.goto(airdeck.origin);
    await expect(page.getByTestId('connection-status')).toHaveText('Connected');
    await expect(gate).toHaveCount(0);
    await expect(page.getByTestId('nav-settings')).toHaveAttribute('aria-current', 'page');

    // Signing out ends the session: the socket closes and a reload asks again.
    await page.getByTestId('sign-out').click();
    await expect(gate).toBeVisible();
    await page.reload();
    await expect(gate).toBeVisible();
  });
});

test('settings saved in one window reach another window without a reload', async ({ airdeck }) => {
  const editorContext = await airdeck.newContext();
  const viewerContext = await airdeck.newContext();
  try {
    const editor = await editorContext.newPage();
    const viewer = await viewerContext.newPage();
    await viewer.goto(airdeck.url);
    await expect(viewer.getByTestId('station-name')).toHaveText('Airdeck');
    await expect(viewer.getByTestId('station-clock')).toHaveAttribute('data-time-zone', 'UTC');
    await markPage(viewer);

    await editor.goto(airdeck.url);
    await editor.getByTestId('nav-settings').click();
    await editor.getByTestId('station-name-input').fill('Harbour City TV');
    await editor.getByTestId('timezone-filter').fill('kathmandu');
    await editor.getByTestId('timezone-select').selectOption('Asia/Kathmandu');
    await editor.getByTestId('settings-save').click();
    await expect(editor.getByTestId('settings-saved')).toBeVisible();

    // Kathmandu is UTC+5:45, so a clock still in UTC would be off by hours and 45 minutes.
    await expect(viewer.getByTestId('station-name')).toHaveText('Harbour City TV');
    const clock = viewer.getByTestId('station-clock');
    await expect(clock).toHaveAttribute('data-time-zone', 'Asia/Kathmandu');
    await expect(viewer.getByTestId('station-zone')).toContainText('Asia/Kathmandu');
    expectClockShowsNow((await clock.textContent()) ?? '', 'Asia/Kathmandu');

    await editor.getByTestId('clock-format-12h').check();
    await editor.getByTestId('settings-save').click();
    await expect(clock).toHaveText(/^\d{2}:\d{2}:\d{2} (AM|PM)$/);

    // The core rejects a blank name; its message is shown and nothing changes anywhere.
    await editor.getByTestId('station-name-input').fill('   ');
    await editor.getByTestId('settings-save').click();
    await expect(editor.getByTestId('settings-error')).toContainText('stationName');
    await expect(viewer.getByTestId('station-name')).toHaveText('Harbour City TV');
    await expectSamePage(viewer);
  } finally {
    await editorContext.close();
    await viewerContext.close();
  }
});

test('readme screenshot', async ({ airdeck }) => {
  const context = await airdeck.newContext({
    viewport: { width: 1440, height: 900 },
    deviceScaleFactor: 1,
  });
  try {
    const page = await context.newPage();
    await page.goto(`${airdeck.url}#/settings`);
    await page.getByTestId('station-name-input').fill('Harbour City TV');
    await page.getByTestId('timezone-filter').fill('Berlin');
    await page.getByTestId('timezone-select').selectOption('Europe/Berlin');
    await page.getByTestId('settings-save').click();
    await expect(page.getByTestId('settings-saved')).toBeVisible();

    await page.getByTestId('nav-station').click();
    await expect(page.getByTestId('health-panel')).toBeVisible();
    await expect(page.getByTestId('ffmpeg-version')).not.toBeEmpty();
    await expect(page.getByTestId('station-clock')).toHaveText(/^\d{2}:\d{2}:\d{2}$/);
    await page.screenshot({ path: SCREENSHOT });
  } finally {
    await context.close();
  }
});
