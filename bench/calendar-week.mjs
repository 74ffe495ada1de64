/* global document, requestAnimationFrame */
// Opens the Schedule screen of a station with 20 channels × 7 days × 60 items a day (8,400
// items, seeded as breaks through the contract) in Debian Chromium and times:
// - the week of all 20 channels (the "All channels" grid), cold: each run in a fresh browser
//   context (empty cache, new page), from `goto` to all 8,400 items drawn and a frame painted,
//   and from the date change (the one fetch + render of the week) to the same point;
// - the one-channel week view and the 20-channel day view (react-big-calendar), click to events.
// Prints one JSON line. Needs `npm run build` first.
import { chromium } from '@playwright/test';
import { readdirSync, readFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import WebSocket from 'ws';
import { signInContext, startServe, summarize } from './lib.mjs';

const CHANNELS = 20;
const DAYS = 7;
const PER_DAY = 60;
const ITEM_MS = 24 * 60_000;
const WEEK_START = Date.parse('2030-01-07T00:00:00Z');
const RUNS = Number(process.env.RUNS ?? 5);
const URL_OF = (serve) => `${serve.origin}#/schedule`;
/** Resolves once the frame holding the current DOM has been painted. */
const painted = () => new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 0)));

/**
 * CPU time (ms, user + system) of every process below this one: the `serve` core and the whole
 * Chromium tree. On a shared machine wall time mostly measures the other jobs; CPU time does not.
 */
function childrenCpuMs() {
  const stats = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const raw = readFileSync(`/proc/${name}/stat`, 'utf8');
      const fields = raw.slice(raw.lastIndexOf(')') + 2).split(' ');
      // Fields from the state on: [1] ppid, [11] utime, [12] stime (clock ticks, 100 a second).
      stats.push({ pid: Number(name), ppid: Number(fields[1]), ticks: +fields[11] + +fields[12] });
    } catch {
      // The process ended between the listing and the read.
    }
  }
  const below = new Set([process.pid]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const st of stats) {
      if (!below.has(st.pid) && below.has(st.ppid)) {
        below.add(st.pid);
        grew = true;
      }
    }
  }
  const perPid = new Map();
  for (const st of stats)
    if (st.pid !== process.pid && below.has(st.pid)) perPid.set(st.pid, st.ticks * 10);
  return perPid;
}
/** CPU ms spent by the child processes between two `childrenCpuMs()` samples. */
function cpuBetween(before, after) {
  let total = 0;
  for (const [pid, ms] of after) total += ms - (before.get(pid) ?? 0);
  return total;
}

/**
 * One cold open of the 20-channel week grid in a fresh context (empty cache); returns its
 * timings (ms). `remembered`: the window last showed the grid (the view is kept in
 * localStorage), so the screen opens on it; otherwise it opens on the day view and the grid
 * is picked with its button.
 */
async function coldGridOpen(browser, serve, remembered) {
  const context = await browser.newContext({ viewport: { width: 1600, height: 1000 } });
  try {
    // Signed in before the clock starts: the figures are the screen's, not the sign-in's.
    await signInContext(context, serve.origin);
    if (remembered) {
      await context.addInitScript(() =>
        localStorage.setItem(
          'airdeck.schedule-view',
          JSON.stringify({ state: { view: 'channels', zoom: 1 }, version: 1 }),
        ),
      );
    }
    const page = await context.newPage();
    const cpu0 = childrenCpuMs();
    const t0 = Date.now();
    await page.goto(URL_OF(serve));
    await page.getByTestId('schedule-screen').waitFor();
    const screen = Date.now() - t0;
    if (!remembered) await page.getByRole('button', { name: 'All channels', exact: true }).click();
    await page.getByTestId('channel-grid').waitFor();
    const cpu1 = childrenCpuMs();
    const t1 = Date.now();
    await page.getByLabel('Go to date').fill('2030-01-08');
    await page.waitForFunction(
      (n) => document.querySelectorAll('[data-testid="channel-grid"] .sch-gitem').length >= n,
      CHANNELS * DAYS * PER_DAY,
    );
    await page.evaluate(painted);
    const end = Date.now();
    const cpu2 = childrenCpuMs();
    const nodes = await page.evaluate(() => document.getElementsByTagName('*').length);
    return {
      fromNavigation: end - t0,
      fromDateChange: end - t1,
      screen,
      nodes,
      cpuFromNavigation: cpuBetween(cpu0, cpu2),
      cpuFromDateChange: cpuBetween(cpu1, cpu2),
    };
  } finally {
    await context.close();
  }
}

