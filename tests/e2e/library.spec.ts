import type { Locator, Page } from '@playwright/test';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import {
  callOk,
  contractClient,
  expect,
  makeBrokenFile,
  makeClip,
  makeMediaDir,
  test,
} from './fixtures';

// The screenshot is refreshed only on request, so a test run never dirties the checkout.
const SCREENSHOT = fileURLToPath(
  new URL(
    process.env.AIRDECK_UPDATE_SCREENSHOT
      ? '../../docs/screenshot-library.png'
      : '../../test-results/library-screenshot.png',
    import.meta.url,
  ),
);

/** A 6 s clip ingests in seconds on a laptop; a 2-core CI box gets a generous bound. */
const INGEST_TIMEOUT_MS = 90_000;

test.use({ viewport: { width: 1440, height: 900 } });

/** The row (list view) of the asset called `name` in the current folder. */
function row(page: Page, name: string): Locator {
  return page.locator('[data-testid^="asset-row-"]').filter({
    has: page.locator('[data-testid^="asset-name-"]', { hasText: new RegExp(`^${name}$`) }),
  });
}

async function assetIdOf(rowLocator: Locator): Promise<number> {
  const testId = await rowLocator.getAttribute('data-testid');
  const id = Number(testId?.replace('asset-row-', ''));
  expect(id, `asset id from ${testId}`).toBeGreaterThan(0);
  return id;
}

/**
 * Records every state each asset badge shows, from before the first upload, so a short ingest
 * that passes through probing and ingesting quickly is still seen doing so.
 */
async function recordStates(page: Page) {
  await page.evaluate(() => {
    const seen: Record<string, string[]> = {};
    (window as unknown as { assetStates: typeof seen }).assetStates = seen;
    const note = (element: Element) => {
      const id = element.getAttribute('data-testid');
      const state = element.getAttribute('data-state');
      if (!id?.startsWith('asset-state-') || !state) return;
      const list = (seen[id] ??= []);
      if (list[list.length - 1] !== state) list.push(state);
    };
    new MutationObserver((records) => {
      for (const record of records) {
        if (record.type === 'attributes') note(record.target as Element);
        for (const node of record.addedNodes) {
          if (!(node instanceof Element)) continue;
          note(node);
          node.querySelectorAll('[data-testid^="asset-state-"]').forEach(note);
        }
      }
    }).observe(document.body, {
      subtree: true,
      childList: true,
      attributes: true,
      attributeFilter: ['data-state'],
    });
  });
}

async function statesSeen(page: Page, assetId: number): Promise<string[]> {
  return page.evaluate(
    (id) =>
      (window as unknown as { assetStates: Record<string, string[]> }).assetStates[
        `asset-state-${id}`
      ] ?? [],
    assetId,
  );
}

async function openLibrary(page: Page, url: string) {
  await page.goto(`${url}#/library`);
  await expect(page.getByTestId('library-screen')).toBeVisible();
  await expect(page.getByTestId('nav-library')).toHaveAttribute('aria-current', 'page');
  await expect(page.getByTestId('folder-1')).toBeVisible();
}

async function uploadAndWaitReady(page: Page, files: string[], names: string[]) {
  await page.getByTestId('upload-input').setInputFiles(files);
  for (const name of names) {
    await expect(row(page, name)).toBeVisible();
    const id = await assetIdOf(row(page, name));
    await expect(page.getByTestId(`asset-state-${id}`)).toHaveAttribute(
      'data-state',
      /ready|failed/,
      {
        timeout: INGEST_TIMEOUT_MS,
      },
    );
  }
}

