// Publishing in Settings: the operator turns publishing on for an S3 location and gives it a
// public segment base URL; an imported object's renditions go up to the bucket and the
// location's row counts them, patched by the core's events (no reload, no polling).
import { readFileSync, rmSync } from 'node:fs';
import { ListObjectsV2Command } from '@aws-sdk/client-s3';
import { callOk, contractClient, expect, makeHouseClip, makeMediaDir } from './fixtures';
import { S3RVER_ENV, testWithS3 } from './s3-fixture';

const BUCKET = 'harbour-renditions';
const KEY = 'programmes/harbour-morning.mp4';

const test = testWithS3(BUCKET);

test.use({ airdeckEnv: S3RVER_ENV });
test.use({ viewport: { width: 1440, height: 900 } });

test('publishing is switched on in Settings and the location counts what went up', async ({
  page,
  airdeck,
  s3,
}) => {
  test.setTimeout(3 * 60_000);
  const media = makeMediaDir();
  const client = await contractClient(airdeck);
  try {
    await s3.put(KEY, readFileSync(makeHouseClip(media, 'harbour-morning.mp4', { seconds: 4 })));
    const publicBase = `${s3.directEndpoint}/${BUCKET}`;

    await page.goto(`${airdeck.url}#/settings`);
    const form = page.getByTestId('storage-form');
    await form.getByTestId('storage-name').fill('Harbour Renditions');
    await form.getByTestId('storage-endpoint').fill(s3.endpoint);
    await form.getByTestId('storage-bucket').fill(BUCKET);
    await form.getByTestId('storage-publishRenditions').check();
    await form.getByTestId('storage-publicBaseUrl').fill(publicBase);
    await form.getByTestId('storage-save').click();

    const { locations } = await callOk<{ locations: { id: number; publicBaseUrl: string }[] }>(
      client,
      'storageLocationsList',
      {},
    );
    expect(locations).toEqual([expect.objectContaining({ publicBaseUrl: publicBase })]);
    const id = locations[0]!.id;
    const line = page.getByTestId(`storage-location-publishing-${id}`);
    await expect(line).toContainText('Publishes renditions');
    await expect(line).toContainText(`players fetch segments from ${publicBase}`);

    await callOk(client, 'storageImport', { locationId: id, keys: [KEY], folderId: 1 });
    // Ingest, preview, then the upload: the row follows the core's events.
    await expect(line).toContainText('1 published', { timeout: 120_000 });
    await expect(line).not.toContainText('pending');
    const listed = await s3.client.send(
      new ListObjectsV2Command({ Bucket: BUCKET, Prefix: 'airdeck/renditions/' }),
    );
    const keys = (listed.Contents ?? []).map((o) => o.Key ?? '');
    expect(keys.some((k) => k.endsWith('/manifest.json'))).toBe(true);
    expect(keys.some((k) => k.endsWith('/main/seg_00000.ts'))).toBe(true);

    // Switched off again in the form: what is there stays counted.
    await page.getByTestId(`storage-location-${id}`).getByRole('button', { name: 'Edit' }).click();
    await form.getByTestId('storage-publishRenditions').uncheck();
    await form.getByTestId('storage-save').click();
    await expect(line).toHaveText(/^Not publishing: 1 published/);
  } finally {
    client.close();
    rmSync(media, { recursive: true, force: true });
  }
});
