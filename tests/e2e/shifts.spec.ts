import Database from 'better-sqlite3';
import ExcelJS from 'exceljs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Locator, Page } from '@playwright/test';
import { callOk, contractClient, expect, test } from './fixtures';
import { openScreen } from './screens';

test.use({ viewport: { width: 1440, height: 900 } });

const HOUR = 3_600_000;
const MINUTE = 60_000;
const PASSWORD = 'a-long-enough-password';

/**
 * A fixed-offset zone where it is about noon now, so a shift a few hours either side of now
 * stays on today's column whatever hour the test runs at.
 */
function noonZone(): string {
  const offset = Math.max(-12, Math.min(14, 12 - new Date().getUTCHours()));
  if (offset === 0) return 'Etc/GMT';
  // The Etc zones are named with the sign reversed (Etc/GMT-2 is UTC+2).
  return `Etc/GMT${offset > 0 ? '-' : '+'}${Math.abs(offset)}`;
}

type Shift = { key: string; personId: number; start: number; end: number; sourceIds: number[] };

/** Drags `target` so its top lands on the grid row of `label` (a gutter time such as 11:00). */
async function dragTopTo(page: Page, target: Locator, label: Locator) {
  const box = (await target.boundingBox())!;
  const row = (await label.boundingBox())!;
  const grab = 10;
  const x = box.x + box.width / 2;
  await page.mouse.move(x, box.y + grab);
  await page.mouse.down();
  await page.mouse.move(x, box.y + grab - 12, { steps: 4 });
  await page.mouse.move(x, row.y + grab, { steps: 10 });
  await page.mouse.up();
}

