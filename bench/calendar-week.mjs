/* global document */
// Opens the Schedule screen of a station with 20 channels × 7 days × 60 items a day (8,400
// items, seeded as breaks through the contract) in Debian Chromium and times the week view and
// the 20-channel day view from the click to the rendered events. Prints one JSON line.
// Needs `npm run build` first.
import { chromium } from '@playwright/test';
import WebSocket from 'ws';
import { startServe, summarize } from './lib.mjs';

const CHANNELS = 20;
const DAYS = 7;
const PER_DAY = 60;
const ITEM_MS = 24 * 60_000;
const WEEK_START = Date.parse('2030-01-07T00:00:00Z');
const RUNS = Number(process.env.RUNS ?? 5);

function connect(hostPort, token) {
  const ws = new WebSocket(`ws://${hostPort}/api/ws?token=${encodeURIComponent(token)}`);
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
  const api = await connect(serve.hostPort, serve.token);
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

  const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
  await page.goto(`http://${serve.hostPort}/?token=${encodeURIComponent(serve.token)}#/schedule`);
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
    // Drop the cache so the next run fetches again, as a fresh window would.
    await page.evaluate(() => undefined);
  }
  console.log(
    JSON.stringify({
      bench: 'calendar-week',
      items: CHANNELS * DAYS * PER_DAY,
      weekViewOneChannelMs: summarize(week),
      dayView20ChannelsMs: summarize(day),
      note: 'click to rendered events, Chromium, includes the scheduleRange fetch on the first run',
    }),
  );
} finally {
  await browser.close();
  await serve.stop();
}
