// Monitoring costs. Prints one JSON line per case:
//   monitor-viewers:  counting a viewer per 2xx playlist or segment answer (goal: O(1), far below
//                     the 2,000 req/s playlist load's budget), and the 2 s count over 500 channels;
//   monitor-detector: one detector's ffmpeg (black + freeze + silence) on a house proxy
//                     (480x270 25 fps, 400 kb/s), in CPU per second of stream: the share of a
//                     core each monitored channel costs.
// CPU time, not wall time: the machine is shared.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveFfmpeg } from '../src-main/core/ffmpeg';
import { DEFAULT_ALARMS_SETTINGS } from '../src-main/core/monitor/alarm-settings';
import { buildDetectorArgs } from '../src-main/core/monitor/detector-args';
import { createViewerCounter } from '../src-main/core/monitor/viewer-counter';

const CHANNELS = 500;
const CLIENTS = 5_000;
const REQUESTS = 2_000_000;
const STREAM_S = 60;

const machine = { cpu: cpus()[0]?.model ?? 'unknown', cores: cpus().length };
const load = () => loadavg().map((x) => Number(x.toFixed(1)));

function viewers() {
  const counter = createViewerCounter();
  const slugs = Array.from({ length: CHANNELS }, (_, i) => `channel-${i}`);
  // A playlist and a segment hit per channel: the server reports the slug of each 2xx answer.
  const urls = slugs.flatMap((s) => [s, s]);
  const addresses = Array.from({ length: CLIENTS }, (_, i) => `10.0.${i >> 8}.${i & 255}`);
  const agents = ['Mozilla/5.0 (X11; Linux x86_64) hls.js', 'VLC/3.0.18 LibVLC/3.0.18'];
  // Warm up, then measure.
  for (let i = 0; i < 100_000; i++)
    counter.seen(urls[i % urls.length]!, addresses[i % CLIENTS]!, agents[i & 1], i);
  const before = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < REQUESTS; i++)
    counter.seen(urls[(i * 7) % urls.length]!, addresses[i % CLIENTS]!, agents[i & 1], 1000 + i);
  const used = process.cpuUsage(before);
  const wallMs = performance.now() - t0;
  const countStart = process.cpuUsage();
  const counted = counter.count(1000 + REQUESTS);
  const countUsed = process.cpuUsage(countStart);
  let total = 0;
  for (const n of counted.values()) total += n;
  return {
    bench: 'monitor-viewers',
    requests: REQUESTS,
    channels: CHANNELS,
    clients: CLIENTS,
    nsPerRequestCpu: Math.round(((used.user + used.system) * 1000) / REQUESTS),
    nsPerRequestWall: Math.round((wallMs * 1e6) / REQUESTS),
    countMsCpu: Math.round((countUsed.user + countUsed.system) / 100) / 10,
    distinctCounted: total,
    loadavg: load(),
    machine,
  };
}

function detector() {
  const ffmpeg = resolveFfmpeg().ffmpeg.path;
  const dir = mkdtempSync(join(tmpdir(), 'airdeck-bench-monitor-'));
  try {
    execFileSync(ffmpeg, [
      ...['-hide_banner', '-v', 'error', '-y'],
      ...['-f', 'lavfi', '-i', `testsrc2=size=480x270:rate=25:duration=${STREAM_S}`],
      ...['-f', 'lavfi', '-i', `sine=frequency=440:sample_rate=48000:duration=${STREAM_S}`],
      ...[
        '-c:v',
        'libx264',
        '-preset',
        'veryfast',
        '-b:v',
        '400k',
        '-g',
        '50',
        '-pix_fmt',
        'yuv420p',
      ],
      ...['-c:a', 'aac', '-b:a', '64k', '-f', 'hls', '-hls_time', '2', '-hls_playlist_type', 'vod'],
      join(dir, 'proxy.m3u8'),
    ]);
    const args = buildDetectorArgs(join(dir, 'proxy.m3u8'), DEFAULT_ALARMS_SETTINGS);
    // runFfmpeg's base arguments, as the core runs it.
    const full = ['-hide_banner', '-nostdin', '-progress', 'pipe:1', '-nostats', ...args];
    // A local file has no -rw_timeout/-user_agent protocol options: drop them for the file read.
    const fileArgs = full.filter(
      (_a, i) =>
        !['-rw_timeout', '-user_agent'].includes(full[i] ?? '') &&
        !['-rw_timeout', '-user_agent'].includes(full[i - 1] ?? ''),
    );
    const result = spawnSync('/usr/bin/time', ['-f', '%U %S %M', ffmpeg, ...fileArgs], {
      encoding: 'utf8',
    });
    const [user, system, maxKb] = result.stderr.trim().split('\n').at(-1)!.split(' ').map(Number);
    const cpuS = user! + system!;
    return {
      bench: 'monitor-detector',
      stream: '480x270 25 fps H.264 400 kb/s + AAC, 2 s HLS segments',
      streamS: STREAM_S,
      cpuS: Math.round(cpuS * 100) / 100,
      percentOfCorePerChannel: Math.round((cpuS / STREAM_S) * 1000) / 10,
      maxRssMb: Math.round((maxKb ?? 0) / 1024),
      channelsPerCore: Math.floor(STREAM_S / cpuS),
      loadavg: load(),
      machine,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

console.log(JSON.stringify(viewers()));
console.log(JSON.stringify(detector()));
