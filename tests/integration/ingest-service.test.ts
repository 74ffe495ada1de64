// The ingest service on real ffmpeg, real SQLite and real files: every awkward source ends
// ready (and really plays) or failed with a reason, and nothing half-written stays behind.
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AssetState } from '../../src-shared/contract';
import type { CoreContext } from '../../src-main/core/core-context';
import { openDatabase } from '../../src-main/core/db/open-database';
import { resolveFfmpeg } from '../../src-main/core/ffmpeg/index';
import { createIngestService } from '../../src-main/core/ingest/ingest-service';
import type { IngestPipeline } from '../../src-main/core/ingest/types';
import {
  awkwardName,
  makeAudioOnly,
  makeClip,
  makeEmptyFile,
  makeHouseClip,
  makeInterlaced,
  makeLargeFrame,
  makeNonMediaFile,
  makeOddSize,
  makeRotated,
  makeTenBit,
  makeTruncatedFile,
  makeVariableFrameRate,
  makeVideoOnly,
  runFfmpegCli,
} from '../helpers/media-fixtures';
import { openIngestContext } from '../helpers/ingest-context';
import { makeTempDir } from '../helpers/temp-dir';

const binaries = resolveFfmpeg();
const FPS = 25;
const FRAME_MS = 1000 / FPS;

type Harness = {
  context: CoreContext;
  ingest: IngestPipeline;
  events: {
    id: number;
    state: AssetState;
    progress: number;
    preview: string;
    posterUrl: string | null;
  }[];
  close(): Promise<void>;
};

function openHarness(dataDir: string): Harness {
  const context = openIngestContext(dataDir, binaries);
  const { bus, db, ffmpeg } = context;
  const ingest = createIngestService(context);
  const events: Harness['events'] = [];
  bus.on('assetChanged', (a) =>
    events.push({
      id: a.id,
      state: a.state,
      progress: a.progress,
      preview: a.preview,
      posterUrl: a.posterUrl,
    }),
  );
  return {
    context,
    ingest,
    events,
    async close() {
      await ingest.close();
      await ffmpeg.registry.killAll();
      db.close();
    },
  };
}

function insertAsset(h: Harness, path: string, state: AssetState = 'probing'): number {
  const row = h.context.db
    .prepare(
      `INSERT INTO assets (folder_id, name, source_kind, source_location, state, created_at, updated_at)
       VALUES (1, ?, 'file', ?, ?, 0, 0)`,
    )
    .run(path.split('/').pop() ?? path, path, state);
  return Number(row.lastInsertRowid);
}

type AssetRow = {
  state: AssetState;
  error: string | null;
  duration_ms: number | null;
  ingest_method: string | null;
  progress: number;
};
function asset(h: Harness, id: number): AssetRow {
  return h.context.db
    .prepare<[number], AssetRow>(
      'SELECT state, error, duration_ms, ingest_method, progress FROM assets WHERE id = ?',
    )
    .get(id) as AssetRow;
}

async function ingestFile(h: Harness, path: string): Promise<{ id: number; row: AssetRow }> {
  const id = insertAsset(h, path);
  h.ingest.enqueue(id);
  if ((await h.ingest.whenSettled(id)) === 'ready') await h.ingest.whenPreviewSettled(id);
  return { id, row: asset(h, id) };
}

type SegmentRow = {
  seq: number;
  file: string;
  start_ms: number;
  duration_ms: number;
  bytes: number;
};
function segmentsOf(h: Harness, id: number, kind: 'main' | 'proxy'): SegmentRow[] {
  return h.context.db
    .prepare<[number, string], SegmentRow>(
      `SELECT s.seq, s.file, s.start_ms, s.duration_ms, s.bytes FROM segments s
       JOIN renditions r ON r.id = s.rendition_id WHERE r.asset_id = ? AND r.kind = ? ORDER BY s.seq`,
    )
    .all(id, kind);
}

function ffprobeJson(args: string[]): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    execFile(
      binaries.ffprobe.path,
      ['-v', 'error', '-print_format', 'json', ...args],
      (error, stdout, stderr) =>
        error ? reject(new Error(stderr || error.message)) : resolve(JSON.parse(stdout)),
    );
  });
}

type ProbedStream = {
  index: number;
  codec_type: string;
  codec_name: string;
  width?: number;
  height?: number;
  channels?: number;
  sample_rate?: string;
  r_frame_rate?: string;
};

