// S3 storage end to end: a real S3 protocol server (s3rver) holds a clip made with lavfi; the
// operator adds the bucket in Settings, browses it in the library, imports the object (no copy
// into the library folder: the core's cache fetches it), and the asset plays on a channel.
import type { Page } from '@playwright/test';
import { readFileSync, rmSync } from 'node:fs';
import { callOk, contractClient, expect, makeHouseClip, makeMediaDir } from './fixtures';
import { S3RVER_ENV, testWithS3 } from './s3-fixture';

const BUCKET = 'harbour-media';
const KEY = 'programmes/harbour-evening.mp4';
const INGEST_TIMEOUT_MS = 90_000;

const test = testWithS3(BUCKET);

test.use({ airdeckEnv: S3RVER_ENV });
test.use({ viewport: { width: 1440, height: 900 } });

async function openSettings(page: Page, url: string) {
  await page.goto(`${url}#/settings`);
  await expect(page.getByTestId('storage-locations')).toBeVisible();
}

/** Fills the add form of the Settings panel (keys left empty: they come from the environment). */
async function fillLocation(
  page: Page,
  fields: { name: string; endpoint: string; bucket: string; prefix?: string },
) {
  const form = page.getByTestId('storage-form');
  await form.getByTestId('storage-name').fill(fields.name);
  await form.getByTestId('storage-endpoint').fill(fields.endpoint);
  await form.getByTestId('storage-region').fill('us-east-1');
  await form.getByTestId('storage-bucket').fill(fields.bucket);
  await form.getByTestId('storage-prefix').fill(fields.prefix ?? '');
  await expect(form.getByTestId('storage-pathStyle')).toBeChecked();
}

const videoTime = (page: Page) =>
  page
    .getByTestId('preview-video')
    .evaluate((video: HTMLVideoElement) => video.currentTime)
    .catch(() => -1);

