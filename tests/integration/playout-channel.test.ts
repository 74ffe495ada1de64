import { execFile } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventPayload, MethodName, Request, Response } from '../../src-shared/contract';
import { createCore, type Core } from '../../src-main/core/create-core';
import { resolveFfmpeg } from '../../src-main/core/ffmpeg/index';
import { startHttpServer, type RunningServer } from '../../src-main/core/http/http-server';
import { silentLogger } from '../../src-main/core/logger';
import { gridTicks } from '../../src-main/core/outputs/segment-restamp';
import { inspectTs } from '../../src-main/core/outputs/ts-inspect';
import { wrap33 } from '../../src-main/core/outputs/ts-packet';
import { makeHouseClip } from '../helpers/media-fixtures';
import { makeTempDir } from '../helpers/temp-dir';

const binaries = resolveFfmpeg();

/** The tiny m3u8 parser the test needs: header tags, then segments with their tags. */
function parsePlaylist(text: string) {
  const lines = text.split('\n').filter((l) => l !== '');
  expect(lines[0]).toBe('#EXTM3U');
  const header = new Map<string, string>();
  const segments: {
    uri: string;
    durationMs: number;
    discontinuity: boolean;
    pdt: number | null;
    dateranges: string[];
  }[] = [];
  let pending = {
    discontinuity: false,
    pdt: null as number | null,
    dateranges: [] as string[],
    durationMs: 0,
  };
  for (const line of lines.slice(1)) {
    if (line === '#EXT-X-DISCONTINUITY') pending.discontinuity = true;
    else if (line.startsWith('#EXT-X-PROGRAM-DATE-TIME:')) pending.pdt = Date.parse(line.slice(25));
    else if (line.startsWith('#EXT-X-DATERANGE:')) pending.dateranges.push(line);
    else if (line.startsWith('#EXTINF:'))
      pending.durationMs = Math.round(Number(line.slice(8).split(',')[0]) * 1000);
    else if (line.startsWith('#')) {
      const [key, value = ''] = line.slice(1).split(/:(.*)/s);
      header.set(key as string, value);
    } else {
      segments.push({ uri: line, ...pending });
      pending = { discontinuity: false, pdt: null, dateranges: [], durationMs: 0 };
    }
  }
  return { header, segments };
}