/**
 * Reads every segment of both renditions independently of the service: each opens, starts on a
 * keyframe, is H.264 + AAC stereo 48 kHz at the rendition size, and the frame counts match the
 * stored durations, which add up to the asset's.
 */
async function expectPlayable(h: Harness, id: number): Promise<void> {
  const { db, mediaDir } = h.context;
  expect(await h.ingest.whenPreviewSettled(id)).toBe('ready');
  const assetDuration = asset(h, id).duration_ms as number;
  const renditions = db
    .prepare<
      [number],
      { id: number; kind: string; dir: string; width: number; height: number; duration_ms: number }
    >(
      'SELECT id, kind, dir, width, height, duration_ms FROM renditions WHERE asset_id = ? ORDER BY kind',
    )
    .all(id);
  expect(renditions.map((r) => r.kind)).toEqual(['main', 'proxy']);
  for (const r of renditions) {
    expect(r.kind === 'main' ? [r.width, r.height] : [r.width, r.height]).toEqual(
      r.kind === 'main' ? [1280, 720] : [480, 270],
    );
    const segments = db
      .prepare<
        [number],
        { seq: number; file: string; start_ms: number; duration_ms: number; bytes: number }
      >(
        'SELECT seq, file, start_ms, duration_ms, bytes FROM segments WHERE rendition_id = ? ORDER BY seq',
      )
      .all(r.id);
    expect(segments.length).toBeGreaterThan(0);
    let sum = 0;
    for (const s of segments) {
      expect(s.start_ms).toBe(sum);
      sum += s.duration_ms;
      const file = join(mediaDir, r.dir, s.file);
      const probed = (await ffprobeJson([
        '-show_entries',
        'stream=index,codec_type,codec_name,width,height,channels,sample_rate,r_frame_rate:packet=stream_index,flags',
        file,
      ])) as { streams: ProbedStream[]; packets: { stream_index: number; flags: string }[] };
      const video = probed.streams.find((st) => st.codec_type === 'video');
      const audio = probed.streams.find((st) => st.codec_type === 'audio');
      expect(video).toMatchObject({
        codec_name: 'h264',
        width: r.width,
        height: r.height,
        r_frame_rate: '25/1',
      });
      expect(audio).toMatchObject({ codec_name: 'aac', channels: 2, sample_rate: '48000' });
      const videoPackets = probed.packets.filter((p) => p.stream_index === video?.index);
      expect(videoPackets[0]?.flags.startsWith('K')).toBe(true);
      expect(Math.abs(videoPackets.length * FRAME_MS - s.duration_ms)).toBeLessThan(1);
      expect(readFileSync(file).length).toBe(s.bytes);
    }
    expect(sum).toBe(r.duration_ms);
    expect(Math.abs(r.duration_ms - assetDuration)).toBeLessThanOrEqual(FRAME_MS);
  }
  // Playout switches between the renditions at any segment: both are cut at the same instants.
  const cut = (kind: 'main' | 'proxy') =>
    segmentsOf(h, id, kind).map((s) => [s.start_ms, s.duration_ms]);
  expect(cut('proxy')).toEqual(cut('main'));
  const dir = join(mediaDir, String(id));
  expect(existsSync(join(dir, 'poster.jpg'))).toBe(true);
  expect(existsSync(join(dir, 'filmstrip.jpg'))).toBe(true);
  const strip = JSON.parse(readFileSync(join(dir, 'filmstrip.json'), 'utf8')) as Record<
    string,
    number
  >;
  expect(strip).toMatchObject({ tileWidth: 160, tileHeight: 90 });
  expect(strip.columns).toBeGreaterThan(0);
}

/** A clip in the house format (so it is remuxed) whose audio is the given lavfi expression. */
async function makeHouseClipWithAudio(output: string, audioExpr: string): Promise<string> {
  await runFfmpegCli([
    ...['-f', 'lavfi', '-i', 'testsrc2=size=1280x720:rate=25:duration=4'],
    ...['-f', 'lavfi', '-i', `aevalsrc=exprs=${audioExpr}:s=48000:d=4`],
    ...['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p'],
    ...['-g', '50', '-keyint_min', '50', '-sc_threshold', '0'],
    ...['-c:a', 'aac', '-b:a', '192k', output],
  ]);
  return output;
}

