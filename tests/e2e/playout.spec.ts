// A real viewer on the demo station: hls.js in Chromium plays a channel across programme
// boundaries without stalling, and keeps playing when the server is killed with SIGKILL and
// started again (the playlist is arithmetic on the clock, so the media sequence carries on).
import { expect, test, type Page } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/** Media seconds after joining in which a software decoder drops frames by itself. */
const DECODER_WARMUP_S = 4;

const CLI = fileURLToPath(new URL('../../dist/main/cli.cjs', import.meta.url));
const HLS_JS = fileURLToPath(new URL('../../node_modules/hls.js/dist/hls.min.js', import.meta.url));
const SLUG = 'airdeck-one';

type Serve = { child: ChildProcess; port: number; stderr: () => string };

/**
 * `serve --demo-channels 1` with the short demo (6–10 s clips, first programme within
 * seconds). Resolves once `untilLine` shows on stderr (the demo's last line).
 */
function startServe(dataDir: string, port: number, untilLine: RegExp): Promise<Serve> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    AIRDECK_DEMO_SCALE: 'short',
    AIRDECK_DEMO_HOURS: '1',
  };
  for (const name of ['AIRDECK_TOKEN', 'AIRDECK_DATA', 'AIRDECK_PORT', 'AIRDECK_HOST']) {
    delete env[name];
  }
  const child = spawn(
    process.execPath,
    [CLI, 'serve', '--port', String(port), '--data', dataDir, '--demo-channels', '1'],
    { stdio: ['ignore', 'pipe', 'pipe'], env },
  );
  let log = '';
  return new Promise((resolve, reject) => {
    let readyPort = 0;
    let seeded = false;
    const done = () => {
      if (readyPort && seeded) resolve({ child, port: readyPort, stderr: () => log });
    };
    createInterface({ input: child.stdout! }).on('line', (line) => {
      const m = /^Airdeck ready at http:\/\/127\.0\.0\.1:(\d+)\//.exec(line);
      if (m) readyPort = Number(m[1]);
      done();
    });
    createInterface({ input: child.stderr! }).on('line', (line) => {
      log = `${log}${line}\n`.slice(-8000);
      if (untilLine.test(line)) seeded = true;
      if (/seeding failed/.test(line)) reject(new Error(log));
      done();
    });
    child.once('exit', (code, signal) =>
      reject(new Error(`serve exited (${code ?? signal}):\n${log}`)),
    );
  });
}

/** A bare page on the server's origin (so no CORS), served by the test, with hls.js. */
async function openPlayer(page: Page, port: number) {
  const origin = `http://127.0.0.1:${port}`;
  await page.route(`${origin}/e2e-player.html`, (route) =>
    route.fulfill({
      contentType: 'text/html',
      body: `<!doctype html><video id="v" muted playsinline width="640" height="360"></video>`,
    }),
  );
  await page.goto(`${origin}/e2e-player.html`);
  await page.addScriptTag({ content: readFileSync(HLS_JS, 'utf8') });
  await page.evaluate((src) => {
    type Stats = {
      waitingAfterPlay: number;
      playing: boolean;
      ccs: number[];
      msns: number[];
      errors: string[];
      /** Media times where a programme starts (a new discontinuity counter). */
      seams: number[];
      /** [media time, dropped frames so far], sampled every 200 ms. */
      drops: [number, number][];
    };
    const w = window as unknown as {
      Hls: new (config: object) => {
        loadSource(url: string): void;
        attachMedia(v: HTMLVideoElement): void;
        on(event: string, cb: (e: string, data: Record<string, unknown>) => void): void;
      };
      stats: Stats;
    };
    const stats: Stats = {
      waitingAfterPlay: 0,
      playing: false,
      ccs: [],
      msns: [],
      errors: [],
      seams: [],
      drops: [],
    };
    w.stats = stats;
    const video = document.getElementById('v') as HTMLVideoElement;
    // A server restart takes a second or two: keep asking for the playlist meanwhile.
    const retry = { maxNumRetry: 10, retryDelayMs: 500, maxRetryDelayMs: 2000 };
    const policy = {
      default: {
        maxTimeToFirstByteMs: 5000,
        maxLoadTimeMs: 10000,
        timeoutRetry: retry,
        errorRetry: retry,
      },
    };
    const hls = new w.Hls({ playlistLoadPolicy: policy, fragLoadPolicy: policy });
    hls.on('hlsFragChanged', (_e, data) => {
      const frag = data.frag as { cc: number; sn: number; start: number };
      if (stats.ccs.at(-1) !== frag.cc) {
        if (stats.ccs.length > 0) stats.seams.push(frag.start);
        stats.ccs.push(frag.cc);
      }
      stats.msns.push(frag.sn);
    });
    hls.on('hlsError', (_e, data) => {
      stats.errors.push(`${String(data.type)}/${String(data.details)}/${String(data.fatal)}`);
    });
    video.addEventListener('playing', () => (stats.playing = true));
    video.addEventListener('waiting', () => {
      if (stats.playing) stats.waitingAfterPlay += 1;
    });
    setInterval(() => {
      const dropped = video.getVideoPlaybackQuality().droppedVideoFrames;
      if (dropped !== stats.drops.at(-1)?.[1]) stats.drops.push([video.currentTime, dropped]);
    }, 200);
    hls.loadSource(src);
    hls.attachMedia(video);
    void video.play();
  }, `${origin}/channels/${SLUG}/main.m3u8`);
}

type PlayerState = {
  waitingAfterPlay: number;
  playing: boolean;
  ccs: number[];
  msns: number[];
  errors: string[];
  seams: number[];
  drops: [number, number][];
  currentTime: number;
  dropped: number;
  total: number;
};