test('upload, ingest progress, preview, folders, move, rename and delete', async ({
  page,
  airdeck,
}) => {
  test.setTimeout(6 * 60_000);
  const media = makeMediaDir();
  try {
    const alpha = makeClip(media, 'alpha.mp4', { frequency: 440 });
    const bravo = makeClip(media, 'bravo.mp4', { frequency: 880 });
    const broken = makeBrokenFile(media, 'broken.mp4');

    await openLibrary(page, airdeck.url);
    await expect(page.getByTestId('asset-pane')).toContainText('This folder is empty');
    await recordStates(page);

    await test.step('upload through the file input; each file shows its upload, then its ingest', async () => {
      await page.getByTestId('upload-input').setInputFiles([alpha, bravo, broken]);
      const panel = page.getByTestId('upload-panel');
      await expect(panel).toBeVisible();
      for (const name of ['alpha.mp4', 'bravo.mp4', 'broken.mp4']) {
        await expect(panel.getByTestId(`upload-${name}`)).toBeVisible();
      }

      for (const name of ['alpha', 'bravo']) {
        await expect(row(page, name)).toBeVisible();
        const id = await assetIdOf(row(page, name));
        const state = page.getByTestId(`asset-state-${id}`);
        await expect(state).toHaveAttribute('data-state', 'ready', { timeout: INGEST_TIMEOUT_MS });
        await expect(state).toHaveText(/Ready/);
        // The badge went through the pipeline before turning green.
        const seen = await statesSeen(page, id);
        expect(seen.at(-1)).toBe('ready');
        expect(seen.length, `states of ${name}: ${seen.join(' → ')}`).toBeGreaterThan(1);
        expect(seen.some((s) => ['probing', 'queued', 'ingesting'].includes(s))).toBe(true);
        // Once ready the list shows what the probe found.
        await expect(row(page, name)).toContainText('00:00:06:00');
        await expect(row(page, name)).toContainText('640×360');
        await expect(row(page, name)).toContainText('h264');
        // The poster comes with the preview phase, which queues behind other air phases.
        await expect(row(page, name).locator('img.poster')).toBeVisible({
          timeout: INGEST_TIMEOUT_MS,
        });
      }
      await expect(panel.getByTestId('upload-alpha.mp4').getByTestId('upload-status')).toHaveText(
        'Ready',
      );

      // The broken one fails with a sentence a person understands, in the list and the panel.
      await expect(row(page, 'broken')).toBeVisible();
      const brokenId = await assetIdOf(row(page, 'broken'));
      const brokenState = page.getByTestId(`asset-state-${brokenId}`);
      await expect(brokenState).toHaveAttribute('data-state', 'failed', {
        timeout: INGEST_TIMEOUT_MS,
      });
      await expect(brokenState).toContainText(
        /not a video or audio file|incomplete|neither video nor audio/i,
      );
      await expect(panel.getByTestId('upload-broken.mp4').getByTestId('upload-status')).toHaveText(
        /^Failed: /,
      );
    });

    const alphaId = await assetIdOf(row(page, 'alpha'));

    await test.step('the metadata panel shows the probe of the selected asset', async () => {
      await row(page, 'alpha').click();
      const panel = page.getByTestId('metadata-panel');
      await expect(panel.getByTestId('metadata-name')).toHaveText('alpha');
      await expect(panel.getByTestId('metadata-video')).toContainText('h264');
      await expect(panel.getByTestId('metadata-video')).toContainText('640×360');
      await expect(panel.getByTestId('metadata-duration')).toContainText('00:00:06:00');
      await expect(panel.getByTestId('metadata-usage')).toContainText('Not on any schedule');
    });

    await test.step('Enter previews the proxy with hls.js; it plays and the filmstrip seeks', async () => {
      await page.keyboard.press('Enter');
      const player = page.getByTestId('preview-player');
      await expect(player).toBeVisible();
      const video = player.getByTestId('preview-video');
      await player.getByTestId('preview-play').click();
      await expect
        .poll(() => video.evaluate((v: HTMLVideoElement) => v.currentTime), { timeout: 30_000 })
        .toBeGreaterThan(0.5);
      expect(await video.evaluate((v: HTMLVideoElement) => v.videoWidth)).toBeGreaterThan(0);
      // The playlist came through hls.js (MediaSource), not a plain src.
      expect(await video.evaluate((v: HTMLVideoElement) => v.currentSrc)).toMatch(/^blob:/);
      await expect(player.getByTestId('preview-error')).toHaveCount(0);

      const strip = player.getByTestId('filmstrip');
      await expect(strip).toBeVisible();
      expect(await strip.getByTestId('filmstrip-tile').count()).toBeGreaterThan(1);
      // The sprite behind the tiles really loads (the token rides in its URL).
      const spriteWidth = await strip
        .getByTestId('filmstrip-tile')
        .first()
        .evaluate(async (tile) => {
          const url = /url\("?(.*?)"?\)/.exec(getComputedStyle(tile).backgroundImage)?.[1];
          if (!url) return 0;
          const image = new Image();
          image.src = url;
          await image.decode();
          return image.naturalWidth;
        });
      expect(spriteWidth).toBeGreaterThan(0);

      await player.getByTestId('preview-play').click(); // pause
      const box = (await strip.boundingBox())!;
      await page.mouse.click(box.x + box.width * 0.75, box.y + box.height / 2);
      await expect
        .poll(() => video.evaluate((v: HTMLVideoElement) => v.currentTime))
        .toBeGreaterThan(3.5);
      expect(await video.evaluate((v: HTMLVideoElement) => v.currentTime)).toBeLessThan(5.5);
    });

    await test.step('take the screenshot of the screen at work', async () => {
      await row(page, 'alpha').click();
      await page.screenshot({ path: SCREENSHOT });
    });

    await test.step('grid view: poster cards, rubber-band selection, Ctrl+A and Esc', async () => {
      await page.getByTestId('view-grid').click();
      const pane = page.getByTestId('asset-pane');
      const cards = page.locator('[data-testid^="asset-card-"]');
      await expect(cards).toHaveCount(3);
      await expect(cards.first().locator('img.poster')).toBeVisible();
      // From empty space at the bottom right up over every card.
      const box = (await pane.boundingBox())!;
      await page.mouse.move(box.x + box.width - 6, box.y + box.height - 6);
      await page.mouse.down();
      await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2, { steps: 4 });
      await page.mouse.move(box.x + 4, box.y + 4, { steps: 4 });
      await page.mouse.up();
      await expect(page.getByTestId('asset-count')).toContainText('3 selected');
      await expect(page.locator('[data-testid^="asset-card-"][aria-selected="true"]')).toHaveCount(
        3,
      );
      await page.keyboard.press('Escape');
      await expect(page.getByTestId('asset-count')).not.toContainText('selected');
      await page.keyboard.press('Control+a');
      await expect(page.getByTestId('asset-count')).toContainText('3 selected');
      // Ctrl+click takes one out again.
      await page.getByTestId(`asset-card-${alphaId}`).click({ modifiers: ['Control'] });
      await expect(page.getByTestId('asset-count')).toContainText('2 selected');
      await page.getByTestId('view-list').click();
    });

    let promosId = 0;
    await test.step('Ctrl+Shift+N makes a folder; it appears in the tree', async () => {
      await page.getByTestId('asset-pane').focus();
      await page.keyboard.press('Control+Shift+N');
      const dialog = page.getByTestId('folder-dialog');
      await expect(dialog).toBeVisible();
      await dialog.getByTestId('folder-name-input').fill('Promos');
      await dialog.getByTestId('folder-name-input').press('Enter');
      await expect(dialog).toBeHidden();
      const node = page.getByTestId('folder-tree').getByRole('treeitem', { name: 'Promos' });
      await expect(node).toBeVisible();
      promosId = Number((await node.getAttribute('data-testid'))!.replace('folder-', ''));
      expect(promosId).toBeGreaterThan(1);
    });

    await test.step('drag an asset onto a folder to move it there', async () => {
      await row(page, 'alpha').dragTo(page.getByTestId(`folder-${promosId}`));
      await expect(row(page, 'alpha')).toHaveCount(0);
      await expect(row(page, 'bravo')).toBeVisible();
      await page.getByTestId(`folder-${promosId}`).click();
      await expect(page.getByTestId('breadcrumbs')).toContainText('Promos');
      await expect(row(page, 'alpha')).toBeVisible();
      expect(await assetIdOf(row(page, 'alpha'))).toBe(alphaId);
      await expect(page.getByTestId(`folder-${promosId}`)).toContainText('1');
    });

    await test.step('F2 renames in place', async () => {
      await row(page, 'alpha').click();
      await page.keyboard.press('F2');
      const input = page.getByTestId('rename-input');
      await expect(input).toBeFocused();
      await input.fill('Alpha promo');
      await input.press('Enter');
      await expect(page.getByTestId(`asset-name-${alphaId}`)).toHaveText('Alpha promo');
      // The core has it too: a reload shows the new name.
      await page.reload();
      await page.getByTestId(`folder-${promosId}`).click();
      await expect(page.getByTestId(`asset-name-${alphaId}`)).toHaveText('Alpha promo');
    });

    await test.step('Delete asks first, then the asset is gone', async () => {
      await page.getByTestId('crumb-1').click();
      await expect(row(page, 'bravo')).toBeVisible();
      const bravoId = await assetIdOf(row(page, 'bravo'));
      await row(page, 'bravo').click();
      await page.keyboard.press('Delete');
      const dialog = page.getByTestId('confirm-dialog');
      await expect(dialog).toBeVisible();
      await expect(dialog).toContainText('bravo');
      // Cancel keeps it.
      await dialog.getByTestId('dialog-cancel').click();
      await expect(dialog).toBeHidden();
      await expect(row(page, 'bravo')).toBeVisible();

      // The context menu offers the same, and confirming deletes.
      await row(page, 'bravo').click({ button: 'right' });
      await expect(page.getByTestId('context-menu')).toBeVisible();
      await page.getByTestId('menu-delete').click();
      await expect(dialog).toBeVisible();
      await dialog.getByTestId('dialog-confirm').click();
      await expect(dialog).toBeHidden();
      await expect(page.getByTestId(`asset-row-${bravoId}`)).toHaveCount(0);

      const client = await contractClient(airdeck);
      try {
        const result = await client.call('libraryAsset', { id: bravoId });
        expect(result.ok).toBe(false);
      } finally {
        client.close();
      }
    });
  } finally {
    rmSync(media, { recursive: true, force: true });
  }
});