/** The size of every packet of the first audio stream, in order. */
function audioPacketSizes(input: string): Promise<number[]> {
  return new Promise((resolve, reject) => {
    execFile(
      binaries.ffprobe.path,
      [
        ...['-v', 'error', '-select_streams', 'a:0'],
        ...['-show_entries', 'packet=size', '-of', 'csv=p=0', input],
      ],
      (error, stdout, stderr) => {
        if (error) reject(new Error(stderr || String(error)));
        // A packet with side data prints a trailing comma (and a line of its own for it).
        else
          resolve(
            stdout
              .split('\n')
              .filter((line) => /^\d/.test(line))
              .map((line) => Number.parseInt(line, 10)),
          );
      },
    );
  });
}

/** Integrated loudness and true peak of the first audio stream, read by ffmpeg's ebur128. */
function measureLoudness(input: string): Promise<{ lufs: number; truePeak: number }> {
  return new Promise((resolve, reject) => {
    execFile(
      binaries.ffmpeg.path,
      [
        ...['-hide_banner', '-nostdin', '-i', input, '-map', '0:a:0', '-vn', '-af'],
        ...['aformat=channel_layouts=stereo,ebur128=peak=true:framelog=verbose', '-f', 'null', '-'],
      ],
      (error, _stdout, stderr) => {
        const summary = stderr.slice(stderr.lastIndexOf('Summary:'));
        const lufs = /I:\s*(-?[\d.]+) LUFS/.exec(summary);
        const peak = /Peak:\s*(-?[\d.]+) dBFS/.exec(summary);
        if (error || !lufs || !peak) reject(new Error(stderr || String(error)));
        else resolve({ lufs: Number(lufs[1]), truePeak: Number(peak[1]) });
      },
    );
  });
}

function expectNoLeftovers(h: Harness): void {
  expect(readdirSync(h.context.mediaDir).filter((n) => n.includes('.partial-'))).toEqual([]);
}

