// Contract over WebSocket against the built `serve`: call round trip, and the time from one
// window's settings change to the event arriving in every other window.
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import { startServe, summarize } from './lib.mjs';

const CALLS = Number(process.env.BENCH_CALLS ?? 2000);
const WINDOWS = Number(process.env.BENCH_WINDOWS ?? 10);
const CHANGES = Number(process.env.BENCH_CHANGES ?? 200);

function connect(url, cookie) {
  const ws = new WebSocket(url, { headers: { cookie } });
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

const serve = await startServe();
const url = `ws://${serve.hostPort}/api/ws`;
const sockets = await Promise.all(
  Array.from({ length: WINDOWS }, () => connect(url, serve.cookie)),
);
const [caller, ...watchers] = sockets;

let id = 0;
const roundTrips = [];
for (let i = 0; i < CALLS; i++) {
  const myId = ++id;
  const start = performance.now();
  await new Promise((resolve) => {
    const onMessage = (raw) => {
      if (JSON.parse(raw.toString()).id === myId) {
        caller.off('message', onMessage);
        resolve();
      }
    };
    caller.on('message', onMessage);
    caller.send(JSON.stringify({ id: myId, method: 'appInfo', params: {} }));
  });
  roundTrips.push(performance.now() - start);
}

const fanOut = [];
for (let i = 0; i < CHANGES; i++) {
  const name = `Bench ${i}`;
  const start = performance.now();
  const arrivals = watchers.map(
    (ws) =>
      new Promise((resolve) => {
        const onMessage = (raw) => {
          const frame = JSON.parse(raw.toString());
          if (frame.event === 'settingsChanged' && frame.data.stationName === name) {
            ws.off('message', onMessage);
            resolve(performance.now() - start);
          }
        };
        ws.on('message', onMessage);
      }),
  );
  caller.send(JSON.stringify({ id: ++id, method: 'settingsSet', params: { stationName: name } }));
  fanOut.push(...(await Promise.all(arrivals)));
}

for (const ws of sockets) ws.close();
await serve.stop();
console.log(
  JSON.stringify({
    bench: 'contract-latency',
    callRoundTripMs: summarize(roundTrips),
    settingsChangeToOtherWindowsMs: { windows: watchers.length, ...summarize(fanOut) },
  }),
);