function connect(hostPort, cookie) {
  const ws = new WebSocket(`ws://${hostPort}/api/ws`, { headers: { cookie } });
  let next = 1;
  const pending = new Map();
  ws.on('message', (raw) => {
    const frame = JSON.parse(String(raw));
    if (frame.id && pending.has(frame.id)) {
      pending.get(frame.id)(frame);
      pending.delete(frame.id);
    }
  });
  const call = (method, params) =>
    new Promise((resolve, reject) => {
      const id = next++;
      pending.set(id, (f) => (f.ok ? resolve(f.result) : reject(new Error(f.error.message))));
      ws.send(JSON.stringify({ id, method, params }));
    });
  return new Promise((resolve) =>
    ws.once('open', () => resolve({ call, close: () => ws.close() })),
  );
}

const serve = await startServe();
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-sync'],
});
try {
  const api = await connect(serve.hostPort, serve.cookie);
  for (let c = 1; c <= CHANNELS; c++) {
    const channel = await api.call('channelCreate', {
      name: `Channel ${c}`,
      number: c,
      slug: `ch-${c}`,
    });
    const ops = [];
    for (let i = 0; i < DAYS * PER_DAY; i++) {
      ops.push({
        op: 'create',
        item: {
          channelId: channel.id,
          kind: 'break',
          startsAt: WEEK_START + i * ITEM_MS,
          durationMs: ITEM_MS,
          category: `cat-${i % 5}`,
        },
      });
    }
    await api.call('scheduleBatch', { ops });
  }
  api.close();

  const grid = [];
  const reopen = [];
  for (let run = 0; run < RUNS; run++) {
    grid.push(await coldGridOpen(browser, serve, false));
    reopen.push(await coldGridOpen(browser, serve, true));
  }
  const gridFigures = (runs) => ({
    firstFromNavigationMs: runs[0].fromNavigation,
    fromNavigationMs: summarize(runs.map((r) => r.fromNavigation)),
    fromDateChangeMs: summarize(runs.map((r) => r.fromDateChange)),
    screenReadyMs: summarize(runs.map((r) => r.screen)),
    cpuFromNavigationMs: summarize(runs.map((r) => r.cpuFromNavigation)),
    cpuFromDateChangeMs: summarize(runs.map((r) => r.cpuFromDateChange)),
    domNodes: runs[0].nodes,
  });

  const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  await signInContext(page.context(), serve.origin);
  await page.goto(URL_OF(serve));
  await page.getByTestId('schedule-screen').waitFor();
  await page.getByLabel('Go to date').fill('2030-01-08');
  const week = [];
  const day = [];
  for (let run = 0; run < RUNS; run++) {
    // Week view of one channel (420 items) from the day view.
    let t0 = Date.now();
    await page.getByRole('button', { name: 'Week', exact: true }).click();
    await page.waitForFunction(
      (n) => document.querySelectorAll('.sch-event').length >= n,
      DAYS * PER_DAY,
    );
    week.push(Date.now() - t0);
    // Day view: all 20 channels side by side (1,200 items).
    t0 = Date.now();
    await page.getByRole('button', { name: 'Day', exact: true }).click();
    await page.waitForFunction(
      (n) => document.querySelectorAll('.sch-event').length >= n,
      CHANNELS * 60,
    );
    day.push(Date.now() - t0);
  }
  console.log(
    JSON.stringify({
      bench: 'calendar-week',
      items: CHANNELS * DAYS * PER_DAY,
      gridWeek20ChannelsCold: gridFigures(grid),
      gridWeek20ChannelsReopenCold: gridFigures(reopen),
      weekViewOneChannelMs: summarize(week),
      dayView20ChannelsMs: summarize(day),
      loadAverage: loadavg().map((x) => Math.round(x * 100) / 100),
      note: 'grid: fresh context per run, goto/date change to all items painted; RBC views: click to rendered events, first run includes the scheduleRange fetch',
    }),
  );
} finally {
  await browser.close();
  await serve.stop();
}
