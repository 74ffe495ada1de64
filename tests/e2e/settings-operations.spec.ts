import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { callOk, contractClient, expect, makeClip, makeMediaDir, test } from './fixtures';

test('a watch folder added on the Settings screen imports what is copied into it', async ({
  page,
  airdeck,
}) => {
  // Ingest runs a real transcode; the wait below allows 90 s, so the test must too.
  test.setTimeout(150_000);
  const media = makeMediaDir();
  const client = await contractClient(airdeck);
  try {
    const clip = makeClip(media, 'source.mp4', { seconds: 4 });
    const watched = join(media, 'incoming');
    mkdirSync(watched);
    await page.goto(`${airdeck.url}#/settings`);

    // A path that is not a directory on the core machine comes back as the core's message.
    await page.getByTestId('watch-path').fill(join(media, 'missing'));
    await page.getByTestId('watch-add').click();
    await expect(page.getByTestId('watch-error')).toBeVisible();

    await page.getByTestId('watch-path').fill(watched);
    await page.getByTestId('watch-add').click();
    const row = page.getByTestId('watch-folders').locator('.watch-list__row');
    await expect(row).toHaveCount(1);
    await expect(row).toContainText('Watching');
    await expect(row).toContainText('Library');

    copyFileSync(clip, join(watched, 'Evening news.mp4'));
    await expect
      .poll(
        async () => {
          const page1 = await callOk<{ items: { name: string; state: string }[] }>(
            client,
            'libraryQuery',
            { folderId: 1 },
          );
          return page1.items.find((item) => item.name.startsWith('Evening news'))?.state;
        },
        { timeout: 90_000 },
      )
      .toBe('ready');

    await row.getByRole('button', { name: 'Stop watching' }).click();
    await expect(page.getByTestId('watch-folders')).toContainText('No watch folders.');
  } finally {
    client.close();
    rmSync(media, { recursive: true, force: true });
  }
});

test('the lock horizon is set on the Settings screen and reaches the core', async ({
  page,
  airdeck,
}) => {
  const client = await contractClient(airdeck);
  try {
    await page.goto(`${airdeck.url}#/settings`);
    await expect(page.getByTestId('lock-horizon-minutes')).toHaveValue('5');
    await page.getByTestId('lock-horizon-minutes').fill('2.5');
    await page.getByTestId('lock-horizon-save').click();
    await expect
      .poll(
        async () =>
          (await callOk<{ lockHorizonMs: number }>(client, 'scheduleSettingsGet', {}))
            .lockHorizonMs,
      )
      .toBe(150_000);
    // A change made elsewhere shows here without a reload.
    await callOk(client, 'scheduleSettingsSet', { lockHorizonMs: 600_000 });
    await expect(page.getByTestId('lock-horizon-minutes')).toHaveValue('10');
  } finally {
    client.close();
  }
});