test('an asset on the schedule is not deleted: the dialog says where it is used', async ({
  page,
  airdeck,
}) => {
  test.setTimeout(3 * 60_000);
  const media = makeMediaDir();
  const client = await contractClient(airdeck);
  try {
    // The schedule methods are in the contract; until the core serves them there is nothing to test.
    const probe = await client.call('channelsList', {});
    test.fixme(
      !probe.ok && probe.error.code === 'unknown_method',
      'the core does not serve channelCreate/scheduleAdd yet',
    );
    const clip = makeClip(media, 'evening-news.mp4');
    await openLibrary(page, airdeck.url);
    await uploadAndWaitReady(page, [clip], ['evening-news']);
    const id = await assetIdOf(row(page, 'evening-news'));
    await expect(page.getByTestId(`asset-state-${id}`)).toHaveAttribute('data-state', 'ready');

    // Put it on a channel's schedule through the contract (the schedule screen is not this test's).
    const channel = await callOk<{ id: number }>(client, 'channelCreate', {
      name: 'Harbour One',
      number: 1,
      slug: 'harbour-one',
    });
    await callOk(client, 'scheduleAdd', {
      channelId: channel.id,
      kind: 'asset',
      assetId: id,
      startsAt: Date.now() + 3_600_000,
    });

    await row(page, 'evening-news').click();
    await page.keyboard.press('Delete');
    const dialog = page.getByTestId('confirm-dialog');
    await dialog.getByTestId('dialog-confirm').click();
    const conflict = dialog.getByTestId('delete-conflict');
    await expect(conflict).toBeVisible();
    await expect(conflict).toContainText('Harbour One');
    await expect(conflict).toContainText('nothing was deleted');
    // One scheduled asset cannot be deleted from here at all.
    await expect(dialog.getByTestId('dialog-confirm')).toBeDisabled();
    await dialog.getByTestId('dialog-cancel').click();

    await expect(row(page, 'evening-news')).toBeVisible();
    await expect(page.getByTestId('metadata-usage')).toContainText('Harbour One');
    const still = await client.call('libraryAsset', { id });
    expect(still.ok).toBe(true);
  } finally {
    client.close();
    rmSync(media, { recursive: true, force: true });
  }
});