test('add an S3 location, browse it, import an object, schedule it and see it play', async ({
  page,
  airdeck,
  s3,
  request,
}) => {
  test.setTimeout(5 * 60_000);
  const media = makeMediaDir();
  const client = await contractClient(airdeck);
  try {
    // A 10 s H.264/AAC clip in a "folder" of the bucket, plus one object at the top.
    const clip = makeHouseClip(media, 'harbour-evening.mp4', { seconds: 10, frequency: 550 });
    const clipBytes = readFileSync(clip);
    await s3.put(KEY, clipBytes);
    await s3.put('readme-first.mp4', clipBytes);

    // 1. Settings: the location is checked before it is saved, then listed with its key source.
    await openSettings(page, airdeck.url);
    await expect(page.getByTestId('storage-locations')).toContainText('No storage locations.');
    await fillLocation(page, {
      name: 'Harbour Archive',
      endpoint: s3.endpoint,
      bucket: 'nope-missing',
    });
    await page.getByTestId('storage-test').click();
    await expect(page.getByTestId('storage-test-result')).toHaveAttribute('data-ok', 'false');
    await expect(page.getByTestId('storage-test-result')).toContainText('Connection failed');
    await page.getByTestId('storage-bucket').fill(BUCKET);
    await page.getByTestId('storage-test').click();
    await expect(page.getByTestId('storage-test-result')).toHaveAttribute('data-ok', 'true');
    await page.getByTestId('storage-save').click();
    const row = page
      .locator('[data-testid^="storage-location-"]')
      .filter({ hasText: 'Harbour Archive' });
    await expect(row).toBeVisible();
    await expect(row).toContainText(`${s3.endpoint} · ${BUCKET}/`);
    await expect(row).toContainText('AIRDECK_S3_* variables');
    // The cache panel shows its status and the default policy.
    await expect(page.getByTestId('cache-entries')).toHaveText('0');
    await expect(page.getByTestId('cache-free')).toHaveText(/^[\d.]+ [kMGT]?B/);
    await expect(page.getByTestId('cache-horizonHours')).toHaveValue('24');
    await expect(page.getByTestId('cache-orphanMinutes')).toHaveValue('120');

    // 2. Library: the location is a folder in the tree; its key prefixes are sub-folders.
    await page.goto(`${airdeck.url}#/library`);
    const node = page.locator('[data-testid^="storage-node-"]', { hasText: 'Harbour Archive' });
    await node.click();
    await expect(page.getByTestId('storage-browser')).toBeVisible();
    await expect(page.getByTestId('storage-count')).toContainText('1 folder · 1 object');
    await page
      .locator('[data-testid="storage-folder"][data-prefix="programmes/"]')
      .getByRole('button')
      .click();
    await expect(page.getByTestId('storage-breadcrumbs')).toContainText('programmes');
    const object = page.locator(`[data-testid="storage-object"][data-key="${KEY}"]`);
    await expect(object).toContainText('harbour-evening.mp4');
    await expect(object).toHaveAttribute('data-imported', 'false');
    await expect(object).toContainText('Not imported');

    // 3. Import it into the library's top folder; it becomes an asset and is ingested.
    await object.getByRole('checkbox').check();
    await expect(page.getByTestId('storage-import')).toHaveText('Import 1 object');
    await expect(page.getByTestId('storage-import-folder')).toHaveValue('1');
    // The bucket answers slowly (about five seconds for the clip), so the download is seen.
    s3.setThrottle(Math.ceil(clipBytes.length / 5));
    await page.getByTestId('storage-import').click();
    const download = object.getByTestId('storage-download');
    await expect(download).toBeVisible();
    await expect(download.getByRole('progressbar')).toBeVisible();
    await expect(download).toHaveAttribute('data-state', /downloading|verifying/);
    await expect(page.getByTestId('library-notice')).toContainText('Importing 1 object into');
    await expect(object).toHaveAttribute('data-imported', 'true');
    s3.setThrottle(null);
    const state = object.locator('[data-testid^="storage-asset-state-"]');
    await expect(state).toHaveAttribute('data-state', 'ready', { timeout: INGEST_TIMEOUT_MS });
    const assetId = Number(
      (await state.getAttribute('data-testid'))?.replace('storage-asset-state-', ''),
    );
    expect(assetId).toBeGreaterThan(0);
    const detail = await callOk<{ name: string; source: { kind: string } }>(
      client,
      'libraryAsset',
      {
        id: assetId,
      },
    );
    expect(detail.source.kind).toBe('s3');

    // "Show" opens the asset where it landed in the library.
    await object.getByRole('button', { name: 'Show' }).click();
    await expect(page.getByTestId(`asset-row-${assetId}`)).toBeVisible();
    await expect(page.getByTestId(`asset-state-${assetId}`)).toHaveAttribute('data-state', 'ready');
    // Its details name the S3 source and offer to keep the object cached whatever the schedule.
    await expect(page.getByTestId('metadata-panel')).toContainText(KEY);
    await page.getByTestId('cache-pin').check();
    await expect
      .poll(
        async () =>
          (await callOk<{ pinnedAssetIds: number[] }>(client, 'cacheStatus', {})).pinnedAssetIds,
      )
      .toEqual([assetId]);

    // The object went through the cache: Settings counts it.
    await openSettings(page, airdeck.url);
    await expect
      .poll(async () => Number(await page.getByTestId('cache-entries').textContent()))
      .toBeGreaterThanOrEqual(1);
    await expect(page.getByTestId('cache-retained')).toHaveText(/^1\b/);

    // 4. Schedule it on a channel (the calendar's drag and drop is covered in schedule.spec).
    await callOk(client, 'scheduleSettingsSet', { lockHorizonMs: 0 });
    const channel = await callOk<{ id: number }>(client, 'channelCreate', {
      name: 'Harbour One',
      number: 1,
      slug: 'harbour-one',
    });
    const startsAt = Math.ceil(Date.now() / 10_000) * 10_000 + 20_000;
    await callOk(client, 'scheduleAdd', {
      channelId: channel.id,
      kind: 'asset',
      assetId,
      startsAt,
    });

    // 5. On air: start the channel; when the item's time comes it is NOW, the live playlist
    //    serves its segments and the hls.js preview plays.
    await page.goto(`${airdeck.url}#/channels-control`);
    await expect(page.getByTestId('channels-control-screen')).toBeVisible();
    await page.getByTestId('action-start').click();
    await expect(page.getByTestId(`tally-${channel.id}`)).toHaveAttribute('data-state', 'on-air');
    await expect(page.getByTestId('now-title')).toContainText('harbour-evening', {
      timeout: Math.max(10_000, startsAt - Date.now() + 15_000),
    });

    const playlistUrl = `${airdeck.origin}channels/harbour-one/main.m3u8`;
    const playlist = await (await request.get(playlistUrl)).text();
    expect(playlist).toContain('#EXTM3U');
    const segments = playlist.split('\n').filter((line) => line.endsWith('.ts'));
    expect(segments.length).toBeGreaterThan(0);
    const segment = await request.get(
      new URL(segments[segments.length - 1]!, playlistUrl).toString(),
    );
    expect(segment.status()).toBe(200);
    const bytes = await segment.body();
    // MPEG-TS: 188-byte packets, each starting with the sync byte 0x47.
    expect(bytes.length % 188).toBe(0);
    expect(bytes[0]).toBe(0x47);

    await expect.poll(() => videoTime(page), { timeout: 30_000 }).toBeGreaterThan(0.5);
    const t0 = await videoTime(page);
    await expect.poll(() => videoTime(page), { timeout: 15_000 }).toBeGreaterThan(t0 + 1);
  } finally {
    client.close();
    rmSync(media, { recursive: true, force: true });
  }
});

