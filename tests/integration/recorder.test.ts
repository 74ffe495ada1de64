// The recorder against a real live HLS source (ffmpeg in real time): continuous recording of
// several sources byte for byte, playlists of any window over HTTP, and frame-exact screenshots
// and clips made on the server. RECORDER_TEST_SOURCES sets how many sources (default 3).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RecordedSource, ReviewJob } from '../../src-shared/contract';
import {
  firstFrameNeighbour,
  framesOf,
  md5,
  rawFrames,
  streamCodecs,
} from '../helpers/frame-checks';
import { startLiveHlsSource, type LiveHlsSource } from '../helpers/live-hls-source';
import { startServedCore, waitFor, type ServedCore } from '../helpers/served-core';
import { makeTempDir } from '../helpers/temp-dir';

const SOURCES = Number(process.env.RECORDER_TEST_SOURCES ?? 3);

describe('the recorder', () => {
  const dir = makeTempDir();
  let source: LiveHlsSource;
  let served: ServedCore;
  let cookie: string;
  const ids: number[] = [];

  beforeAll(async () => {
    source = await startLiveHlsSource(join(dir.path));
    served = await startServedCore(dir.path);
    cookie = await served.signIn();
    for (let i = 0; i < SOURCES; i++) {
      const added = await served.call('recorderSourceAdd', {
        name: `Outside ${i}`,
        url: source.url(`s${i}`),
      });
      ids.push(added.id);
    }
  }, 60_000);
  afterAll(async () => {
    await served?.close();
    await source?.stop();
    dir.remove();
  });

  const sources = async () => (await served.call('recorderSourcesList', {})).sources;
  const http = (path: string, headers: Record<string, string> = {}) =>
    fetch(new URL(path, served.server.url), { headers: { cookie, ...headers } });

  it(`records ${SOURCES} live sources continuously, byte for byte, without gaps`, async () => {
    await waitFor('ten segments per source', async () => {
      const list = await sources();
      return list.every((s) => s.segments >= 10) && list;
    });
    const list: RecordedSource[] = await sources();
    const dataDir = served.core.context.dataDir;
    let bytesOnDisk = 0;
    let bytesServed = 0;
    for (const recorded of list) {
      expect(recorded.state).toBe('recording');
      const { spans, gaps } = await served.call('recordingCoverage', {
        sourceId: recorded.id,
        fromAt: recorded.firstAt!,
        toAt: recorded.lastAt!,
      });
      expect(gaps).toEqual([]);
      expect(spans).toHaveLength(1);
      const rows = served.core.context.db
        .prepare<
          [number],
          {
            file: string;
            bytes: number;
            source_uri: string;
            media_sequence: number;
            duration_ms: number;
          }
        >(
          'SELECT file, bytes, source_uri, media_sequence, duration_ms FROM recording_segments WHERE source_id = ? ORDER BY id',
        )
        .all(recorded.id);
      rows.forEach((row, i) => {
        if (i > 0) expect(row.media_sequence).toBe(rows[i - 1]!.media_sequence + 1);
        const body = readFileSync(join(dataDir, 'recordings', row.file));
        const sent = source.served.get(new URL(row.source_uri).pathname);
        expect(sent, row.source_uri).toBeDefined();
        expect(createHash('sha256').update(body).digest('hex')).toBe(sent!.sha256);
        expect(body.length).toBe(row.bytes);
        bytesOnDisk += body.length;
        bytesServed += sent!.bytes;
      });
    }
    expect(bytesOnDisk).toBe(bytesServed);
    console.log(
      JSON.stringify({
        sources: SOURCES,
        segments: list.reduce((n, s) => n + s.segments, 0),
        bytesOnDisk,
        bytesServed,
      }),
    );
  });

  it('serves any window as a VOD or growing EVENT playlist, segments with Range, only to a session', async () => {
    const [recorded] = await sources();
    const from = recorded!.firstAt! + 1500;
    const to = recorded!.lastAt! - 1500;
    const vod = await http(
      `/recordings/${recorded!.id}/vod.m3u8?from=${from}&to=${new Date(to).toISOString()}`,
    );
    expect(vod.status).toBe(200);
    expect(vod.headers.get('content-type')).toContain('mpegurl');
    const text = await vod.text();
    expect(text).toContain('#EXT-X-PLAYLIST-TYPE:VOD');
    expect(text).toContain('#EXT-X-ENDLIST');
    expect(text).toContain('#EXT-X-START:TIME-OFFSET=');
    expect(text.match(/#EXT-X-PROGRAM-DATE-TIME:/g)!.length).toBeGreaterThanOrEqual(1);
    expect(new Date(/PROGRAM-DATE-TIME:(\S+)/.exec(text)![1]!).getTime()).toBeLessThanOrEqual(from);
    const uris = text.split('\n').filter((l) => l.startsWith('seg/'));
    expect(uris.length).toBeGreaterThanOrEqual(5);

    const live1 = await (await http(`/recordings/${recorded!.id}/live.m3u8?from=${from}`)).text();
    expect(live1).toContain('#EXT-X-PLAYLIST-TYPE:EVENT');
    expect(live1).not.toContain('ENDLIST');
    const count = (t: string) => t.split('\n').filter((l) => l.startsWith('seg/')).length;
    await waitFor(
      'the EVENT playlist to grow',
      async () =>
        count(await (await http(`/recordings/${recorded!.id}/live.m3u8?from=${from}`)).text()) >
        count(live1),
    );

    const segment = await http(`/recordings/${recorded!.id}/${uris[0]}`);
    expect(segment.status).toBe(200);
    const whole = Buffer.from(await segment.arrayBuffer());
    const part = await http(`/recordings/${recorded!.id}/${uris[0]}`, { range: 'bytes=188-375' });
    expect(part.status).toBe(206);
    expect(Buffer.from(await part.arrayBuffer())).toEqual(whole.subarray(188, 376));

    expect(
      (await fetch(new URL(`/recordings/${recorded!.id}/${uris[0]}`, served.server.url))).status,
    ).toBe(401);
    expect(
      (await fetch(new URL(`/recordings/${recorded!.id}/vod.m3u8?from=1&to=2`, served.server.url)))
        .status,
    ).toBe(401);
    expect((await http(`/recordings/${recorded!.id}/seg/999999`)).status).toBe(404);
    expect((await http(`/recordings/${recorded!.id}/vod.m3u8?from=5&to=1`)).status).toBe(400);
    expect((await http(`/recordings/${recorded!.id}/seg/..%2F..%2Fairdeck.db`)).status).toBe(404);
  });

  async function finished(job: ReviewJob): Promise<ReviewJob> {
    return waitFor(`job ${job.id}`, async () => {
      const { jobs } = await served.call('reviewJobsList', { sourceId: job.sourceId });
      const now = jobs.find((j) => j.id === job.id)!;
      if (now.state === 'failed') throw new Error(`job failed: ${now.error}`);
      return now.state === 'done' && now;
    });
  }

  it('takes the exact frame on air as a full-resolution screenshot, and a frame-exact clip', async () => {
    const sourceId = ids[0]!;
    const db = served.core.context.db;
    const segment = db
      .prepare<[number], { file: string; start_at: number }>(
        'SELECT file, start_at FROM recording_segments WHERE source_id = ? ORDER BY id LIMIT 1 OFFSET 3',
      )
      .get(sourceId)!;
    const file = join(served.core.context.dataDir, 'recordings', segment.file);
    const { pts, start } = await framesOf(file);
    const k = 13; // mid-GOP: the keyframe is frame 0 of each 1 s segment
    const at = segment.start_at + Math.round((pts[k]! - start) * 1000) + 10;

    const shot = await finished(
      await served.call('reviewScreenshot', { sourceId, at, format: 'png' }),
    );
    expect(shot.personId).toBeNull(); // the core's own call; a window's carries its person
    const png = await http(`/review/jobs/${shot.id}/file`);
    expect(png.status).toBe(200);
    expect(png.headers.get('content-type')).toBe('image/png');
    const shotFile = join(served.core.context.dataDir, 'review', `${shot.id}.png`);
    const [shotPixels] = await rawFrames(shotFile, 'format=rgb24', 320 * 180 * 3);
    const reference = await rawFrames(file, 'format=rgb24', 320 * 180 * 3);
    expect(md5(shotPixels!)).toBe(md5(reference[k]!));
    expect(md5(shotPixels!)).not.toBe(md5(reference[k + 1]!));

    const clip = await finished(
      await served.call('reviewClip', { sourceId, inAt: at, outAt: at + 2000 }),
    );
    const clipFile = join(served.core.context.dataDir, 'review', `${clip.id}.mp4`);
    const clipFrames = (await framesOf(clipFile)).pts.length;
    expect(Math.abs(clipFrames - 50)).toBeLessThanOrEqual(1);
    expect(await streamCodecs(clipFile)).toEqual(['aac', 'h264']);
    expect(await firstFrameNeighbour(clipFile, file, k)).toBe(1);

    // Both keep their range from retention.
    const holds = db
      .prepare<[number], { n: number }>(
        'SELECT COUNT(*) AS n FROM review_holds WHERE source_id = ?',
      )
      .get(sourceId)!;
    expect(holds.n).toBe(2);
  });

  it('deletes the oldest media over the disk cap but never a range under a hold', async () => {
    const sourceId = ids[1]!;
    await served.call('recorderSourceUpdate', { id: sourceId, enabled: false });
    const db = served.core.context.db;
    const rows = () =>
      db
        .prepare<[number], { id: number; start_at: number; duration_ms: number; file: string }>(
          'SELECT id, start_at, duration_ms, file FROM recording_segments WHERE source_id = ? ORDER BY start_at',
        )
        .all(sourceId);
    const before = rows();
    const held = before[2]!;
    served.core.recorder.addHold(sourceId, held.start_at + 10, held.start_at + 20, 'note');
    await served.call('recorderSourceUpdate', { id: sourceId, diskCapBytes: 1 });
    await served.core.recorder.enforceRetention();
    const after = rows();
    expect(after.map((r) => r.id)).toEqual([held.id]);
    const recordings = join(served.core.context.dataDir, 'recordings');
    expect(readFileSync(join(recordings, held.file)).length).toBeGreaterThan(0);
    expect(() => readFileSync(join(recordings, before[0]!.file))).toThrow();
    expect((await sources()).find((s) => s.id === sourceId)).toMatchObject({
      state: 'stopped',
      segments: 1,
    });
  });

  it('turns an outage into one gap with its reason and records on afterwards', async () => {
    const sourceId = ids.at(-1)!;
    const name = `s${SOURCES - 1}`;
    const before = (await sources()).find((s) => s.id === sourceId)!;
    source.fail(name, true);
    await waitFor(
      'retrying',
      async () => (await sources()).find((s) => s.id === sourceId)!.state === 'retrying',
    );
    await new Promise((r) => setTimeout(r, 6000)); // longer than the source's window
    source.fail(name, false);
    await waitFor('recording again', async () => {
      const now = (await sources()).find((s) => s.id === sourceId)!;
      return now.state === 'recording' && now.segments > before.segments + 3;
    });
    const { gaps, spans } = await served.call('recordingCoverage', {
      sourceId,
      fromAt: 0,
      toAt: Date.now() + 60_000,
    });
    expect(gaps).toHaveLength(1);
    expect(gaps[0]).toMatchObject({ reason: 'fetch_error' });
    expect(gaps[0]!.toAt! - gaps[0]!.fromAt).toBeGreaterThan(3000);
    expect(spans).toHaveLength(2);
  });
});
