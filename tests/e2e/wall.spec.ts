import type { Page } from '@playwright/test';
import { createServer, type Server } from 'node:http';
import { rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import {
  callOk,
  contractClient,
  expect,
  importReady,
  makeHouseClip,
  makeMediaDir,
  test,
} from './fixtures';

const INGEST_TIMEOUT_MS = 90_000;
const VIEWPORT = { width: 1440, height: 900 };

test.use({ viewport: VIEWPORT });

async function openWall(page: Page, url: string) {
  await page.goto(`${url}#/wall`);
  await expect(page.getByTestId('wall-screen')).toBeVisible();
}

/** A port nothing listens on: an outside stream there can never be opened. */
async function closedPort(): Promise<number> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

const peak = (page: Page, source: string) =>
  page
    .locator(`[data-testid="wall-tile"][data-source="${source}"] [data-testid="wall-meter"]`)
    .getAttribute('data-peak')
    .then((v) => (v === null || v === '-inf' ? -Infinity : Number(v)));

test('wall: every window follows the others — tally, alarms and layouts — and tiles really play', async ({
  airdeck,
  page,
}) => {
  test.setTimeout(300_000);
  const media = makeMediaDir();
  const client = await contractClient(airdeck);
  const other = await airdeck.newContext({ viewport: VIEWPORT });
  try {
    await callOk(client, 'scheduleSettingsSet', { lockHorizonMs: 0 });
    const channel = await callOk<{ id: number }>(client, 'channelCreate', {
      name: 'Wall One',
      number: 1,
      slug: 'wall-one',
    });
    const paths = [
      makeHouseClip(media, 'tone-first.mp4', { seconds: 20, frequency: 440 }),
      makeHouseClip(media, 'tone-second.mp4', { seconds: 20, frequency: 660 }),
    ];
    const assets = await importReady(client, paths, INGEST_TIMEOUT_MS);
    let cursor = Math.ceil(Date.now() / 10_000) * 10_000;
    for (const asset of [...assets, ...assets]) {
      const change = await callOk<{ changed: { assetId: number | null; endsAt: number }[] }>(
        client,
        'scheduleAdd',
        { channelId: channel.id, kind: 'asset', assetId: asset.id, startsAt: cursor },
      );
      cursor = change.changed.find((item) => item.assetId === asset.id)!.endsAt;
    }
    await callOk(client, 'playoutStart', { channelId: channel.id });

    const second = await other.newPage();
    await openWall(page, airdeck.url);
    await openWall(second, airdeck.url);
    const tile = (p: Page) =>
      p.locator(`[data-testid="wall-tile"][data-source="channel:${channel.id}"]`);

    // On air: red tally in both windows, the proxy plays and the meters move with its tone.
    for (const p of [page, second]) {
      await expect(tile(p)).toHaveAttribute('data-tally', 'on-air');
      await expect(tile(p).getByTestId('wall-tally')).toHaveText('ON AIR');
      await expect(tile(p).getByTestId('wall-name')).toHaveText('Wall One');
    }
    await expect(tile(second)).toHaveAttribute('data-playing', 'yes', { timeout: 60_000 });
    await expect
      .poll(() => peak(second, `channel:${channel.id}`), { timeout: 20_000 })
      .toBeGreaterThan(-40);
    await expect(tile(second).getByTestId('wall-now')).toContainText('tone-', { timeout: 30_000 });
    await expect(tile(second).getByTestId('wall-countdown')).toHaveText(/^\d+:\d\d$/);

    // Click solos the tile (the one heard); Esc drops the solo.
    await tile(second).click();
    await expect(tile(second)).toHaveAttribute('data-solo', 'yes');
    await second.keyboard.press('Escape');
    await expect(tile(second)).toHaveAttribute('data-solo', 'no');

    // Stop the channel from the On air screen of window A: window B's tile turns grey.
    await page.goto(`${airdeck.url}#/channels-control`);
    await page.getByTestId('action-stop').click();
    await page.getByTestId('stop-dialog').getByTestId('confirm-stop').click();
    await expect(tile(second)).toHaveAttribute('data-tally', 'off');
    await expect(tile(second).getByTestId('wall-tally')).toHaveText('OFF');
    await expect(tile(second)).toHaveAttribute('data-loading', 'off');

    // An outside stream nobody serves, added from window A's wall: offline alarm in both.
    await openWall(page, airdeck.url);
    const port = await closedPort();
    await page.getByTestId('wall-sources-open').click();
    const dialog = page.getByTestId('wall-sources');
    await dialog.getByTestId('wall-source-url').fill('ftp://example.net/x.m3u8');
    await expect(dialog).toContainText('only http:// and https://');
    await dialog.getByTestId('wall-source-name').fill('Remote feed');
    await dialog.getByTestId('wall-source-url').fill(`http://127.0.0.1:${port}/live/index.m3u8`);
    await dialog.getByTestId('wall-source-add').click();
    await expect(dialog.getByTestId('wall-source')).toContainText('Remote feed');
    await dialog.getByTestId('wall-sources-close').click();

    const streamTile = (p: Page) => p.locator('[data-testid="wall-tile"][data-source^="stream:"]');
    const badge = (p: Page) =>
      streamTile(p).locator('[data-testid="wall-alarm"][data-kind="offline"]');
    for (const p of [page, second]) {
      await expect(streamTile(p).getByTestId('wall-name')).toHaveText('Remote feed');
      await expect(badge(p)).toHaveAttribute('data-acknowledged', 'no', { timeout: 30_000 });
    }
    // Acknowledged in A: the flashing badge clears in B.
    await badge(page).click();
    await expect(badge(second)).toHaveAttribute('data-acknowledged', 'yes');
    await expect(second.locator('[data-testid="wall-alarm"][data-acknowledged="no"]')).toHaveCount(
      0,
    );

    // Back on air (from another window) in B; showing the stream alone stops the hidden tile.
    await callOk(client, 'playoutStart', { channelId: channel.id });
    await expect(tile(second)).toHaveAttribute('data-tally', 'on-air');
    await expect(tile(second)).toHaveAttribute('data-loading', 'on');
    await streamTile(second).dblclick();
    await expect(tile(second)).toBeHidden();
    await expect(tile(second)).toHaveAttribute('data-loading', 'off');
    await expect(second.locator('video')).toHaveCount(2);
    await expect
      .poll(() =>
        tile(second)
          .locator('video')
          .evaluate((v: HTMLVideoElement) => v.src),
      )
      .toBe('');
    await second.keyboard.press('Escape');
    await expect(tile(second)).toBeVisible();
    await expect(tile(second)).toHaveAttribute('data-loading', 'on');

    // A custom layout saved in A appears in B's list; A reopens on it after a reload.
    await page.getByTestId('wall-preset-2').click();
    await expect(page.getByTestId('wall-editor-cell')).toHaveCount(4);
    await page.getByTestId('wall-cols').selectOption('3');
    await page.getByTestId('wall-rows').selectOption('1');
    await expect(page.getByTestId('wall-editor-cell')).toHaveCount(3);
    await page
      .getByTestId('wall-editor-cell')
      .nth(2)
      .locator('select')
      .selectOption(`channel:${channel.id}`);
    await page.getByTestId('wall-layout-name').fill('Gallery');
    await page.getByTestId('wall-save').click();
    await expect(page.getByTestId('wall-grid')).toHaveAttribute('data-cols', '3');
    await expect(page.getByTestId('wall-grid').locator(':scope > *').nth(2)).toHaveAttribute(
      'data-source',
      `channel:${channel.id}`,
    );
    await expect(second.getByTestId('wall-layout-select').locator('option')).toContainText([
      'All sources',
      'Gallery',
    ]);
    await page.reload();
    await expect(page.getByTestId('wall-grid')).toHaveAttribute('data-cols', '3');
    await expect(page.getByTestId('wall-layout-select').locator('option:checked')).toHaveText(
      'Gallery',
    );

    // The full-screen wall is its own page: no shell around it, the chosen layout.
    const layoutId = await page
      .getByTestId('wall-layout-select')
      .evaluate((s: HTMLSelectElement) => s.value);
    const wallPage = await other.newPage();
    await wallPage.goto(`${airdeck.origin}?fullscreen=1&layout=${layoutId}#/wall`);
    await expect(wallPage.getByTestId('wall-grid')).toHaveAttribute('data-cols', '3');
    await expect(wallPage.getByTestId('wall-layout-select')).toHaveCount(0);
    const box = await wallPage.getByTestId('wall-screen').boundingBox();
    expect(box).toMatchObject({ x: 0, y: 0, width: VIEWPORT.width, height: VIEWPORT.height });
  } finally {
    client.close();
    await other.close();
    rmSync(media, { recursive: true, force: true });
  }
});