test('cache policy is edited in Settings and a bad value is refused with the reason', async ({
  page,
  airdeck,
}) => {
  test.setTimeout(60_000);
  await openSettings(page, airdeck.url);
  const panel = page.getByTestId('cache-panel');
  await expect(panel.getByTestId('cache-status')).toBeVisible();
  await panel.getByTestId('cache-horizonHours').fill('12');
  await panel.getByTestId('cache-orphanMinutes').fill('45');
  await panel.getByTestId('cache-sizeCapGb').fill('2.5');
  await panel.getByTestId('cache-save').click();
  await expect(panel.getByTestId('cache-saved')).toBeVisible();
  await expect(panel.getByTestId('cache-used')).toContainText('of 2.5 GB');

  // Every window shows the saved policy (a reload reads it back from the core).
  await page.reload();
  await expect(page.getByTestId('cache-horizonHours')).toHaveValue('12');
  await expect(page.getByTestId('cache-orphanMinutes')).toHaveValue('45');
  await expect(page.getByTestId('cache-sizeCapGb')).toHaveValue('2.5');

  // Zero hours is not a horizon: the core's message is shown and nothing changes.
  await page.getByTestId('cache-horizonHours').fill('0');
  await page.getByTestId('cache-save').click();
  await expect(page.getByTestId('cache-error')).toBeVisible();
  await page.reload();
  await expect(page.getByTestId('cache-horizonHours')).toHaveValue('12');
});

test.describe('keys typed in Settings', () => {
  // No keys in the environment: the location's own keys are the only ones.
  test.use({ airdeckEnv: {} });

  test('are kept by the core, a wrong one fails the test with the reason; edit and remove follow in the library', async ({
    page,
    airdeck,
    s3,
  }) => {
    test.setTimeout(2 * 60_000);
    const media = makeMediaDir();
    try {
      const clip = makeHouseClip(media, 'weather.mp4', { seconds: 2 });
      await s3.put('news/weather.mp4', readFileSync(clip));
      await s3.put('promo.mp4', readFileSync(clip));

      await openSettings(page, airdeck.url);
      await fillLocation(page, { name: 'Newsroom', endpoint: s3.endpoint, bucket: BUCKET });
      const form = page.getByTestId('storage-form');
      // s3rver checks the key id (not SigV4 signatures): an unknown id is refused.
      await form.getByTestId('storage-accessKeyId').fill('NOT-A-KEY');
      await form.getByTestId('storage-secretAccessKey').fill(s3.secretAccessKey);
      await form.getByTestId('storage-test').click();
      await expect(form.getByTestId('storage-test-result')).toHaveAttribute('data-ok', 'false');
      await expect(form.getByTestId('storage-test-result')).toContainText(/access key/i);

      await form.getByTestId('storage-accessKeyId').fill(s3.accessKeyId);
      await form.getByTestId('storage-test').click();
      await expect(form.getByTestId('storage-test-result')).toHaveAttribute('data-ok', 'true');
      await form.getByTestId('storage-save').click();
      const row = page.locator('[data-testid^="storage-location-"]', { hasText: 'Newsroom' });
      await expect(row).toContainText('keys in the data folder');
      // The form is empty again: a secret is never shown after it is saved.
      await expect(form.getByTestId('storage-secretAccessKey')).toHaveValue('');
      const id = Number((await row.getAttribute('data-testid'))?.replace('storage-location-', ''));
      await page.getByTestId(`storage-location-test-${id}`).click();
      await expect(page.getByTestId(`storage-location-test-result-${id}`)).toHaveAttribute(
        'data-ok',
        'true',
      );

      // The library lists the bucket's top: one folder, one object.
      await page.goto(`${airdeck.url}#/library`);
      await page.getByTestId(`storage-node-${id}`).click();
      await expect(page.getByTestId('storage-count')).toContainText('1 folder · 1 object');

      // Narrowed to news/ in Settings, the same location lists only what is under it.
      await page.goto(`${airdeck.url}#/settings`);
      await row.getByRole('button', { name: 'Edit' }).click();
      await expect(form).toContainText('Edit “Newsroom”');
      await form.getByTestId('storage-prefix').fill('news');
      await form.getByTestId('storage-save').click();
      await expect(row).toContainText(`${BUCKET}/news/`);
      await expect(row).toContainText('keys in the data folder');
      await page.goto(`${airdeck.url}#/library`);
      await page.getByTestId(`storage-node-${id}`).click();
      await expect(page.getByTestId('storage-count')).toHaveText('1 object');
      await expect(page.locator('[data-testid="storage-object"]')).toHaveAttribute(
        'data-key',
        'weather.mp4',
      );

      // Removed (after a confirmation), it leaves the library's tree.
      await page.goto(`${airdeck.url}#/settings`);
      await page.getByTestId(`storage-location-remove-${id}`).click();
      await page.getByTestId(`storage-location-remove-confirm-${id}`).click();
      await expect(page.getByTestId('storage-locations')).toContainText('No storage locations.');
      await page.goto(`${airdeck.url}#/library`);
      await expect(page.getByTestId('storage-tree')).toContainText('No S3 locations.');
    } finally {
      rmSync(media, { recursive: true, force: true });
    }
  });
});
