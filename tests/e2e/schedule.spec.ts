import type { Locator, Page } from '@playwright/test';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { DateTime } from 'luxon';
import { callOk, contractClient, expect, makeClip, makeMediaDir, test } from './fixtures';

// Refreshed only on request, so a test run never dirties the checkout.
const SCREENSHOT = fileURLToPath(
  new URL(
    process.env.AIRDECK_UPDATE_SCREENSHOT
      ? '../../docs/screenshot-calendar.png'
      : '../../test-results/calendar-screenshot.png',
    import.meta.url,
  ),
);
const INGEST_TIMEOUT_MS = 90_000;
/** The station is not in the browser's zone: the calendar must show Berlin's wall clock. */
const ZONE = 'Europe/Berlin';

test.use({ viewport: { width: 1500, height: 950 } });

type Asset = { id: number; name: string; state: string; durationMs: number | null };

const eventsOf = (page: Page) => page.locator('.sch-event');

/** Opens the schedule at `day` (station zone), at the minute zoom, scrolled to `hour`. */
async function openDay(page: Page, url: string, day: DateTime, hour: number) {
  await page.goto(`${url}#/schedule`);
  await expect(page.getByTestId('schedule-screen')).toBeVisible();
  await page.getByTestId('zoom').selectOption('3');
  await page.getByLabel('Go to date').fill(day.toISODate()!);
  await expect(page.getByTestId('schedule-title')).toContainText(day.toFormat('dd LLLL yyyy'));
  await expect(page.locator('.rbc-events-container').first()).toBeVisible();
  await page.evaluate((h) => {
    const grid = document.querySelector('.rbc-time-content')!;
    grid.scrollTop = (h / 24) * grid.scrollHeight - 80;
  }, hour);
}

/** Viewport point of `at` in the first channel column (the column spans the station day). */
async function pointAt(page: Page, day: DateTime, at: DateTime) {
  const box = (await page.locator('.rbc-day-slot .rbc-events-container').first().boundingBox())!;
  const dayMs = day.plus({ days: 1 }).toMillis() - day.toMillis();
  const fraction = (at.toMillis() - day.toMillis()) / dayMs;
  return { x: box.x + box.width / 2, y: box.y + fraction * box.height + 3 };
}

async function dragAssetTo(page: Page, assetId: number, point: { x: number; y: number }) {
  const source = page.getByTestId(`library-item-${assetId}`);
  await source.hover();
  await page.mouse.down();
  await page.mouse.move(point.x, point.y - 20, { steps: 8 });
  await page.mouse.move(point.x, point.y, { steps: 4 });
  await page.mouse.up();
}

const num = async (locator: Locator, attribute: string) =>
  Number(await locator.getAttribute(attribute));

