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
  // The calendar's code loads with its first view: allow for a busy machine.
  await expect(page.locator('.rbc-events-container').first()).toBeVisible({ timeout: 30_000 });
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
  page,
}) => {
  // Ingest of three clips plus two windows: minutes on a loaded 2-core machine.
  test.setTimeout(420_000);
  const media = makeMediaDir();
  const client = await contractClient(airdeck);
  const other = await airdeck.newContext({ viewport: { width: 1500, height: 950 } });
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

test('all channels week: every channel in one grid, move across channels, trim, gap, undo', async ({
  airdeck,
  page,
}) => {
  test.setTimeout(120_000);
  const client = await contractClient(airdeck);
  try {
    await callOk(client, 'settingsSet', { timeZone: ZONE });
    const ids: number[] = [];
    for (const n of [1, 2, 3]) {
      const channel = await callOk<{ id: number }>(client, 'channelCreate', {
        name: `Grid ${n}`,
        number: n,
        slug: `grid-${n}`,
      });
      ids.push(channel.id);
    }
    const [one, two, three] = ids as [number, number, number];
    // Tuesday of next week (station zone): far beyond the lock horizon, inside one grid week.
    const day = DateTime.now().setZone(ZONE).plus({ weeks: 1 }).startOf('week').plus({ days: 1 });
    const at = (hour: number, minute = 0) => day.set({ hour, minute }).toMillis();
    const HALF_HOUR = 30 * 60_000;
    const plan: [number, number][] = [
      [one, at(1)],
      [one, at(2)],
      [two, at(3)],
      [three, at(4)],
    ];
    const created = await callOk<{
      changed: { id: number; channelId: number; startsAt: number }[];
    }>(client, 'scheduleBatch', {
      ops: plan.map(([channelId, startsAt]) => ({
        op: 'create',
        item: { channelId, kind: 'break', startsAt, durationMs: HALF_HOUR, category: 'news' },
      })),
    });
    const idOf = (channelId: number, startsAt: number) =>
      created.changed.find((i) => i.channelId === channelId && i.startsAt === startsAt)!.id;
    const moved = idOf(one, at(1));
    const shifted = idOf(two, at(3));
    const trimmed = idOf(three, at(4));

    await page.goto(`${airdeck.url}#/schedule`);
    await expect(page.getByTestId('schedule-screen')).toBeVisible();
    await page.getByRole('button', { name: 'All channels', exact: true }).click();
    await page.getByLabel('Go to date').fill(day.toISODate()!);
    const grid = page.getByTestId('channel-grid');
    await expect(grid).toBeVisible();
    await expect(page.getByTestId('schedule-title')).toContainText('3 channels');

    // The whole week: every channel's items, each in its own row, and the gap on channel one.
    await expect(grid.locator('.sch-gitem')).toHaveCount(4);
    await expect(page.getByTestId(`grid-row-${one}`).locator('.sch-gitem')).toHaveCount(2);
    await expect(page.getByTestId(`grid-row-${two}`).getByTestId(`event-${shifted}`)).toBeVisible();
    await expect(
      page.getByTestId(`grid-row-${three}`).getByTestId(`event-${trimmed}`),
    ).toBeVisible();
    const gap = page.getByTestId(`gap-${one}-${at(1, 30)}`);
    await expect(gap).toHaveAttribute('data-duration-ms', String(HALF_HOUR));

    // Six hours across the screen, opening on the picked day's midnight.
    await page.getByTestId('zoom').selectOption('3');
    await expect(grid).toHaveAttribute('data-zoom', '3');
    const box = async (testId: string) => (await page.getByTestId(testId).boundingBox())!;
    const drag = async (from: { x: number; y: number }, dx: number, dy: number) => {
      await page.mouse.move(from.x, from.y);
      await page.mouse.down();
      await page.mouse.move(from.x + dx / 2, from.y + dy / 2, { steps: 4 });
      await page.mouse.move(from.x + dx, from.y + dy, { steps: 4 });
      await page.mouse.up();
    };

    // 1. Move channel one's 01:00 item one row down: same time, now on channel two.
    const m = await box(`event-${moved}`);
    const rowHeight = (await box(`grid-row-${two}`)).y - (await box(`grid-row-${one}`)).y;
    await drag({ x: m.x + m.width / 2, y: m.y + m.height / 2 }, 0, rowHeight);
    await expect(page.getByTestId(`grid-row-${two}`).getByTestId(`event-${moved}`)).toBeVisible();
    await expect(page.getByTestId(`event-${moved}`)).toHaveAttribute(
      'data-starts-at',
      String(at(1)),
    );
    await expect(page.getByTestId(`grid-row-${one}`).locator('.sch-gitem')).toHaveCount(1);

    // 2. Move channel two's 03:00 item half an hour later (its own width to the right).
    const s = await box(`event-${shifted}`);
    await drag({ x: s.x + s.width / 2, y: s.y + s.height / 2 }, s.width, 0);
    await expect
      .poll(() => num(page.getByTestId(`event-${shifted}`), 'data-starts-at'))
      .toBeGreaterThanOrEqual(at(3, 28));
    expect(await num(page.getByTestId(`event-${shifted}`), 'data-starts-at')).toBeLessThanOrEqual(
      at(3, 32),
    );

    // 3. Trim channel three's item: its right edge pulled back by half its width.
    const t = await box(`event-${trimmed}`);
    await drag({ x: t.x + t.width - 2, y: t.y + t.height / 2 }, -t.width / 2, 0);
    await expect
      .poll(() => num(page.getByTestId(`event-${trimmed}`), 'data-ends-at'))
      .toBeLessThan(at(4, 20));

    // 4. Undo the trim, then the later move: both come back as they were.
    await page.getByTestId('undo').click();
    await expect(page.getByTestId(`event-${trimmed}`)).toHaveAttribute(
      'data-ends-at',
      String(at(4) + HALF_HOUR),
    );
    await page.getByTestId('undo').click();
    await expect(page.getByTestId(`event-${shifted}`)).toHaveAttribute(
      'data-starts-at',
      String(at(3)),
    );

    // 5. The gap the first move left on channel two opens the fill dialog, as in the calendar.
    await page.getByTestId(`gap-${two}-${at(1, 30)}`).click();
    const dialog = page.getByTestId('fill-dialog');
    await expect(dialog).toBeVisible();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect(dialog).toBeHidden();

    // 6. An edit made elsewhere (through the contract) reaches the grid without a reload.
    const fresh = await callOk<{ items: { id: number; version: number }[] }>(
      client,
      'scheduleGet',
      { ids: [trimmed] },
    );
    await callOk(client, 'scheduleMove', {
      items: [{ id: trimmed, version: fresh.items[0]!.version }],
      deltaMs: 60 * 60_000,
    });
    await expect(page.getByTestId(`event-${trimmed}`)).toHaveAttribute(
      'data-starts-at',
      String(at(5)),
    );

    // 7. The window remembers the view and zoom: a reload opens the channel grid again.
    await page.reload();
    await expect(page.getByTestId('channel-grid')).toHaveAttribute('data-zoom', '3');
    await expect(page.getByRole('button', { name: 'All channels', exact: true })).toHaveAttribute(
      'aria-pressed',
      'true',
    );
  } finally {
    client.close();
  }
});
