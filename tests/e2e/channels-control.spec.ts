import type { Page } from '@playwright/test';
import { readFileSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DateTime } from 'luxon';
import {
  callOk,
  contractClient,
  expect,
  importReady,
  makeHouseClip,
  makeMediaDir,
  test,
} from './fixtures';

// Refreshed only on request, so a test run never dirties the checkout.
const DOCS_SCREENSHOT = fileURLToPath(
  new URL('../../docs/screenshot-channels.png', import.meta.url),
);
const INGEST_TIMEOUT_MS = 90_000;
/** The station is not in the browser's zone: times on screen are Berlin's wall clock. */
const ZONE = 'Europe/Berlin';
const VIEWPORT = { width: 1440, height: 900 };

test.use({ viewport: VIEWPORT });

type ScheduleItem = { id: number; assetId: number | null; startsAt: number; endsAt: number };

/** "−05:09" or "−1:02:03" → seconds. */
function seconds(text: string): number {
  const parts = text
    .replace(/[^\d:]/g, '')
    .split(':')
    .map(Number);
  return parts.reduce((total, part) => total * 60 + part, 0);
}

async function openOnAir(page: Page, url: string) {
  await page.goto(`${url}#/channels-control`);
  await expect(page.getByTestId('channels-control-screen')).toBeVisible();
}

const videoTime = (page: Page) =>
  page
    .getByTestId('preview-video')
    .evaluate((video: HTMLVideoElement) => video.currentTime)
    .catch(() => -1);