test('a manager drags and staffs a shift; the editor sees it; the Team screen agrees with the statistics and the XLSX', async ({
  airdeck,
}) => {
  test.setTimeout(180_000);
  const admin = await contractClient(airdeck);
  const zone = noonZone();
  await callOk(admin, 'settingsSet', { timeZone: zone });
  const person = async (username: string, displayName: string, role: string) =>
    (
      await callOk<{ id: number }>(admin, 'personCreate', {
        username,
        displayName,
        role,
        password: PASSWORD,
      })
    ).id;
  const mira = await person('mira', 'Mira Manager', 'manager');
  const eddie = await person('eddie', 'Eddie Editor', 'editor');
  const source = await callOk<{ id: number }>(admin, 'recorderSourceAdd', {
    name: 'Rival One',
    url: 'http://127.0.0.1:9/live.m3u8',
    enabled: false,
  });

  // The source needs cover at every moment: the calendar shows where nobody has it.
  await callOk(admin, 'shiftSettingsSet', { coverSourceIds: [source.id] });

  // A shift that starts two hours from now (whole hours, so slots line up).
  const hourNow = Math.floor(Date.now() / HOUR) * HOUR;
  const planned = { start: hourNow + 2 * HOUR, end: hourNow + 4 * HOUR };
  const { id: shiftId } = await callOk<{ id: number }>(admin, 'shiftCreate', {
    personId: eddie,
    ...planned,
  });
  const key = `shift:${shiftId}`;
  const current = async () =>
    (
      await callOk<{ shifts: Shift[] }>(admin, 'shiftsRange', {
        from: hourNow - 12 * HOUR,
        to: hourNow + 12 * HOUR,
      })
    ).shifts.find((s) => s.key === key)!;

  // The manager drags it three hours earlier on the day view, so it runs now.
  const managerContext = await airdeck.newContext(
    { viewport: { width: 1440, height: 900 } },
    {
      username: 'mira',
      password: PASSWORD,
    },
  );
  const manager = await managerContext.newPage();
  await manager.goto(`${airdeck.url}#/shifts`);
  // The calendar is its own chunk, parsed on first use: a loaded machine takes a while.
  await expect(manager.getByTestId('shifts-calendar')).toBeVisible({ timeout: 30_000 });
  await manager.getByRole('button', { name: 'Day (everyone)' }).click();
  const block = manager.getByTestId(`shift-${key}`);
  await expect(block).toBeVisible();
  // Nobody is assigned to the source yet: the whole day stands in the "Needs cover" column.
  const uncovered = manager.getByTestId('uncovered-event');
  await expect(uncovered.first()).toContainText('Nobody on Rival One');
  await expect(manager.locator('.rbc-header', { hasText: 'Needs cover' }).first()).toBeVisible();
  const thisHour = new Intl.DateTimeFormat('en-GB', {
    timeZone: zone,
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(new Date(hourNow));
  const gutterRow = manager.locator('.rbc-time-gutter .rbc-label', { hasText: thisHour });
  await dragTopTo(manager, block, gutterRow);
  // Dropped at this hour (give or take the slot the grab point falls in): it runs now, still
  // two hours long, on the same person.
  await expect
    .poll(async () => (await current()).start, { timeout: 15_000 })
    .toBeLessThan(planned.start);
  const moved = await current();
  expect(moved.end - moved.start).toBe(2 * HOUR);
  expect(moved.personId).toBe(eddie);
  expect(moved.start).toBeLessThanOrEqual(Date.now());
  expect(moved.end).toBeGreaterThan(Date.now() + 10 * MINUTE);

  // … and assigns the recorded source in the shift's dialog.
  await manager.getByTestId(`shift-${key}`).click();
  const dialog = manager.getByTestId('shift-dialog');
  await expect(dialog).toBeVisible();
  await dialog.getByLabel('Rival One').check();
  await dialog.getByTestId('shift-save').click();
  await expect(dialog).toBeHidden();
  await expect.poll(async () => (await current()).sourceIds).toEqual([source.id]);
  await expect(manager.getByTestId(`shift-${key}`)).toContainText('1 src');
  // Eddie now covers it during his shift: the day's one uncovered stretch splits around it.
  await expect(uncovered).toHaveCount(2);
  // The README's picture of the Shifts screen (AIRDECK_UPDATE_SCREENSHOT=1 writes it to docs/).
  await manager.screenshot({
    path: fileURLToPath(
      new URL(
        process.env.AIRDECK_UPDATE_SCREENSHOT
          ? '../../docs/screenshot-shifts.png'
          : '../../test-results/shifts-screenshot.png',
        import.meta.url,
      ),
    ),
  });

  // The editor signs in during that shift: the review desk opens with its source in place and
  // the shift (its handover first) beside it.
  const editorContext = await airdeck.newContext(
    { viewport: { width: 1440, height: 900 } },
    {
      username: 'eddie',
      password: PASSWORD,
    },
  );
  const editor = await editorContext.newPage();
  await editor.goto(airdeck.url);
  await expect(editor.getByRole('main', { name: 'Review' })).toBeVisible();
  await expect(editor.getByTestId('review-pick').first()).toHaveValue(String(source.id));
  const panel = editor.getByTestId('my-shift');
  await expect(panel).toHaveAttribute('data-on-shift', 'true');
  await expect(panel.getByTestId('my-shift-sources')).toHaveText('Rival One');
  // The On air screen keeps the same panel; choosing it is the editor's, not undone.
  await openScreen(editor, airdeck.url, 'channels-control');
  await expect(editor.getByTestId('my-shift').getByTestId('my-shift-sources')).toHaveText(
    'Rival One',
  );

  // Statistics of yesterday (station day), seeded straight into the database as the desk's
  // record path stores them; every figure a multiple of 0.01 min so rounding cannot differ.
  const db = new Database(join(airdeck.dataDir, 'airdeck.db'));
  const insertPerson = db.prepare(
    `INSERT INTO person_minutes VALUES (?, ?, ?, ?, 1, ?, 0, 0, 0, 0, ?, ?, 0, 0)`,
  );
  const insertSource = db.prepare('INSERT INTO source_minutes VALUES (?, ?, ?)');
  const windowStart = hourNow - 24 * HOUR;
  db.transaction(() => {
    for (let m = 0; m < 90; m++) {
      const minute = windowStart + 2 * HOUR + m * MINUTE;
      insertPerson.run(
        eddie,
        minute,
        60_000,
        m % 3 === 0 ? 30_000 : 60_000,
        60_000,
        m % 10 === 0 ? 1 : 0,
        12,
      );
      if (m < 40) insertPerson.run(mira, minute, 60_000, 6_000, 0, 0, 0);
      insertSource.run(source.id, minute, 54_000);
    }
  })();
  db.close();

  const from = windowStart - (windowStart % MINUTE);
  const stats = await callOk<{
    people: { personId: number; signedInMs: number; activeMs: number; notes: number }[];
  }>(admin, 'statsMinutes', { from, to: from + 24 * HOUR });
  const sumOf = (id: number, pick: (r: { signedInMs: number; activeMs: number }) => number) =>
    stats.people.filter((r) => r.personId === id).reduce((a, r) => a + pick(r), 0) / MINUTE;
  const eddieSignedIn = sumOf(eddie, (r) => r.signedInMs);
  const eddieActive = sumOf(eddie, (r) => r.activeMs);
  expect(eddieSignedIn).toBe(90);
  expect(eddieActive).toBe(75);

  // The Team screen over the station day of the seeded window.
  await openScreen(manager, airdeck.url, 'team');
  const localDay = new Intl.DateTimeFormat('en-CA', { timeZone: zone }).format(
    new Date(windowStart + 2 * HOUR),
  );
  await manager.getByTestId('team-day').fill(localDay);
  await expect(manager.getByTestId(`team-person-${eddie}-signedIn`)).toHaveText('90');
  await expect(manager.getByTestId(`team-person-${eddie}-active`)).toHaveText('75');
  await expect(manager.getByTestId(`team-person-${mira}-signedIn`)).toHaveText('40');
  await expect(manager.getByTestId(`team-person-${mira}-active`)).toHaveText('4');
  await expect(manager.getByTestId(`team-person-${eddie}-notes`)).toHaveText('9');
  await expect(manager.getByTestId('team-sum-signedIn')).toHaveText('130');
  await expect(manager.getByTestId(`team-source-${source.id}-reviewed`)).toHaveText('81');
  await expect(manager.getByTestId('team-chart-active').locator('canvas')).toBeVisible();

  // The XLSX of the same station day: its People sheet's total row says the same.
  const dayFrom =
    Date.parse(`${localDay}T00:00:00Z`) - offsetMs(zone, Date.parse(`${localDay}T12:00:00Z`));
  const miraClient = await contractClient(airdeck, { username: 'mira', password: PASSWORD });
  const file = await callOk<{ base64: string }>(miraClient, 'reportBuild', {
    from: dayFrom,
    to: dayFrom + 24 * HOUR,
    format: 'xlsx',
    title: 'Team check',
  });
  const book = new ExcelJS.Workbook();
  // exceljs types its Buffer from an older @types/node; the bytes are the same.
  await book.xlsx.load(Buffer.from(file.base64, 'base64') as unknown as ArrayBuffer);
  const sheet = book.getWorksheet('People')!;
  const header = (sheet.getRow(1).values as unknown[]).map(String);
  const col = (name: string) => header.indexOf(name);
  const total = sheet.getRow(sheet.rowCount);
  expect(total.getCell(1).value).toBe('Total');
  const valueOf = (name: string) => {
    const v = total.getCell(col(name)).value as { result?: number } | number;
    return typeof v === 'number' ? v : v.result;
  };
  expect(valueOf('Signed in (min)')).toBe(130);
  expect(valueOf('Active (min)')).toBe(79);
  await expect(manager.getByTestId('team-sum-active')).toHaveText('79');

  // The report is in the manager's history.
  await openScreen(manager, airdeck.url, 'reports');
  await expect(manager.getByTestId('report-history')).toContainText('Team check');

  miraClient.close();
  admin.close();
  await managerContext.close();
  await editorContext.close();
});

/** The zone's offset from UTC at an instant, in ms (Etc zones have one all year). */
function offsetMs(zone: string, at: number): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(at));
  const get = (t: string) => Number(parts.find((p) => p.type === t)!.value);
  const wall = Date.UTC(
    get('year'),
    get('month') - 1,
    get('day'),
    get('hour'),
    get('minute'),
    get('second'),
  );
  return wall - at;
}