const state = (page: Page): Promise<PlayerState> =>
  page.evaluate(() => {
    const video = document.getElementById('v') as HTMLVideoElement;
    const q = video.getVideoPlaybackQuality();
    const stats = (window as unknown as { stats: Omit<PlayerState, 'currentTime'> }).stats;
    return {
      ...stats,
      currentTime: video.currentTime,
      dropped: q.droppedVideoFrames,
      total: q.totalVideoFrames,
    };
  });

test.describe('playout of the demo station', () => {
  test.describe.configure({ timeout: 300_000 });
  let dataDir: string;
  let serve: Serve | undefined;

  test.beforeEach(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'airdeck-e2e-playout-'));
    serve = await startServe(dataDir, 0, /demo ready/);
  });

  test.afterEach(async () => {
    if (serve && serve.child.exitCode === null && serve.child.signalCode === null) {
      const exited = new Promise((resolve) => serve?.child.once('exit', resolve));
      serve.child.kill('SIGTERM');
      await exited;
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('hls.js plays across three programme boundaries without a stall', async ({
    page,
    request,
  }) => {
    // A channel that has just started lists one segment: a player joining then has no buffer
    // to play from (hls.js keeps three segments behind the edge). Join as a viewer would, once
    // the window holds four, so a stall measured here is the playout's, not the tune-in's.
    const playlist = `http://127.0.0.1:${serve!.port}/channels/${SLUG}/main.m3u8`;
    await expect
      .poll(
        async () => {
          const response = await request.get(playlist);
          return response.ok() ? ((await response.text()).match(/#EXTINF/g) ?? []).length : 0;
        },
        { timeout: 60_000, intervals: [500] },
      )
      .toBeGreaterThanOrEqual(4);
    await openPlayer(page, serve!.port);
    await expect.poll(async () => (await state(page)).playing, { timeout: 30_000 }).toBe(true);
    // Each programme start is an EXT-X-DISCONTINUITY: a new `cc` on the fragments played.
    // The slate before the first programme adds a seam or two, so ask for six and 30 s.
    await expect
      .poll(
        async () => {
          const s = await state(page);
          return s.ccs.length >= 6 && s.currentTime > 30;
        },
        { timeout: 180_000, intervals: [1000] },
      )
      .toBe(true);
    const s = await state(page);
    expect(s.waitingAfterPlay).toBe(0);
    expect(s.errors.filter((e) => e.endsWith('/true'))).toEqual([]);
    // Software decoding on a shared two-core box drops the odd frame anywhere; what the
    // playout owns is the seams: no frame dropped within half a second of one.
    const dropTimes = s.drops.filter((d, i) => i > 0 && d[1] > (s.drops[i - 1]?.[1] ?? 0));
    // The first seconds after joining are the decoder warming up: it drops frames there
    // whatever the stream holds (seen on this machine with the build before accounts too, when
    // the demo's first seams fall inside them), so seams in that time are not judged.
    const judged = s.seams.filter((seam) => seam > DECODER_WARMUP_S);
    expect(judged.length, 'three programme boundaries are judged').toBeGreaterThanOrEqual(3);
    const atSeams = dropTimes.filter(([t]) =>
      judged.some((seam) => t > seam - 0.3 && t < seam + 0.5),
    );
    console.log(JSON.stringify({ seams: s.seams, drops: s.drops, frames: s.total }));
    expect(atSeams).toEqual([]);
    expect(s.dropped).toBeLessThanOrEqual(Math.ceil(s.total * 0.05));
    // Fragments played in order, no sequence number skipped. The first fragment is exempt: at
    // start-up hls.js may load one and then reposition once to the live edge (seen in CI:
    // 0 → 2), which is the player's choice, not a gap in the channel.
    for (let i = 2; i < s.msns.length; i += 1) {
      expect(s.msns[i]).toBe((s.msns[i - 1] ?? 0) + 1);
    }
  });

  test('after kill -9 and a restart the playlist carries on and the player keeps playing', async ({
    page,
    request,
  }) => {
    const port = serve!.port;
    const playlist = `http://127.0.0.1:${port}/channels/${SLUG}/main.m3u8`;
    const msnOf = async () => {
      const text = await (await request.get(playlist)).text();
      return Number(/#EXT-X-MEDIA-SEQUENCE:(\d+)/.exec(text)?.[1]);
    };
    await openPlayer(page, port);
    await expect.poll(async () => (await state(page)).playing, { timeout: 30_000 }).toBe(true);
    await page.waitForTimeout(6000);
    const before = { msn: await msnOf(), at: Date.now(), time: (await state(page)).currentTime };

    serve!.child.kill('SIGKILL');
    await new Promise((resolve) => serve!.child.once('exit', resolve));
    serve = await startServe(dataDir, port, /demo: not seeded/);

    const after = { msn: await msnOf(), at: Date.now() };
    // The clock, not the process, says where the air is: 2 s segments since `before`.
    const expected = before.msn + (after.at - before.at) / 2000;
    expect(Math.abs(after.msn - expected)).toBeLessThanOrEqual(1.5);

    await page.waitForTimeout(12_000);
    const s = await state(page);
    expect(s.currentTime).toBeGreaterThan(before.time + 10);
    expect(s.errors.filter((e) => e.endsWith('/true'))).toEqual([]);
    for (let i = 1; i < s.msns.length; i += 1) {
      expect(s.msns[i]).toBe((s.msns[i - 1] ?? 0) + 1);
    }
  });
});
