import type { Page } from '@playwright/test';
import { rmSync } from 'node:fs';
import { DateTime } from 'luxon';
import { contractClient, expect, importReady, makeHouseClip, makeMediaDir, test } from './fixtures';
import { raiseOfflineAlarm, scheduleBackToBack, seedChannel } from './screens';

const ZONE = 'Europe/Berlin';
test.use({ viewport: { width: 1500, height: 950 } });

/**
 * Presses Tab until the focused element matches `selector` (the way an operator without a
 * mouse gets somewhere), failing after `limit` presses.
 */
async function tabTo(page: Page, selector: string, limit = 250) {
  for (let i = 0; i < limit; i++) {
    await page.keyboard.press('Tab');
    if (await page.evaluate((s) => document.activeElement?.matches(s) ?? false, selector)) return;
  }
  throw new Error(`Tab never reached ${selector}`);
}

const focused = (page: Page) =>
  page.evaluate(() => document.activeElement?.getAttribute('data-testid') ?? null);

test('keyboard only: rename and undo, move and fill, take next and stop, acknowledge', async ({
  airdeck,
  page,
}) => {
  test.setTimeout(300_000);
  const media = makeMediaDir();
  const client = await contractClient(airdeck);
  try {
    const channel = await seedChannel(client, 'Airdeck One', ZONE);
    const assets = await importReady(client, [
      makeHouseClip(media, 'alpha-first.mp4', { seconds: 10, frequency: 440 }),
      makeHouseClip(media, 'bravo-second.mp4', { seconds: 10, frequency: 660 }),
    ]);
    const alpha = assets.find((a) => a.name.startsWith('alpha'))!;
    const bravo = assets.find((a) => a.name.startsWith('bravo'))!;

    // 1. Library: focus the asset pane, pick the first asset, F2, type, Enter; Ctrl+Z undoes.
    await page.goto(`${airdeck.url}#/library`);
    await expect(page.getByTestId('library-screen')).toBeVisible();
    await tabTo(page, '[data-testid="asset-pane"]');
    await page.keyboard.press('ArrowDown');
    const picked = page.locator('[data-asset-id][aria-selected="true"]');
    await expect(picked).toHaveCount(1);
    const original = (await picked.locator('[data-testid^="asset-name-"]').textContent())!.trim();
    await page.keyboard.press('F2');
    await expect(page.getByTestId('rename-input')).toBeFocused();
    await page.keyboard.press('Control+A');
    await page.keyboard.type('Renamed by keyboard');
    await page.keyboard.press('Enter');
    const names = page.locator('[data-testid="asset-pane"] [data-testid^="asset-name-"]');
    await expect(names.filter({ hasText: 'Renamed by keyboard' })).toHaveCount(1);
    await expect(page.getByTestId('asset-pane')).toBeFocused();
    await page.keyboard.press('Control+Z');
    await expect(names.filter({ hasText: 'Renamed by keyboard' })).toHaveCount(0);
    await expect(names.filter({ hasText: original })).toHaveCount(1);

    // "?" lists this screen's shortcuts from the registry, Escape closes it.
    await page.keyboard.press('?');
    await expect(page.getByTestId('shortcuts-help')).toContainText('Undo the last rename');
    await page.keyboard.press('Escape');
    await expect(page.getByTestId('shortcuts-help')).toBeHidden();

    // 2. Schedule: an item tomorrow at 10:00; go there, focus it, select it, move it, fill.
    const tomorrow = DateTime.now().setZone(ZONE).plus({ days: 1 }).startOf('day');
    const [item] = await scheduleBackToBack(
      client,
      channel.id,
      [alpha.id],
      tomorrow.set({ hour: 10 }).toMillis(),
    );
    await page.goto(`${airdeck.url}#/schedule`);
    await expect(page.getByTestId('schedule-screen')).toBeVisible();
    await expect(page.locator('.rbc-events-container').first()).toBeVisible({ timeout: 30_000 });
    await tabTo(page, 'button[aria-label="Next"]');
    await page.keyboard.press('Enter');
    await expect(page.getByTestId('schedule-title')).toContainText(
      tomorrow.toFormat('dd LLLL yyyy'),
    );
    const event = page.getByTestId(`event-${item!.id}`);
    await expect(event).toHaveAttribute('data-starts-at', String(item!.startsAt));
    await tabTo(page, `.rbc-event:has([data-testid="event-${item!.id}"])`);
    await page.keyboard.press('Enter');
    await expect(page.locator('.rbc-event.is-selected')).toHaveCount(1);
    await page.keyboard.press('Alt+ArrowRight');
    await expect(event).toHaveAttribute('data-starts-at', String(item!.startsAt + 5 * 60_000));
    // Undo puts it back, as a drag's undo does.
    await page.keyboard.press('Control+Z');
    await expect(event).toHaveAttribute('data-starts-at', String(item!.startsAt));
    await page.keyboard.press('f');
    const fill = page.getByTestId('fill-dialog');
    await expect(fill).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(fill).toBeHidden();

    // 3. On air: two clips from 20 s from now; Alt+S starts, Ctrl+Enter takes next, Stop asks.
    const start = Math.ceil(Date.now() / 10_000) * 10_000 + 20_000;
    await scheduleBackToBack(client, channel.id, [alpha.id, bravo.id], start);
    await page.goto(`${airdeck.url}#/channels-control`);
    await expect(page.getByTestId('channels-control-screen')).toBeVisible();
    const tally = page.getByTestId(`tally-${channel.id}`);
    await expect(tally).toHaveAttribute('data-state', 'off');
    await page.keyboard.press('Alt+S');
    await expect(tally).toHaveAttribute('data-state', 'on-air');
    await expect(page.getByTestId('now-title')).toContainText('alpha-first', {
      timeout: Math.max(10_000, start - Date.now() + 15_000),
    });
    await page.keyboard.press('Control+Enter');
    await expect(page.getByTestId('action-outcome')).toContainText('Take next — takes effect at');
    await tabTo(page, '[data-testid="action-stop"]');
    await page.keyboard.press('Enter');
    const stop = page.getByTestId('stop-dialog');
    await expect(stop).toBeVisible();
    // The confirmation starts on its answer: Enter confirms.
    expect(await focused(page)).toBe('confirm-stop');
    await page.keyboard.press('Enter');
    await expect(stop).toBeHidden();
    await expect(tally).toHaveAttribute('data-state', 'off');

    // 4. Alarms: the deterministic offline alarm, acknowledged from the keyboard.
    await raiseOfflineAlarm(client);
    await page.goto(`${airdeck.url}#/alarms`);
    await expect(page.getByTestId('alarms-screen')).toBeVisible();
    const row = page.getByTestId('alarm-row');
    await expect(row).toHaveCount(1, { timeout: 15_000 });
    await tabTo(page, '[data-testid="alarm-ack"]');
    await page.keyboard.press('Enter');
    await expect(row.getByTestId('alarm-acked')).toBeVisible();
    await expect(row).toHaveAttribute('data-attention', 'false');
  } finally {
    client.close();
    rmSync(media, { recursive: true, force: true });
  }
});