describe('ingest', () => {
  const tmp = makeTempDir('airdeck-ingest-');
  const src = join(tmp.path, 'sources');
  let h: Harness;

  beforeAll(() => {
    mkdirSync(src, { recursive: true });
    h = openHarness(join(tmp.path, 'data'));
  });
  afterAll(async () => {
    await h.close();
    tmp.remove();
  });

  it('remuxes a source already in the house format, without re-encoding the picture', async () => {
    const { id, row } = await ingestFile(h, await makeHouseClip(join(src, 'house.mp4'), 6));
    expect(row).toMatchObject({ state: 'ready', error: null, ingest_method: 'remux', progress: 1 });
    expect(row.duration_ms).toBe(6000);
    await expectPlayable(h, id);
    expectNoLeftovers(h);
    const states = h.events.filter((e) => e.id === id).map((e) => e.state);
    expect(states[0]).toBe('queued');
    expect(states).toContain('probing');
    expect(states).toContain('ingesting');
    expect(states.at(-1)).toBe('ready');
  });

  it('is ready for air with its main rendition alone; the preview follows', async () => {
    const id = insertAsset(h, await makeHouseClip(join(src, 'house-air.mp4'), 6));
    h.ingest.enqueue(id);
    expect(await h.ingest.whenSettled(id)).toBe('ready');
    const kinds = () =>
      h.context.db
        .prepare<[number], { kind: string }>('SELECT kind FROM renditions WHERE asset_id = ?')
        .all(id)
        .map((r) => r.kind);
    expect(kinds()).toContain('main');
    const atReady = h.events.find((e) => e.id === id && e.state === 'ready');
    expect(atReady).toMatchObject({ preview: 'pending', posterUrl: null });
    expect(segmentsOf(h, id, 'main').length).toBeGreaterThan(0);

    expect(await h.ingest.whenPreviewSettled(id)).toBe('ready');
    expect(kinds().sort()).toEqual(['main', 'proxy']);
    const last = h.events.filter((e) => e.id === id).at(-1);
    expect(last).toMatchObject({ state: 'ready', preview: 'ready' });
    expect(last?.posterUrl).toMatch(new RegExp(`^/media/${id}/poster.jpg`));
    await expectPlayable(h, id);
    expectNoLeftovers(h);
  });

  it('records a failed preview without un-readying the asset, and retry makes it', async () => {
    const id = insertAsset(h, await makeHouseClip(join(src, 'house-preview.mp4'), 4));
    h.ingest.enqueue(id);
    expect(await h.ingest.whenSettled(id)).toBe('ready');
    await h.ingest.cancel(id); // the preview, queued or running
    expect(await h.ingest.whenPreviewSettled(id)).toBe('failed');
    expect(asset(h, id)).toMatchObject({ state: 'ready', error: null });
    const failed = h.events.filter((e) => e.id === id).at(-1);
    expect(failed).toMatchObject({ state: 'ready', preview: 'failed', posterUrl: null });
    expect(existsSync(join(h.context.mediaDir, String(id), 'main', 'index.m3u8'))).toBe(true);
    expectNoLeftovers(h);

    h.ingest.retry(id);
    expect(await h.ingest.whenPreviewSettled(id)).toBe('ready');
    expect(asset(h, id).state).toBe('ready');
    await expectPlayable(h, id);
  });

  it('remuxes a quiet source with the gain that brings it to the loudness target', async () => {
    const source = await makeHouseClipWithAudio(
      join(src, 'house-quiet.mp4'),
      '0.02*sin(2*PI*440*t)',
    );
    const before = await measureLoudness(source);
    expect(before.lufs).toBeLessThan(-28);
    const { id, row } = await ingestFile(h, source);
    expect(row).toMatchObject({ state: 'ready', ingest_method: 'remux' });
    const after = await measureLoudness(join(h.context.mediaDir, String(id), 'main', 'index.m3u8'));
    // AAC re-encoding moves the measure by a few hundredths of a LU.
    expect(Math.abs(after.lufs - -23)).toBeLessThanOrEqual(0.5);
    expect(after.truePeak).toBeLessThanOrEqual(-1);
    await expectPlayable(h, id);
  });

  it('remuxes a source already at the loudness target without touching its audio', async () => {
    // A stereo tone set to -23 LUFS from a first measurement (stereo AAC 48 kHz: house audio).
    const tone = (amplitude: number) => `${amplitude}*sin(2*PI*440*t)`;
    const probe = await makeHouseClipWithAudio(
      join(src, 'house-level.mp4'),
      `${tone(0.02)}|${tone(0.02)}`,
    );
    const level = await measureLoudness(probe);
    const amplitude = 0.02 * 10 ** ((-23 - level.lufs) / 20);
    const source = await makeHouseClipWithAudio(
      join(src, 'house-normalised.mp4'),
      `${tone(amplitude)}|${tone(amplitude)}`,
    );
    expect(Math.abs((await measureLoudness(source)).lufs - -23)).toBeLessThanOrEqual(0.5);
    const { id, row } = await ingestFile(h, source);
    expect(row).toMatchObject({ state: 'ready', ingest_method: 'remux' });
    const main = join(h.context.mediaDir, String(id), 'main', 'index.m3u8');
    // Copied, not re-encoded: every AAC packet keeps its size (give or take the ADTS header
    // MPEG-TS carries), which no second encode reproduces.
    const sizesIn = await audioPacketSizes(source);
    const sizesOut = await audioPacketSizes(main);
    expect(sizesOut.length).toBe(sizesIn.length);
    const offset = sizesOut[0]! - sizesIn[0]!;
    expect(sizesOut.every((size, i) => size - sizesIn[i]! === offset)).toBe(true);
    await expectPlayable(h, id);

    // The same tone 6 dB down is not at the target: its audio is re-encoded with the gain.
    const quiet = await makeHouseClipWithAudio(
      join(src, 'house-6db-down.mp4'),
      `${tone(amplitude / 2)}|${tone(amplitude / 2)}`,
    );
    const again = await ingestFile(h, quiet);
    expect(again.row).toMatchObject({ state: 'ready', ingest_method: 'remux' });
    const quietMain = join(h.context.mediaDir, String(again.id), 'main', 'index.m3u8');
    expect(Math.abs((await measureLoudness(quietMain)).lufs - -23)).toBeLessThanOrEqual(0.5);
  });

  it('remuxes a quiet source with loud peaks at the gain its true peak allows', async () => {
    // Quiet tone with one 1 ms burst a second: the target would need +8 dB, the peaks allow +2.7.
    const source = await makeHouseClipWithAudio(
      join(src, 'house-peaks.mp4'),
      '0.02*sin(2*PI*440*t)+0.9*sin(2*PI*2000*t)*lt(mod(t\\,1)\\,0.001)',
    );
    const before = await measureLoudness(source);
    const capped = -1 - before.truePeak;
    expect(-23 - before.lufs).toBeGreaterThan(capped + 3);
    const { id, row } = await ingestFile(h, source);
    expect(row).toMatchObject({ state: 'ready', ingest_method: 'remux' });
    const after = await measureLoudness(join(h.context.mediaDir, String(id), 'main', 'index.m3u8'));
    expect(Math.abs(after.lufs - (before.lufs + capped))).toBeLessThanOrEqual(0.5);
    // The codec may move a peak by a fraction of a dB; the gain itself stops at -1 dBTP.
    expect(after.truePeak).toBeLessThanOrEqual(-0.5);
    await expectPlayable(h, id);
  });

  it('transcodes a house-sized clip whose keyframes are not on segment boundaries', async () => {
    const file = await makeClip(join(src, 'gop.mp4'), {
      width: 1280,
      height: 720,
      gopFrames: 37,
    });
    const { id, row } = await ingestFile(h, file);
    expect(row).toMatchObject({ state: 'ready', ingest_method: 'transcode' });
    await expectPlayable(h, id);
  });

  const normalised: [string, (path: string) => Promise<string>, string][] = [
    ['an audio-only file (mono 44.1 kHz)', makeAudioOnly, 'audio.m4a'],
    ['a video-only file', makeVideoOnly, 'video.mp4'],
    ['variable frame rate', makeVariableFrameRate, 'vfr.mp4'],
    ['a rotated phone clip', makeRotated, 'rotated.mp4'],
    ['an odd size (721x405, 4:4:4)', makeOddSize, 'odd.mp4'],
    ['10-bit H.264 at the house size', makeTenBit, 'tenbit.mp4'],
    ['interlaced MPEG-2 with 5.1 audio', makeInterlaced, 'interlaced.ts'],
    ['a 3840x2160 frame', makeLargeFrame, 'uhd.mp4'],
    ['a name with spaces, quotes and non-Latin letters', (p) => makeClip(p), awkwardName()],
  ];
  for (const [what, make, name] of normalised) {
    it(`normalises ${what}`, async () => {
      const { id, row } = await ingestFile(h, await make(join(src, name)));
      expect(row.error).toBeNull();
      expect(row).toMatchObject({ state: 'ready', ingest_method: 'transcode' });
      await expectPlayable(h, id);
      expectNoLeftovers(h);
    });
  }

  it('stores what the probe found', async () => {
    const id = insertAsset(h, await makeRotated(join(src, 'rotated-probe.mp4')));
    h.ingest.enqueue(id);
    await h.ingest.whenSettled(id);
    const probe = JSON.parse(
      (
        h.context.db.prepare('SELECT probe_json FROM assets WHERE id = ?').get(id) as {
          probe_json: string;
        }
      ).probe_json,
    ) as { video: { rotation: number; variableFrameRate: boolean }; audio: unknown[] };
    expect(probe.video.rotation).toBe(90);
    expect(probe.video.variableFrameRate).toBe(false);
    expect(probe.audio).toHaveLength(1);
  });

  const rejected: [string, (path: string) => Promise<string> | string, string, RegExp][] = [
    ['a zero-byte file', makeEmptyFile, 'empty.mp4', /^The file is empty \(0 bytes\)\.$/],
    [
      'a non-media file with a video extension',
      makeNonMediaFile,
      'list.mp4',
      /^Not a video or audio file that ffmpeg can read \(.+\)\.$/,
    ],
    ['a truncated MP4 without its index', makeTruncatedFile, 'cut.mp4', /incomplete.*moov atom/],
    [
      'a truncated MP4 whose index survived',
      (p) => makeTruncatedFile(p, { indexAtStart: true }),
      'cut-faststart.mp4',
      /truncated or damaged/,
    ],
    ['a missing file', (p) => p, 'never-written.mp4', /missing/],
  ];
  for (const [what, make, name, reason] of rejected) {
    it(`fails ${what} with a clear reason`, async () => {
      const { id, row } = await ingestFile(h, await make(join(src, name)));
      expect(row.state).toBe('failed');
      expect(row.error).toMatch(reason);
      expect(existsSync(join(h.context.mediaDir, String(id)))).toBe(false);
      expectNoLeftovers(h);
    });
  }
});

