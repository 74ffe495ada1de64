/* global document, window, Element, MutationObserver */
// Event latency between two windows: window A stops or starts a channel on the On air screen;
// window B (the full-screen wall) shows the tally change. Both pages run in one Chromium, so
// Date.now() in A at the click and in B at the DOM mutation are on the same clock.
//
//   WALL_BENCH_URL   a running station's address with a channel on air, with WALL_BENCH_USER
//                    and WALL_BENCH_PASSWORD (else a 1-channel demo station is started, which
//                    takes a few minutes of ffmpeg)
//   WALL_ACTIONS     stop/start actions to time (default 60)
import { loadavg } from 'node:os';
import { contract, launchChromium, signedInContext, station } from './wall-tiles.mjs';

const ACTIONS = Number(process.env.WALL_ACTIONS ?? 60);
const round = (x) => Math.round(x * 10) / 10;

function summarize(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
  return { n: sorted.length, p50: round(at(50)), p95: round(at(95)), max: round(sorted.at(-1)) };
}

// Page A: when the operator's click that acts happens.
const RECORD_CLICKS = () => {
  window.__actedAt = [];
  document.addEventListener(
    'click',
    (e) => {
      const target = e.target instanceof Element ? e.target.closest('[data-testid]') : null;
      const id = target?.getAttribute('data-testid');
      if (id === 'confirm-stop' || id === 'action-start') window.__actedAt.push(Date.now());
    },
    true,
  );
};

// Page B: when the tally on the wall changed, and when the event that changed it arrived.
const WATCH_TALLY = () => {
  window.__shownAt = [];
  window.__arrivedAt = [];
  const NativeWebSocket = window.WebSocket;
  window.WebSocket = class extends NativeWebSocket {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', (e) => {
        if (typeof e.data === 'string' && e.data.includes('"playoutChanged"'))
          window.__arrivedAt.push(Date.now());
      });
    }
  };
  const observer = new MutationObserver((records) => {
    for (const r of records) {
      if (r.attributeName === 'data-tally')
        window.__shownAt.push({ at: Date.now(), state: r.target.getAttribute('data-tally') });
    }
  });
  const start = () =>
    observer.observe(document.body, {
      attributes: true,
      subtree: true,
      attributeFilter: ['data-tally'],
    });
  if (document.body) start();
  else document.addEventListener('DOMContentLoaded', start);
};

const target = await station({ demoChannels: 1 });
const api = await contract(target);
const browser = await launchChromium();
try {
  const { channels } = await api.call('playoutStatus', {});
  const channel = channels.find((c) => c.onAir) ?? channels[0];
  if (!channel) throw new Error('the station has no channel');
  const name = 'Bench sync';
  const existing = (await api.call('wallLayoutsList', {})).layouts.find((l) => l.name === name);
  const layout = await api.call('wallLayoutSave', {
    ...(existing ? { id: existing.id } : {}),
    name,
    cols: 1,
    rows: 1,
    cells: [{ kind: 'channel', channelId: channel.channelId }],
  });
  // Two windows, each its own signed-in session, as two operators' browsers would be.
  const a = await (
    await signedInContext(browser, target, { viewport: { width: 1440, height: 900 } })
  ).newPage();
  const b = await (
    await signedInContext(browser, target, { viewport: { width: 1280, height: 720 } })
  ).newPage();
  await a.addInitScript(RECORD_CLICKS);
  await b.addInitScript(WATCH_TALLY);
  await b.goto(`${target.origin}/?fullscreen=1&layout=${layout.id}#/wall`);
  await a.goto(`${target.origin}/#/channels-control`);
  await a.getByTestId(`channel-row-${channel.channelId}`).click();
  const tile = b.locator('[data-testid="wall-tile"]');
  await tile.waitFor();

  const latencies = [];
  const toArrival = [];
  const toScreen = [];
  for (let i = 0; i < ACTIONS; i++) {
    const onAir = (await tile.getAttribute('data-tally')) !== 'off';
    const seen = await b.evaluate(() => window.__shownAt.length);
    if (onAir) {
      await a.getByTestId('action-stop').click();
      await a.getByTestId('stop-dialog').getByTestId('confirm-stop').click();
    } else {
      await a.getByTestId('action-start').click();
    }
    await b.waitForFunction((n) => window.__shownAt.length > n, seen);
    const actedAt = (await a.evaluate(() => window.__actedAt)).at(-1);
    const shownAt = await b.evaluate((n) => window.__shownAt[n].at, seen);
    const arrivedAt = await b.evaluate(
      (t) => window.__arrivedAt.find((at) => at >= t) ?? null,
      actedAt,
    );
    latencies.push(shownAt - actedAt);
    if (arrivedAt !== null) {
      toArrival.push(arrivedAt - actedAt);
      toScreen.push(shownAt - arrivedAt);
    }
    await a.waitForTimeout(200);
  }
  // Leave the channel as we found it.
  if ((await tile.getAttribute('data-tally')) === 'off' && channel.onAir)
    await api.call('playoutStart', { channelId: channel.channelId });
  process.stdout.write(
    `${JSON.stringify({
      bench: 'wall-sync',
      action: 'playoutStop/Start click in window A → tally attribute in window B',
      ms: summarize(latencies),
      /** Click in A → the event's frame arriving on B's WebSocket (A's UI, the core, transport). */
      clickToEventMs: summarize(toArrival),
      /** Frame on B's WebSocket → tally attribute changed (parse, cache patch, React render). */
      eventToScreenMs: summarize(toScreen),
      load: loadavg().map((x) => Math.round(x * 100) / 100),
    })}\n`,
  );
} finally {
  await browser.close();
  api.close();
  await target.stop();
}