test('on air: start, take next, hold, release, as-run and export, outputs, stop — live in a second window', async ({
  airdeck,
  page,
}, testInfo) => {
  test.setTimeout(300_000);
  const media = makeMediaDir();
  const client = await contractClient(airdeck);
  const other = await airdeck.newContext({ viewport: VIEWPORT });
  try {
    // Set-up through the contract: station zone, no lock horizon, a channel, three short clips.
    await callOk(client, 'settingsSet', { timeZone: ZONE });
    await callOk(client, 'scheduleSettingsSet', { lockHorizonMs: 0 });
    const channel = await callOk<{ id: number }>(client, 'channelCreate', {
      name: 'Airdeck One',
      number: 1,
      slug: 'one',
    });
    const paths = [
      makeHouseClip(media, 'alpha-first.mp4', { seconds: 20, frequency: 440 }),
      makeHouseClip(media, 'bravo-second.mp4', { seconds: 20, frequency: 660 }),
      makeHouseClip(media, 'charlie-third.mp4', { seconds: 20, frequency: 880 }),
    ];
    const assets = await importReady(client, paths, INGEST_TIMEOUT_MS);
    const byName = (prefix: string) => assets.find((a) => a.name.startsWith(prefix))!;
    const [alpha, bravo, charlie] = [byName('alpha'), byName('bravo'), byName('charlie')];

    // Back to back from the next whole 10 s + 30 s: time to open both windows and start first,
    // and 20 s clips, so a busy machine still sees each one as now and next.
    let cursor = Math.ceil(Date.now() / 10_000) * 10_000 + 30_000;
    const firstStart = cursor;
    for (const asset of [alpha, bravo, charlie]) {
      const change = await callOk<{ changed: ScheduleItem[] }>(client, 'scheduleAdd', {
        channelId: channel.id,
        kind: 'asset',
        assetId: asset.id,
        startsAt: cursor,
      });
      cursor = change.changed.find((item) => item.assetId === asset.id)!.endsAt;
    }

    const second = await other.newPage();
    await openOnAir(page, airdeck.url);
    await openOnAir(second, airdeck.url);
    const tally = page.getByTestId(`tally-${channel.id}`);
    const otherTally = second.getByTestId(`tally-${channel.id}`);
    await expect(tally).toHaveAttribute('data-state', 'off');
    await expect(otherTally).toHaveAttribute('data-state', 'off');
    await expect(page.getByTestId('preview-player')).toContainText('Off air');
    // The rundown already lists the three clips at their station times.
    const rundown = page.getByTestId('rundown');
    await expect(rundown).toContainText('alpha-first');
    await expect(rundown).toContainText('charlie-third');
    await expect(rundown).toContainText(
      DateTime.fromMillis(firstStart, { zone: ZONE }).toFormat('HH:mm:ss'),
    );

    // 1. Start: red tally here and in the other window; the core says when it takes effect.
    await page.getByTestId('action-start').click();
    await expect(tally).toHaveAttribute('data-state', 'on-air');
    await expect(tally).toHaveText('ON AIR');
    await expect(otherTally).toHaveAttribute('data-state', 'on-air');
    await expect(page.getByTestId('action-outcome')).toContainText(
      /Start — takes effect at \d\d:\d\d:\d\d\.\d{3}/,
    );

    // 2. The preview plays the channel's proxy output (its media time advances).
    await expect.poll(() => videoTime(page), { timeout: 30_000 }).toBeGreaterThan(0.5);
    const t0 = await videoTime(page);
    await expect.poll(() => videoTime(page), { timeout: 15_000 }).toBeGreaterThan(t0 + 1);

    // 3. NOW shows the first clip when its time comes, and its countdown runs down.
    await expect(page.getByTestId('now-title')).toContainText('alpha-first', {
      timeout: Math.max(10_000, firstStart - Date.now() + 15_000),
    });
    await expect(second.getByTestId('now-title')).toContainText('alpha-first');
    await expect(page.getByTestId('next-title')).toContainText('bravo-second');
    const remaining = seconds((await page.getByTestId('now-remaining').textContent()) ?? '');
    await expect
      .poll(async () => seconds((await page.getByTestId('now-remaining').textContent()) ?? ''), {
        timeout: 5_000,
      })
      .toBeLessThan(remaining);
    await expect(page.getByTestId('next-countdown')).toHaveText(/−\d\d:\d\d/);

    // 4. Take next (Ctrl+Enter also works): the second clip is on within a segment or two.
    await page.getByTestId('action-take-next').click();
    await expect(page.getByTestId('action-outcome')).toContainText('Take next — takes effect at');
    await expect(page.getByTestId('now-title')).toContainText('bravo-second', { timeout: 8_000 });
    await expect(second.getByTestId('now-title')).toContainText('bravo-second', { timeout: 8_000 });

    // 5. Hold: amber HELD tally everywhere; Release: red again.
    await page.getByTestId('action-hold').click();
    await expect(tally).toHaveAttribute('data-state', 'held');
    await expect(tally).toHaveText('HELD');
    await expect(otherTally).toHaveAttribute('data-state', 'held');
    await expect(page.getByTestId('action-release')).toBeEnabled();
    await page.waitForTimeout(2_500);
    await page.getByTestId('action-release').click();
    await expect(tally).toHaveAttribute('data-state', 'on-air');
    await expect(otherTally).toHaveAttribute('data-state', 'on-air');
    await expect(page.getByTestId('action-outcome')).toContainText('Release — takes effect at');

    // 6. Insert now: pick a ready asset in the dialog; it goes on air within a segment or two.
    await page.getByTestId('action-insert').click();
    const insert = page.getByTestId('insert-dialog');
    await expect(insert).toBeVisible();
    await insert.getByTestId('insert-search').fill('charlie');
    await expect(insert.getByRole('option')).toHaveCount(1);
    await insert.getByTestId(`insert-asset-${charlie.id}`).click();
    await insert.getByTestId('insert-confirm').click();
    await expect(insert).toBeHidden();
    await expect(page.getByTestId('action-outcome')).toContainText('Insert now — takes effect at');
    await expect(page.getByTestId('now-title')).toContainText('charlie-third', { timeout: 8_000 });
    await expect(second.getByTestId('now-title')).toContainText('charlie-third', {
      timeout: 8_000,
    });

    // The preview runs a few segments behind the live edge: let it reach the inserted clip.
    if (process.env.AIRDECK_UPDATE_SCREENSHOT) await page.waitForTimeout(8_000);
    const screenshot = process.env.AIRDECK_UPDATE_SCREENSHOT
      ? DOCS_SCREENSHOT
      : testInfo.outputPath('screenshot-channels.png');
    await page.screenshot({ path: screenshot });

    // An ad break now, from the keyboard: it airs (as slate, with SCTE-35 markers) from the
    // next boundary, in both windows.
    await page.keyboard.press('Alt+B');
    const adBreak = page.getByTestId('break-dialog');
    await expect(adBreak).toBeVisible();
    await adBreak.getByTestId('break-seconds').fill('0');
    await expect(adBreak.getByTestId('break-confirm')).toBeDisabled();
    await adBreak.getByTestId('break-seconds').fill('12');
    await adBreak.getByTestId('break-title').fill('Ad break');
    await adBreak.getByTestId('break-confirm').click();
    await expect(adBreak).toBeHidden();
    await expect(page.getByTestId('action-outcome')).toContainText('Break now — takes effect at');
    await expect(page.getByTestId('now-title')).toContainText('Ad break', { timeout: 8_000 });
    await expect(second.getByTestId('now-title')).toContainText('Ad break', { timeout: 8_000 });

    // 7. As-run: programme rows and the action rows, live; the other window sees them too.
    await page.getByTestId('tab-asrun').click();
    const table = page.getByTestId('asrun-table');
    const programmeRow = (title: string) =>
      table.locator('tr[data-kind="programme"]', { hasText: title });
    const actionRow = (title: string) =>
      table.locator('tr[data-kind="action"]', { hasText: title });
    await expect(programmeRow('alpha-first')).toHaveCount(1);
    await expect(programmeRow('bravo-second').first()).toBeVisible();
    for (const action of ['Start', 'Take next', 'Hold', 'Release', 'Insert now', 'Break now']) {
      await expect(actionRow(action)).toHaveCount(1);
    }
    await expect(programmeRow('alpha-first')).toContainText(/[+−±]\d+\.\d{3} s \([+−±]\d+ f\)/);
    await second.getByTestId('tab-asrun').click();
    await expect(second.getByTestId('asrun-table').locator('tr[data-kind="action"]')).toHaveCount(
      6,
    );

    await page.screenshot({ path: testInfo.outputPath('asrun.png') });

    // Export CSV: a download named after the channel and the station day.
    const day = DateTime.now().setZone(ZONE).toISODate()!;
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId('asrun-export').click(),
    ]);
    expect(download.suggestedFilename()).toBe(`asrun-one-${day}.csv`);
    const csv = readFileSync((await download.path())!, 'utf8');
    expect(csv.split(/\r?\n/)[0]).toContain('aired_at');
    for (const text of [
      'alpha-first',
      'bravo-second',
      'Take next',
      'Hold',
      'Release',
      'Insert now',
    ]) {
      expect(csv).toContain(text);
    }

    // 8. Outputs: absolute public links; requiring a key puts it into every link.
    await page.getByTestId('tab-outputs').click();
    const master = page.getByTestId('output-link-master');
    await expect(master).toHaveAttribute('href', `${airdeck.origin}channels/one/index.m3u8`);
    await expect(page.getByTestId('output-link-epg')).toHaveAttribute(
      'href',
      `${airdeck.origin}iptv/epg.xml`,
    );
    await expect(page.getByTestId('output-link-discover')).toHaveAttribute(
      'href',
      `${airdeck.origin}discover.json`,
    );
    await page.getByTestId('outputs-require-key').check();
    await page.getByTestId('outputs-generate-key').click();
    const key = await page.getByTestId('outputs-key').inputValue();
    expect(key).toMatch(/^[A-Za-z0-9_-]{32}$/);
    await page.getByTestId('outputs-save').click();
    await page.screenshot({ path: testInfo.outputPath('outputs.png') });
    await expect(master).toHaveAttribute(
      'href',
      `${airdeck.origin}channels/one/index.m3u8?key=${key}`,
    );
    expect((await page.request.get(`${airdeck.origin}channels/one/index.m3u8`)).status()).toBe(401);
    expect((await page.request.get((await master.getAttribute('href'))!)).status()).toBe(200);
    await page.getByTestId('outputs-require-key').uncheck();
    await page.getByTestId('outputs-save').click();
    await expect(master).toHaveAttribute('href', `${airdeck.origin}channels/one/index.m3u8`);

    // 9. Stop asks first, then the channel is off air everywhere and the preview says so.
    await page.getByTestId('tab-control').click();
    await page.getByTestId('action-stop').click();
    const dialog = page.getByTestId('stop-dialog');
    await expect(dialog).toBeVisible();
    await dialog.getByTestId('confirm-stop').click();
    await expect(tally).toHaveAttribute('data-state', 'off');
    await expect(otherTally).toHaveAttribute('data-state', 'off');
    await expect(page.getByTestId('preview-player')).toContainText('Off air');
    await expect(page.getByTestId('now-title')).toHaveText('Off air');
    expect((await page.request.get(`${airdeck.origin}channels/one/proxy.m3u8`)).status()).toBe(503);
  } finally {
    await other.close();
    client.close();
    rmSync(media, { recursive: true, force: true });
  }
});
