// Real clients on the demo station (the built `serve --demo-channels 1`, short clips): ffmpeg
// reads the channel's HLS for two minutes across many programme boundaries without one error,
// and 60 s of the continuous live.ts have video timestamps that rise one frame at a time.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveFfmpeg } from '../../src-main/core/ffmpeg/index';
import { makeTempDir } from '../helpers/temp-dir';

const CLI = fileURLToPath(new URL('../../dist/main/cli.cjs', import.meta.url));
const binaries = resolveFfmpeg();
/** 90 kHz MPEG-TS clock ticks per frame at 25 fps. */
const FRAME_TICKS = 3600;
/** Pictures a decoder may hold back for B-frame reordering (x264's default pyramid: 2–3). */
const REORDER_FRAMES = 4;

function run(binary: string, args: string[], timeoutMs: number) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    execFile(binary, args, { maxBuffer: 64 << 20, timeout: timeoutMs }, (error, stdout, stderr) => {
      const code = error && 'code' in error && typeof error.code === 'number' ? error.code : 0;
      resolve({ code: error && code === 0 ? -1 : code, stdout, stderr });
    });
  });
}

describe('clients on the demo station', () => {
  const dir = makeTempDir('airdeck-demo-clients-');
  let child: ChildProcess;
  let base = '';

  beforeAll(async () => {
    child = spawn(
      process.execPath,
      [CLI, 'serve', '--port', '0', '--data', dir.path, '--demo-channels', '1'],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
        env: { ...process.env, AIRDECK_DEMO_SCALE: 'short', AIRDECK_DEMO_HOURS: '1' },
      },
    );
    let log = '';
    await new Promise<void>((resolve, reject) => {
      createInterface({ input: child.stdout! }).on('line', (line) => {
        const m = /^Airdeck ready at (http:\/\/[^/]+)\//.exec(line);
        if (m) base = m[1] ?? '';
      });
      createInterface({ input: child.stderr! }).on('line', (line) => {
        log += `${line}\n`;
        if (/demo ready/.test(line)) resolve();
        if (/seeding failed/.test(line)) reject(new Error(log));
      });
      child.once('exit', (code) => reject(new Error(`serve exited (${code}):\n${log}`)));
    });
  }, 600_000);

  afterAll(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    dir.remove();
  });

  it('ffmpeg reads the HLS for 2 minutes and the live.ts keeps frame-exact timestamps', async () => {
    const hls = `${base}/channels/airdeck-one/main.m3u8`;
    const liveFile = join(dir.path, 'live-60s.ts');
    // Both clients at once: two minutes of wall clock, not three.
    const [reader, recorder] = await Promise.all([
      run(
        binaries.ffmpeg.path,
        ['-v', 'error', '-i', hls, '-t', '120', '-f', 'null', '-'],
        240_000,
      ),
      run(
        binaries.ffmpeg.path,
        [
          '-v',
          'error',
          '-i',
          `${base}/channels/airdeck-one/live.ts`,
          '-t',
          '60',
          '-c',
          'copy',
          '-f',
          'mpegts',
          liveFile,
        ],
        180_000,
      ),
    ]);
    // Soft: a failure of one client still shows what the other saw.
    expect.soft(reader.stderr.trim()).toBe('');
    expect.soft(reader.code).toBe(0);
    expect.soft(recorder.stderr.trim()).toBe('');
    expect.soft(recorder.code).toBe(0);

    // The reader crossed programme boundaries: in two minutes of 6–10 s clips, many.
    const playlist = await (await fetch(hls)).text();
    expect(playlist).toContain('#EXT-X-DISCONTINUITY');

    const packets = await run(
      binaries.ffprobe.path,
      [
        '-v',
        'error',
        '-select_streams',
        'v:0',
        '-show_entries',
        'packet=pts',
        '-of',
        'csv=p=0',
        liveFile,
      ],
      60_000,
    );
    const pts = packets.stdout
      .split('\n')
      // A packet without a timestamp prints N/A; only timed packets are compared.
      .filter((line) => /^-?\d+/.test(line))
      .map((line) => Number.parseInt(line, 10));
    expect(pts.length).toBeGreaterThan(55 * 25);
    // Packets come in decode order (B-frames reorder), so sorted PTS must step one frame. The
    // recorder's `-t 60` stops in decode order, so the last reorder window (a few pictures
    // shown before ones it kept) may be missing: that tail is the recording's, not the stream's.
    const sorted = [...pts].sort((a, b) => a - b).slice(0, -REORDER_FRAMES);
    // Listed as [seconds into the recording, gap in frames] so a failure says where.
    const first = sorted[0] ?? 0;
    const jumps = sorted
      .slice(1)
      .map((p, i) => [(p - first) / 90_000, (p - (sorted[i] ?? 0)) / FRAME_TICKS] as const)
      .filter(([, frames]) => frames !== 1);
    expect.soft(jumps).toEqual([]);
    // And no packet goes back more than the decoder's reorder window (a few frames).
    let max = -Infinity;
    for (const p of pts) {
      expect(p).toBeGreaterThan(max - REORDER_FRAMES * FRAME_TICKS);
      max = Math.max(max, p);
    }
  }, 400_000);
});