function run(
  binary: string,
  args: string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(binary, args, { maxBuffer: 1 << 24 }, (error, stdout, stderr) =>
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe('playout: a computed channel over real HTTP', () => {
  const dir = makeTempDir('airdeck-playout-');
  const shift = { ms: 0 };
  const clock = { now: () => Date.now() + shift.ms };
  let core: Core;
  let server: RunningServer;
  let channelId = 0;
  let clipA = 0;
  let clipB = 0;
  let T = 0;
  const alarms: EventPayload<'playoutAlarm'>[] = [];
  const base = () => `http://127.0.0.1:${server.port}`;

  async function call<M extends MethodName>(method: M, params: Request<M>): Promise<Response<M>> {
    const result = await core.dispatch(method, params);
    if (!result.ok) throw new Error(`${method}: ${result.error.code}: ${result.error.message}`);
    return result.result as Response<M>;
  }
  async function open() {
    core = await createCore({
      dataDir: dir.path,
      mode: 'headless',
      version: 't',
      logger: silentLogger,
      clock,
    });
    core.bus.on('playoutAlarm', (a) => alarms.push(a));
    server = await startHttpServer({
      core,
      host: '127.0.0.1',
      port: 0,
      rendererDir: join(dir.path, 'none'),
      logger: silentLogger,
    });
  }

  beforeAll(async () => {
    await open();
    // Clips are made in this test's temp folder: allow it (the default allows <data>/import).
    await call('settingsSet', { allowedRoots: [dir.path] });
    const a = await makeHouseClip(join(dir.path, 'a.mp4'), 8);
    const b = await makeHouseClip(join(dir.path, 'b.mp4'), 6);
    const imported = await call('libraryImportPaths', { paths: [a, b], folderId: 1 });
    [clipA, clipB] = imported.assets.map((x) => x.assetId as number) as [number, number];
    expect(await core.ingest.whenSettled(clipA)).toBe('ready');
    expect(await core.ingest.whenSettled(clipB)).toBe('ready');
    await core.playout.slate.ready;
    await call('scheduleSettingsSet', { lockHorizonMs: 0 });
    channelId = (await call('channelCreate', { name: 'One', number: 1, slug: 'one' })).id;
    T = Math.ceil((clock.now() + 4000) / 40) * 40;
    // A (8 s) · 1.5 s gap · B trimmed in at 1.04 s for 4 s · A again with a 2 s break at 4 s.
    await call('scheduleAdd', { channelId, kind: 'asset', assetId: clipA, startsAt: T });
    await call('scheduleAdd', {
      channelId,
      kind: 'asset',
      assetId: clipB,
      startsAt: T + 9_500,
      inMs: 1_040,
      durationMs: 4_000,
    });
    const third = await call('scheduleAdd', {
      channelId,
      kind: 'asset',
      assetId: clipA,
      startsAt: T + 13_500,
    });
    const thirdItem = third.changed[0] as { id: number; version: number };
    await call('scheduleAdd', {
      channelId,
      kind: 'break',
      parent: { id: thirdItem.id, version: thirdItem.version },
      offsetMs: 4_000,
      durationMs: 2_000,
    });
  }, 120_000);
  afterAll(async () => {
    await server?.close();
    await core?.close();
    dir.remove();
  });

  it('answers 404 for an unknown channel and 503 before it is started', async () => {
    expect((await fetch(`${base()}/channels/nope/index.m3u8`)).status).toBe(404);
    const off = await fetch(`${base()}/channels/one/main.m3u8`);
    expect(off.status).toBe(503);
    expect(off.headers.get('retry-after')).toBeTruthy();
  });

  it('puts the channel on air: master and media playlists with derived numbers', async () => {
    const started = await call('playoutStart', { channelId });
    expect(started.status.onAir).toBe(true);
    const master = await fetch(`${base()}/channels/one/index.m3u8`);
    expect(master.status).toBe(200);
    expect(master.headers.get('content-type')).toBe('application/vnd.apple.mpegurl');
    const masterText = await master.text();
    expect(masterText).toContain('RESOLUTION=1280x720');
    expect(masterText).toContain('CODECS="avc1.64001f,mp4a.40.2"');
    expect(masterText).toContain('proxy.m3u8');
    // A start takes effect at the next segment boundary: until then the playlist says so.
    let media = await fetch(`${base()}/channels/one/main.m3u8`);
    for (let i = 0; i < 50 && media.status === 503; i++) {
      expect(media.headers.get('retry-after')).toBe('1');
      await new Promise((resolve) => setTimeout(resolve, 200));
      media = await fetch(`${base()}/channels/one/main.m3u8`);
    }
    expect(media.status).toBe(200);
    expect(media.headers.get('cache-control')).toContain('no-cache');
    const parsed = parsePlaylist(await media.text());
    expect(parsed.header.get('EXT-X-VERSION')).toBe('6');
    expect(parsed.header.has('EXT-X-MEDIA-SEQUENCE')).toBe(true);
    expect(parsed.header.has('EXT-X-DISCONTINUITY-SEQUENCE')).toBe(true);
    expect(parsed.header.has('EXT-X-INDEPENDENT-SEGMENTS')).toBe(true);
    expect(parsed.segments[0]?.pdt).not.toBeNull();
  });

  it('plans every programme start at its scheduled instant, in the playlist the player sees', async () => {
    const planned = await core.playout.segments(channelId, 'main', T - 10_000, T + 30_000);
    const starts = planned.filter((s) => s.programmeStart && s.entryKey.startsWith('item:'));
    expect(starts.map((s) => s.startsAt - T)).toEqual([0, 9_500, 13_500]);
    for (const s of starts) {
      const window = core.playout.window(channelId, s.startsAt + 100);
      const text = parsePlaylist(
        (await import('../../src-shared/playout')).renderMediaPlaylist(
          window,
          (x) => `main/seg/${x.msn}.ts`,
        ),
      );
      const index = window.findIndex((w) => w.msn === s.msn);
      expect(text.segments[index]?.discontinuity).toBe(true);
      expect(text.segments[index]?.pdt).toBe(s.startsAt);
    }
  });

  it('is read live by ffmpeg across programme boundaries without errors', async () => {
    const result = await run(binaries.ffmpeg.path, [
      '-hide_banner',
      '-v',
      'error',
      '-i',
      `${base()}/channels/one/main.m3u8`,
      '-t',
      '20',
      '-f',
      'null',
      '-',
    ]);
    expect(result.code).toBe(0);
    // Each programme's segments keep their own timestamps (ingest's), so at every
    // discontinuity ffmpeg's HLS demuxer hands its muxer a timestamp that steps back; it
    // says so on every boundary. Anything else on stderr (demux, decode, HTTP) is a failure.
    const other = result.stderr
      .split('\n')
      .filter((l) => l !== '' && !l.includes('non monotonically increasing dts to muxer'));
    expect(other).toEqual([]);
  }, 90_000);

  it('serves every segment so far, cuts and slate included, as readable MPEG-TS', async () => {
    const now = clock.now();
    const planned = await core.playout.segments(channelId, 'main', T - 4_000, now);
    expect(planned.some((s) => s.source.cut !== null)).toBe(true);
    expect(planned.some((s) => s.source.kind === 'slate')).toBe(true);
    for (const s of planned) {
      const response = await fetch(`${base()}/channels/one/main/seg/${s.msn}.ts`);
      expect(response.status, `msn ${s.msn}`).toBe(200);
      expect(response.headers.get('content-type')).toBe('video/mp2t');
      const file = join(dir.path, `probe-${s.msn}.ts`);
      writeFileSync(file, Buffer.from(await response.arrayBuffer()));
      const probe = await run(binaries.ffprobe.path, [
        '-v',
        'error',
        '-show_entries',
        'stream=codec_name',
        '-of',
        'csv=p=0',
        file,
      ]);
      expect(probe.code).toBe(0);
      expect([...new Set(probe.stdout.split('\n').filter(Boolean))].sort()).toEqual([
        'aac',
        'h264',
      ]);
      if (!s.substituted) expect(response.headers.get('cache-control')).toContain('immutable');
      rmSync(file);
    }
  }, 90_000);

  it('takes next at the next segment boundary, logged in the as-run first', async () => {
    // Two more programmes a little ahead (the clock only ever moves forward).
    const S = Math.ceil(Math.max(clock.now() + 3_000, T + 24_000) / 40) * 40;
    await call('scheduleAdd', { channelId, kind: 'asset', assetId: clipA, startsAt: S });
    const added = await call('scheduleAdd', {
      channelId,
      kind: 'asset',
      assetId: clipB,
      startsAt: S + 11_000,
    });
    const nextId = (added.changed[0] as { id: number }).id;
    shift.ms = S + 1_000 - Date.now();
    core.playout.tick();
    const now = clock.now();
    const onAir = (await core.playout.segments(channelId, 'main', now, now + 1))[0];
    const result = await call('playoutTakeNext', { channelId });
    expect(result.effectiveAt).toBe((onAir?.startsAt ?? 0) + (onAir?.durationMs ?? 0));
    // The next programme moved up to the boundary; what had started is unchanged.
    const moved = await call('scheduleGet', { ids: [nextId] });
    expect(moved.items[0]?.startsAt).toBe(result.effectiveAt);
    const after = await core.playout.segments(channelId, 'main', now, result.effectiveAt + 1);
    expect(after.find((s) => s.msn === onAir?.msn)).toMatchObject({
      startsAt: onAir?.startsAt,
      source: onAir?.source,
    });
    const first = after.find((s) => s.startsAt === result.effectiveAt);
    expect(first).toMatchObject({
      discontinuityBefore: true,
      programmeStart: true,
      msn: (onAir?.msn ?? 0) + 1,
    });
    expect(result.status.next?.itemId).toBe(nextId);

    const range = () => ({ channelId, from: T - 60_000, to: clock.now() + 60_000 });
    const action = (await call('asRunList', range())).rows.find(
      (r) => r.kind === 'action' && r.title === 'Take next',
    );
    expect(action?.msn).toBe((onAir?.msn ?? 0) + 1);
    shift.ms = result.effectiveAt + 100 - Date.now();
    core.playout.tick();
    const rows = (await call('asRunList', range())).rows;
    const aired = rows.find((r) => r.kind === 'programme' && r.itemId === nextId);
    expect(aired).toMatchObject({ airedAt: result.effectiveAt, msn: (onAir?.msn ?? 0) + 1 });
    expect((action?.id ?? Infinity) < (aired?.id ?? 0)).toBe(true);
    const csv = (await call('asRunExport', range())).text;
    expect(csv.split('\r\n')[0]).toContain('scheduled_at,aired_at');
    expect(csv).toContain('Take next');
  });

  it('holds on slate, releases into the rest of the programme, inserts an asset now', async () => {
    const at = (ms: number) => {
      shift.ms = ms - Date.now();
      core.playout.tick();
    };
    const planned = async (from: number, to: number) =>
      core.playout.segments(channelId, 'main', from, to);
    const onAir = core.playout.status(channelId).now;
    expect(onAir?.assetId).toBe(clipB);
    const E = onAir?.startsAt ?? 0;

    at(E + 1_000);
    const hold = await call('playoutHold', { channelId });
    expect(hold.effectiveAt).toBe(E + 2_000);
    expect(hold.status.held).toBe(true);
    at(E + 5_000);
    const held = await planned(E, E + 6_000);
    expect(
      held.filter((s) => s.startsAt >= E + 2_000).every((s) => s.source.kind === 'slate'),
    ).toBe(true);

    const release = await call('playoutRelease', { channelId });
    expect(release.effectiveAt).toBe(E + 6_000);
    expect(release.status.held).toBe(false);
    const afterRelease = await planned(E, E + 6_001);
    // What aired during the hold did not change, and the programme resumes where it stopped.
    expect(afterRelease.slice(0, held.length)).toEqual(held);
    const resumed = afterRelease.find((s) => s.startsAt === E + 6_000);
    expect(resumed?.source).toEqual({ kind: 'asset', assetId: clipB, seq: 1, cut: null });
    expect(resumed?.msn).toBe((afterRelease.at(-2)?.msn ?? 0) + 1);

    at(E + 7_000);
    const insert = await call('playoutInsertNow', { channelId, assetId: clipA });
    expect(insert.effectiveAt).toBe(E + 8_000);
    const inserted = await planned(E + 8_000, E + 18_000);
    expect(inserted[0]?.source).toEqual({ kind: 'asset', assetId: clipA, seq: 0, cut: null });
    expect(inserted.find((s) => s.startsAt === E + 16_000)?.source).toEqual({
      kind: 'asset',
      assetId: clipB,
      seq: 2,
      cut: null,
    });

    // A break now: slate from the next boundary, announced with SCTE-35 OUT there and IN at its
    // end, and the interrupted programme resumes after it.
    at(E + 9_000);
    const brk = await call('playoutBreakNow', { channelId, durationMs: 4_000, title: 'Break' });
    expect(brk.effectiveAt).toBe(E + 10_000);
    const broken = await planned(E + 10_000, E + 16_000);
    expect(broken.slice(0, 2).map((s) => s.source.kind)).toEqual(['slate', 'slate']);
    expect(broken[0]?.dateranges.map((d) => d.kind)).toEqual(['out']);
    expect(broken[0]?.dateranges[0]?.mark.durationMs).toBe(4_000);
    const after = broken.find((s) => s.startsAt === E + 14_000);
    expect(after?.dateranges.map((d) => d.kind)).toEqual(['in']);
    expect(after?.source).toEqual({ kind: 'asset', assetId: clipA, seq: 1, cut: null });
    const playlist = (await import('../../src-shared/playout')).renderMediaPlaylist(
      core.playout.window(channelId, E + 10_100),
      (x) => `main/seg/${x.msn}.ts`,
    );
    expect(playlist).toMatch(/#EXT-X-DATERANGE:[^\n]*PLANNED-DURATION=4(\.0+)?,SCTE35-OUT=0x/);
    await expect(
      call('playoutBreakNow', { channelId, durationMs: 500, title: null }),
    ).rejects.toThrow(/durationMs/);

    const titles = (await call('asRunList', { channelId, from: E, to: E + 60_000 })).rows
      .filter((r) => r.kind === 'action')
      .map((r) => r.title);
    expect(titles).toEqual(['Hold', 'Release', 'Insert now', 'Break now']);
  });

  it('keeps the channel on air when a segment file is gone: slate and an alarm', async () => {
    const main = core.context.db
      .prepare<[number], { dir: string }>(
        "SELECT dir FROM renditions WHERE asset_id = ? AND kind = 'main'",
      )
      .get(clipA);
    rmSync(join(core.context.mediaDir, main?.dir ?? '', 'seg_00001.ts'));
    const planned = await core.playout.segments(channelId, 'main', T, T + 8_000);
    const hit = planned.find((s) => s.source.kind === 'asset' && s.source.seq === 1);
    expect(hit?.substituted?.kind).toBe('missing_segment');
    const response = await fetch(`${base()}/channels/one/main/seg/${hit?.msn}.ts`);
    expect(response.status).toBe(200);
    // The slate's pictures, restamped onto the channel's clock: the first one at the planned
    // start of the segment it stands in for (90 kHz ticks of wall-clock time, mod 2^33).
    const body = Buffer.from(await response.arrayBuffer());
    expect(body.length % 188).toBe(0);
    expect(body.length).toBeLessThanOrEqual(readFileSync(hit?.file ?? '').length);
    // ffmpeg's first elementary stream PID is the video's.
    const video = inspectTs(body).pes.get(0x100);
    expect(wrap33(video?.[0]?.pts ?? -1)).toBe(wrap33(gridTicks(hit!.startsAt, 3600)));
    expect(alarms.some((a) => a.kind === 'missing_segment' && a.channelId === channelId)).toBe(
      true,
    );
    expect((await fetch(`${base()}/channels/one/main.m3u8`)).status).toBe(200);
  });

  it('restarts into the same stream: the media sequence is what the clock says', async () => {
    const later = clock.now() + 3_600_000;
    const expected = core.playout
      .window(channelId, later)
      .map((s) => [s.msn, s.startsAt, s.discontinuitySeq]);
    await server.close();
    await core.close();
    shift.ms = later - Date.now();
    await open();
    const window = core.playout.window(channelId, later);
    expect(window.map((s) => [s.msn, s.startsAt, s.discontinuitySeq])).toEqual(expected);
    expect(core.playout.onAir()).toContain(channelId);
  });

  it('stops: outputs answer 503', async () => {
    await call('playoutStop', { channelId });
    const response = await fetch(`${base()}/channels/one/main.m3u8`);
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('10');
  });
});