describe('ingest queue', () => {
  const tmp = makeTempDir('airdeck-ingest-queue-');
  const src = join(tmp.path, 'sources');
  let long: string;
  let short: string;

  beforeAll(async () => {
    mkdirSync(src, { recursive: true });
    // Long enough at 720p to still be encoding when the test interferes.
    long = await makeClip(join(src, 'long.mp4'), {
      durationS: 30,
      width: 1280,
      height: 720,
      gopFrames: 30,
    });
    short = await makeClip(join(src, 'short.mp4'), { durationS: 2 });
  });
  afterAll(() => tmp.remove());

  async function untilIngesting(h: Harness, id: number): Promise<void> {
    while (!h.events.some((e) => e.id === id && e.state === 'ingesting' && e.progress > 0.06)) {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  it('cancels a running job, removes its work and can retry it', async () => {
    const h = openHarness(join(tmp.path, 'cancel'));
    try {
      const id = insertAsset(h, long);
      const next = insertAsset(h, short);
      h.ingest.enqueue(id);
      h.ingest.enqueue(next);
      expect(asset(h, next).state).toBe('queued');
      await untilIngesting(h, id);
      await h.ingest.cancel(id);
      expect(asset(h, id)).toMatchObject({ state: 'failed', error: 'Cancelled by an operator.' });
      expectNoLeftovers(h);
      expect(existsSync(join(h.context.mediaDir, String(id)))).toBe(false);
      expect(await h.ingest.whenSettled(next)).toBe('ready');

      h.context.settings.set({ houseProfile: { segmentSeconds: 2 } });
      const retryShort = insertAsset(h, short);
      h.ingest.enqueue(retryShort);
      await h.ingest.cancel(retryShort); // running or queued: both end cancelled
      expect(asset(h, retryShort).state).toBe('failed');
      h.ingest.retry(retryShort);
      expect(await h.ingest.whenSettled(retryShort)).toBe('ready');
      await expectPlayable(h, retryShort);
    } finally {
      await h.close();
    }
  });

  it('fails a job whose ffmpeg is killed from outside, and the queue carries on', async () => {
    const h = openHarness(join(tmp.path, 'killed'));
    try {
      const id = insertAsset(h, long);
      const next = insertAsset(h, short);
      h.ingest.enqueue(id);
      h.ingest.enqueue(next);
      await untilIngesting(h, id);
      const encoder = h.context.ffmpeg.registry
        .list()
        .find((p) => p.label.includes(`ingest ${id}`));
      expect(encoder).toBeDefined();
      process.kill(encoder?.pid as number, 'SIGKILL');
      expect(await h.ingest.whenSettled(id)).toBe('failed');
      expect(asset(h, id).error).toMatch(/stopped unexpectedly \(killed by SIGKILL\)/);
      expectNoLeftovers(h);
      expect(await h.ingest.whenSettled(next)).toBe('ready');
    } finally {
      await h.close();
    }
  });

  it('resumes after a crash: leftovers removed, the interrupted asset ingested', async () => {
    const dataDir = join(tmp.path, 'crash');
    const first = openHarness(dataDir);
    const id = insertAsset(first, short, 'ingesting');
    const ready = insertAsset(first, short, 'ready'); // claims ready but has no media
    await first.close();
    const leftover = join(dataDir, 'media', `${id}.partial-x`, 'main');
    mkdirSync(leftover, { recursive: true });

    const second = openHarness(dataDir);
    try {
      second.ingest.resume();
      expectNoLeftovers(second);
      expect(asset(second, ready)).toMatchObject({ state: 'failed' });
      expect(asset(second, ready).error).toMatch(/missing/);
      expect(await second.ingest.whenSettled(id)).toBe('ready');
      await expectPlayable(second, id);
    } finally {
      await second.close();
    }

    // A preview lost to a crash (the folder gone, or never made) is made again; the asset airs meanwhile.
    const third = openHarness(dataDir);
    try {
      rmSync(join(dataDir, 'media', String(id), 'proxy'), { recursive: true, force: true });
      third.ingest.resume();
      expect(asset(third, id).state).toBe('ready');
      expect(await third.ingest.whenPreviewSettled(id)).toBe('ready');
      await expectPlayable(third, id);
      expectNoLeftovers(third);
    } finally {
      await third.close();
    }
  });

  it('leaves a job interrupted by shutdown resumable, never ready', async () => {
    const dataDir = join(tmp.path, 'shutdown');
    const first = openHarness(dataDir);
    const id = insertAsset(first, long);
    first.ingest.enqueue(id);
    await untilIngesting(first, id);
    await first.close();
    const { db } = openDatabase(join(dataDir, 'airdeck.db'));
    const row = db.prepare('SELECT state FROM assets WHERE id = ?').get(id) as { state: string };
    expect(row.state).toBe('ingesting');
    expect(db.prepare('SELECT count(*) AS n FROM renditions').get()).toEqual({ n: 0 });
    db.close();
    expect(readdirSync(join(dataDir, 'media')).filter((n) => n.startsWith(String(id)))).toEqual([]);
  });
});