test('drag from the library, move, trim, see and fill a gap, undo — live in a second window', async ({
  airdeck,
  browser,
  page,
}) => {
  test.setTimeout(240_000);
  const media = makeMediaDir();
  const client = await contractClient(airdeck);
  const other = await browser.newContext({ viewport: { width: 1500, height: 950 } });
  try {
    // Set-up through the contract: station zone, small house format (quick ingest), a channel, media.
    await callOk(client, 'settingsSet', {
      timeZone: ZONE,
      houseProfile: { width: 320, height: 180, proxyWidth: 160, proxyHeight: 90 },
    });
    const channel = await callOk<{ id: number }>(client, 'channelCreate', {
      name: 'Airdeck One',
      number: 1,
      slug: 'one',
    });
    const paths = [
      makeClip(media, 'a-sixty.mp4', { seconds: 60, size: '320x180' }),
      makeClip(media, 'b-ninety.mp4', { seconds: 90, size: '320x180', frequency: 660 }),
      makeClip(media, 'c-sixty.mp4', { seconds: 60, size: '320x180', frequency: 880 }),
    ];
    await callOk(client, 'libraryImportPaths', { paths, folderId: 1 });
    let assets: Asset[] = [];
    await expect
      .poll(
        async () => {
          assets = (await callOk<{ items: Asset[] }>(client, 'libraryQuery', { folderId: 1 }))
            .items;
          return assets.filter((a) => a.state === 'ready').length;
        },
        { timeout: INGEST_TIMEOUT_MS, intervals: [1000] },
      )
      .toBe(3);
    const [a, b] = [
      assets.find((x) => x.name.startsWith('a-'))!,
      assets.find((x) => x.name.startsWith('b-'))!,
    ];

    // Tomorrow 10:00 in the station zone: far beyond the lock horizon.
    const day = DateTime.now().setZone(ZONE).plus({ days: 1 }).startOf('day');
    const ten = day.set({ hour: 10 });

    const second = await other.newPage();
    await openDay(page, airdeck.url, day, 10);
    await openDay(second, airdeck.url, day, 10);
    await expect(page.getByTestId('calendar')).toHaveAttribute('data-zone', ZONE);

    // 1. Drag asset A from the library onto the channel at 10:00.
    await dragAssetTo(page, a.id, await pointAt(page, day, ten));
    await expect(eventsOf(page)).toHaveCount(1);
    const first = eventsOf(page).first();
    const firstStart = await num(first, 'data-starts-at');
    expect(Math.abs(firstStart - ten.toMillis())).toBeLessThanOrEqual(60_000);
    const firstEnd = await num(first, 'data-ends-at');
    expect(firstEnd - firstStart).toBe(a.durationMs);
    await expect(eventsOf(second)).toHaveCount(1);

    // 2. Drop B two minutes after A's end: it snaps onto A's end (no gap).
    await dragAssetTo(
      page,
      b.id,
      await pointAt(page, day, DateTime.fromMillis(firstEnd).plus({ minutes: 2 })),
    );
    await expect(eventsOf(page)).toHaveCount(2);
    const bEvent = page.locator(`.sch-event:not([data-starts-at="${firstStart}"])`);
    await expect(bEvent).toHaveAttribute('data-starts-at', String(firstEnd));
    const bId = Number((await bEvent.getAttribute('data-testid'))!.replace('event-', ''));
    await expect(page.locator('[data-testid^="gap-"]')).toHaveCount(0);
    await expect(second.getByTestId(`event-${bId}`)).toHaveAttribute(
      'data-starts-at',
      String(firstEnd),
    );

    // 3. Move B ten minutes later: a gap appears after A, shaded with its length.
    const bBox = (await page.getByTestId(`event-${bId}`).boundingBox())!;
    await page.mouse.move(bBox.x + bBox.width / 2, bBox.y + bBox.height / 2);
    await page.mouse.down();
    await page.mouse.move(bBox.x + bBox.width / 2, bBox.y + bBox.height / 2 + 100, { steps: 5 });
    await page.mouse.move(bBox.x + bBox.width / 2, bBox.y + bBox.height / 2 + 200, { steps: 5 });
    await page.mouse.up();
    await expect
      .poll(() => num(page.getByTestId(`event-${bId}`), 'data-starts-at'))
      .toBeGreaterThan(firstEnd + 8 * 60_000);
    const movedStart = await num(page.getByTestId(`event-${bId}`), 'data-starts-at');
    const gap = page.getByTestId(`gap-${channel.id}-${firstEnd}`);
    await expect(gap).toBeVisible();
    await expect(gap).toContainText(/Gap \d+m/);
    await expect(second.getByTestId(`gap-${channel.id}-${firstEnd}`)).toBeVisible();
    await expect(second.getByTestId(`event-${bId}`)).toHaveAttribute(
      'data-starts-at',
      String(movedStart),
    );

    // 4. Trim B: pull its bottom edge up (out point earlier).
    const bEnd = await num(page.getByTestId(`event-${bId}`), 'data-ends-at');
    const wrapper = page.locator('.rbc-event', { has: page.getByTestId(`event-${bId}`) });
    const anchor = wrapper.locator('.rbc-addons-dnd-resize-ns-anchor').last();
    await wrapper.hover();
    const aBox = (await anchor.boundingBox())!;
    await page.mouse.move(aBox.x + aBox.width / 2, aBox.y + aBox.height / 2);
    await page.mouse.down();
    // Out point one minute in: the end lands on the minute slot after the start.
    const target = await pointAt(page, day, DateTime.fromMillis(movedStart + 61_000));
    await page.mouse.move(aBox.x + aBox.width / 2, aBox.y - 2, { steps: 2 });
    await page.mouse.move(aBox.x + aBox.width / 2, target.y, { steps: 3 });
    await page.mouse.up();
    await expect
      .poll(() => num(page.getByTestId(`event-${bId}`), 'data-ends-at'))
      .toBeLessThan(bEnd);
    const trimmedEnd = await num(page.getByTestId(`event-${bId}`), 'data-ends-at');
    await expect(second.getByTestId(`event-${bId}`)).toHaveAttribute(
      'data-ends-at',
      String(trimmedEnd),
    );

    // 5. Fill the gap from the library's root folder.
    const before = await eventsOf(page).count();
    await gap.click();
    const dialog = page.getByTestId('fill-dialog');
    await expect(dialog).toBeVisible();
    await dialog.getByRole('button', { name: 'Fill' }).click();
    await expect(dialog).toBeHidden();
    await expect(page.getByTestId(`gap-${channel.id}-${firstEnd}`)).toHaveCount(0);
    const filled = await eventsOf(page).count();
    expect(filled).toBeGreaterThan(before);
    await expect(eventsOf(second)).toHaveCount(filled);
    await expect(second.getByTestId(`gap-${channel.id}-${firstEnd}`)).toHaveCount(0);
    await page.screenshot({ path: SCREENSHOT });

    // 6. Undo the fill: the gap is back, here and in the other window.
    await page.getByTestId('undo').click();
    await expect(eventsOf(page)).toHaveCount(before);
    await expect(page.getByTestId(`gap-${channel.id}-${firstEnd}`)).toBeVisible();
    await expect(eventsOf(second)).toHaveCount(before);
    await expect(second.getByTestId(`gap-${channel.id}-${firstEnd}`)).toBeVisible();

    // 7. An edit made elsewhere (another operator, through the contract) arrives without reload.
    const stale = await callOk<{ items: { id: number; version: number }[] }>(
      client,
      'scheduleGet',
      {
        ids: [bId],
      },
    );
    await callOk(client, 'scheduleMove', {
      items: [{ id: bId, version: stale.items[0]!.version }],
      deltaMs: 60_000,
    });
    await expect
      .poll(() => num(second.getByTestId(`event-${bId}`), 'data-starts-at'))
      .toBe(movedStart + 60_000);
  } finally {
    await other.close();
    client.close();
    rmSync(media, { recursive: true, force: true });
  }
});
