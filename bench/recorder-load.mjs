// Recorder load: one live HLS source (ffmpeg in real time, 640x360, 2 s segments) offered under
// RECORDER_SOURCES names (default 20) by a tiny HTTP server that hashes what it serves; the built
// `serve` records them all for RECORDER_SECONDS (default 300). Prints one JSON line: gaps, the
// longest gap, bytes indexed against bytes served, and serve's CPU and memory.
//   RECORDER_SOURCES=100 RECORDER_SECONDS=300 node bench/recorder-load.mjs
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import { startServe } from './lib.mjs';

const SOURCES = Number(process.env.RECORDER_SOURCES ?? 20);
const SECONDS = Number(process.env.RECORDER_SECONDS ?? 300);
const SEGMENT_S = 2;

const dir = mkdtempSync(join(tmpdir(), 'airdeck-recorder-bench-'));
const encoder = spawn(
  process.env.AIRDECK_FFMPEG ?? 'ffmpeg',
  [
    ...['-hide_banner', '-v', 'error', '-nostdin', '-re', '-f', 'lavfi'],
    ...['-i', 'testsrc2=size=640x360:rate=25', '-re', '-f', 'lavfi', '-i', 'sine=frequency=440'],
    ...['-c:v', 'libx264', '-preset', 'ultrafast', '-g', '50', '-keyint_min', '50'],
    ...['-sc_threshold', '0', '-c:a', 'aac', '-f', 'hls', '-hls_time', String(SEGMENT_S)],
    ...['-hls_list_size', '6', '-hls_flags', 'delete_segments+program_date_time+temp_file'],
    ...['-hls_segment_filename', join(dir, 'seg%d.ts'), join(dir, 'main.m3u8')],
  ],
  { stdio: 'ignore' },
);

const served = new Map(); // "/<name>/segN.ts" → bytes
const server = createServer((request, response) => {
  const match = /^\/([\w-]+)\/(main\.m3u8|seg\d+\.ts)$/.exec(request.url ?? '');
  if (!match) return void response.writeHead(404).end();
  readFile(join(dir, match[2])).then(
    (body) => {
      if (match[2].endsWith('.ts')) served.set(request.url, body.length);
      response.writeHead(200, { 'content-length': body.length }).end(body);
    },
    () => response.writeHead(404).end(),
  );
});
await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
const sourceBase = `http://127.0.0.1:${server.address().port}`;
await new Promise((resolve) => setTimeout(resolve, (SEGMENT_S * 3 + 1) * 1000));

const station = await startServe();
const ws = new WebSocket(`${station.origin.replace(/^http/, 'ws')}api/ws`, {
  headers: { cookie: station.cookie },
});
await new Promise((resolve, reject) => (ws.once('open', resolve), ws.once('error', reject)));
let nextId = 0;
const pending = new Map();
ws.on('message', (raw) => {
  const frame = JSON.parse(raw.toString());
  const done = pending.get(frame.id);
  if (!done) return;
  pending.delete(frame.id);
  if (frame.ok) done.resolve(frame.result);
  else done.reject(new Error(`${frame.error.code}: ${frame.error.message}`));
});
const call = (method, params) =>
  new Promise((resolve, reject) => {
    const id = ++nextId;
    pending.set(id, { resolve, reject });
    ws.send(JSON.stringify({ id, method, params }));
  });

const pid = Number(
  readFileSync('/proc/self/task/' + process.pid + '/children', 'utf8')
    .trim()
    .split(/\s+/)
    .at(-1),
);
const cpuTicks = () => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return Number(fields[11]) + Number(fields[12]);
};
for (let i = 0; i < SOURCES; i++)
  await call('recorderSourceAdd', { name: `Bench ${i}`, url: `${sourceBase}/s${i}/main.m3u8` });
const ticks0 = cpuTicks();
const started = Date.now();
await new Promise((resolve) => setTimeout(resolve, SECONDS * 1000));
const cpuPercent = ((cpuTicks() - ticks0) / 100 / ((Date.now() - started) / 1000)) * 100;
const rssMb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024;

const { sources } = await call('recorderSourcesList', {});
let gaps = 0;
let longestGapMs = 0;
let bytesIndexed = 0;
let segments = 0;
for (const source of sources) {
  const coverage = await call('recordingCoverage', {
    sourceId: source.id,
    fromAt: source.firstAt,
    toAt: source.lastAt,
  });
  gaps += coverage.gaps.length;
  for (const gap of coverage.gaps)
    longestGapMs = Math.max(longestGapMs, (gap.toAt ?? Date.now()) - gap.fromAt);
  bytesIndexed += source.bytes;
  segments += source.segments;
}
const bytesServed = [...served.values()].reduce((a, b) => a + b, 0);
console.log(
  JSON.stringify({
    bench: 'recorder-load',
    sources: SOURCES,
    seconds: SECONDS,
    segments,
    gaps,
    longestGapMs,
    bytesIndexed,
    bytesServed,
    serveCpuPercent: Math.round(cpuPercent * 10) / 10,
    serveRssMb: Math.round(rssMb),
  }),
);
ws.close();
await station.stop();
encoder.kill('SIGKILL');
server.closeAllConnections();
server.close();
rmSync(dir, { recursive: true, force: true });
