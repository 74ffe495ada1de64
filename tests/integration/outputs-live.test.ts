// The public outputs on a real core: two generated clips ingested, scheduled back to back with
// a gap after them, the channel on air, a real HTTP server. live.ts is read across both
// programme joins and the slate, then checked with ffprobe; M3U, XMLTV and HDHomeRun agree.
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MethodName, Request, Response } from '../../src-shared/contract';
import { createCore, type Core } from '../../src-main/core/create-core';
import { resolveFfmpeg } from '../../src-main/core/ffmpeg/index';
import { startHttpServer, type RunningServer } from '../../src-main/core/http/http-server';
import { silentLogger } from '../../src-main/core/logger';
import { makeClip } from '../helpers/media-fixtures';
import { makeTempDir } from '../helpers/temp-dir';

const CLIP_S = 8;
/** Seconds of live.ts read: both programmes' joins and into the slate after them. */
const READ_S = 24;

function ffprobeTimes(file: string, stream: 'v' | 'a'): Promise<number[]> {
  return new Promise((resolve, reject) => {
    execFile(
      resolveFfmpeg().ffprobe.path,
      [
        '-v',
        'error',
        '-show_packets',
        '-select_streams',
        stream,
        '-of',
        'csv=p=0:nk=1',
        '-show_entries',
        'packet=pts_time',
        file,
      ],
      { maxBuffer: 64 << 20 },
      (error, stdout) =>
        error
          ? reject(error)
          : resolve(
              stdout
                .split('\n')
                .map((l) => l.split(',')[0]?.trim() ?? '')
                .filter((l) => l !== '' && l !== 'N/A')
                .map(Number),
            ),
    );
  });
}

/** Reads `url` until `bytes` arrive or `seconds` of wall time pass, then hangs up. */
function readStream(
  url: string,
  seconds: number,
): Promise<{ status: number; type: string; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const req = httpRequest(url, (res) => {
      const done = () => {
        clearTimeout(timer);
        resolve({
          status: res.statusCode ?? 0,
          type: String(res.headers['content-type']),
          body: Buffer.concat(chunks),
        });
      };
      const timer = setTimeout(() => {
        req.destroy();
        done();
      }, seconds * 1000);
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', done);
      res.on('error', done);
    });
    req.on('error', reject);
    req.end();
  });
}

describe('public outputs on a real core', () => {
  const dir = makeTempDir('airdeck-outputs-');
  let core: Core;
  let server: RunningServer;
  let base: string;

  async function call<M extends MethodName>(method: M, params: Request<M>): Promise<Response<M>> {
    const result = await core.dispatch(method, params);
    if (!result.ok) throw new Error(`${method}: ${result.error.code}: ${result.error.message}`);
    return result.result as Response<M>;
  }

  beforeAll(async () => {
    core = await createCore({
      dataDir: join(dir.path, 'data'),
      mode: 'headless',
      version: 'test',
      logger: silentLogger,
    });
    await call('settingsSet', {
      stationName: 'Outputs & Co',
      houseProfile: { width: 320, height: 180, fps: 25, segmentSeconds: 2 },
    });
    // Programmes start a couple of seconds from now, so nothing may be locked.
    await call('scheduleSettingsSet', { lockHorizonMs: 0 });
    // Clips are made in this test's temp folder: allow it (the default allows <data>/import).
    await call('settingsSet', { allowedRoots: [dir.path] });
    const a = await makeClip(join(dir.path, 'a.mp4'), { durationS: CLIP_S });
    const b = await makeClip(join(dir.path, 'b.mp4'), { durationS: CLIP_S });
    const imported = await call('libraryImportPaths', { paths: [a, b], folderId: 1 });
    const ids = imported.assets.map((x) => x.assetId!);
    for (let i = 0; i < 600; i++) {
      const states = await Promise.all(ids.map((id) => call('libraryAsset', { id })));
      if (states.every((s) => s.state === 'ready')) break;
      if (states.some((s) => s.state === 'failed')) throw new Error('ingest failed');
      await new Promise((r) => setTimeout(r, 250));
    }
    const channel = await call('channelCreate', {
      name: 'News <1>',
      number: 5,
      slug: 'news',
      group: 'Local',
    });
    // Back to back from the next whole second + 1, then a gap (slate) after them.
    const t0 = Math.ceil(Date.now() / 1000) * 1000 + 2000;
    await call('scheduleAdd', {
      channelId: channel.id,
      kind: 'asset',
      assetId: ids[0]!,
      startsAt: t0,
    });
    await call('scheduleAdd', {
      channelId: channel.id,
      kind: 'asset',
      assetId: ids[1]!,
      startsAt: t0 + CLIP_S * 1000,
    });
    await call('playoutStart', { channelId: channel.id });
    server = await startHttpServer({
      core,
      host: '127.0.0.1',
      port: 0,
      rendererDir: join(dir.path, 'none'),
      logger: silentLogger,
    });
    base = `http://127.0.0.1:${server.port}`;
  }, 120_000);

  afterAll(async () => {
    await server?.close();
    await core?.close();
    dir.remove();
  });

  it('streams live.ts with continuous timestamps across programme boundaries', async () => {
    const missing = await readStream(`${base}/channels/nope/live.ts`, 5);
    expect(missing.status).toBe(404);
    const live = await readStream(`${base}/channels/news/live.ts`, READ_S);
    expect(live.status).toBe(200);
    expect(live.type).toBe('video/mp2t');
    const file = join(dir.path, 'live.ts');
    writeFileSync(file, live.body);
    const video = (await ffprobeTimes(file, 'v')).sort((x, y) => x - y);
    const audio = await ffprobeTimes(file, 'a');
    // Real time: at least most of what was read is there (the pre-roll adds up to a segment).
    expect(video.at(-1)! - video[0]!).toBeGreaterThan(READ_S - 6);
    const steps = (list: number[]) => list.slice(1).map((t, i) => t - list[i]!);
    expect(Math.min(...steps(video))).toBeGreaterThan(0);
    expect(Math.max(...steps(video))).toBeLessThanOrEqual(0.04 + 0.002);
    expect(Math.min(...steps(audio))).toBeGreaterThan(0);
    // Audio never overlaps; it may pause for up to 80 ms where a segment encoded with B-frames
    // (the slate) meets one without (a remuxed source): ffmpeg delays such video by its reorder
    // depth (2 frames) but not the audio, so the two sources' audio sit 80 ms apart relative to
    // their pictures. Pictures stay frame-exact; the pause is silence, not a timestamp jump.
    expect(Math.max(...steps(audio))).toBeLessThanOrEqual(0.08 + 0.002);
  });

  it('lists the channel in the M3U and the EPG, which tv_validate_file accepts', async () => {
    const m3u = await (await fetch(`${base}/iptv/channels.m3u`)).text();
    expect(m3u.startsWith('#EXTM3U')).toBe(true);
    expect(m3u).toContain(`${base}/channels/news/index.m3u8`);
    const ts = await (await fetch(`${base}/iptv/channels.m3u?format=ts`)).text();
    expect(ts).toContain(`${base}/channels/news/live.ts`);
    const epgResponse = await fetch(`${base}/iptv/epg.xml`);
    expect(epgResponse.status).toBe(200);
    const epg = await epgResponse.text();
    const ids = [...m3u.matchAll(/tvg-id="([^"]+)"/g)].map((m) => m[1]);
    expect(ids).toEqual(['news.airdeck']);
    for (const id of ids) expect(epg).toContain(`<channel id="${id}">`);
    expect(epg).toMatch(
      /<programme start="\d{14} \+0000" stop="\d{14} \+0000" channel="news.airdeck">/,
    );
    const file = join(dir.path, 'epg.xml');
    writeFileSync(file, epg);
    const env = { ...process.env, XMLTV_SUPPLEMENT: '/usr/share/xmltv' };
    const code = await new Promise<number>((resolve) =>
      execFile('tv_validate_file', [file], { env }, (error) =>
        resolve(error ? Number(error.code ?? 1) : 0),
      ),
    );
    expect(code).toBe(0);
    expect((await fetch(`${base}/iptv/epg.xml?hours=abc`)).status).toBe(400);
  });

  it('answers as an HDHomeRun tuner', async () => {
    const discover = (await (await fetch(`${base}/discover.json`)).json()) as Record<
      string,
      unknown
    >;
    expect(discover).toMatchObject({
      FriendlyName: 'Outputs & Co',
      ModelNumber: 'HDTC-2US',
      BaseURL: base,
      LineupURL: `${base}/lineup.json`,
    });
    expect(discover.DeviceID).toMatch(/^[0-9A-F]{8}$/);
    const lineup = await (await fetch(`${base}/lineup.json`)).json();
    expect(lineup).toEqual([
      { GuideNumber: '5', GuideName: 'News <1>', URL: `${base}/channels/news/live.ts`, HD: 1 },
    ]);
    expect(await (await fetch(`${base}/lineup_status.json`)).json()).toEqual({
      ScanInProgress: 0,
      ScanPossible: 1,
      Source: 'Cable',
      SourceList: ['Cable'],
    });
    expect(await (await fetch(`${base}/device.xml`)).text()).toContain(
      '<friendlyName>Outputs &amp; Co</friendlyName>',
    );
  });

  it('asks for the key when the station requires one', async () => {
    await call('outputsSettingsSet', { requireKey: true, key: 'sesame-1234' });
    expect((await fetch(`${base}/iptv/channels.m3u`)).status).toBe(401);
    expect((await fetch(`${base}/iptv/epg.xml`)).status).toBe(401);
    expect((await fetch(`${base}/discover.json`)).status).toBe(401);
    expect((await readStream(`${base}/channels/news/live.ts`, 5)).status).toBe(401);
    const m3u = await (await fetch(`${base}/iptv/channels.m3u?key=sesame-1234`)).text();
    expect(m3u).toContain('/channels/news/index.m3u8?key=sesame-1234');
    const viaPath = (await (await fetch(`${base}/k/sesame-1234/discover.json`)).json()) as Record<
      string,
      unknown
    >;
    expect(viaPath.LineupURL).toBe(`${base}/k/sesame-1234/lineup.json`);
    const lineup = (await (await fetch(`${base}/k/sesame-1234/lineup.json`)).json()) as {
      URL: string;
    }[];
    expect(lineup[0]!.URL).toBe(`${base}/channels/news/live.ts?key=sesame-1234`);
    await call('outputsSettingsSet', { requireKey: false, key: '' });
  });

  // Last: it closes the server. A viewer still reading live.ts must not keep it open.
  it('ends live.ts viewers when the server closes', async () => {
    const response = await fetch(`${base}/channels/news/live.ts`);
    const reader = response.body!.getReader();
    expect((await reader.read()).done).toBe(false);
    await server.close();
    const ended = await reader.read().then(
      (chunk) => chunk.done,
      () => true,
    );
    // Drain whatever was already buffered; the stream must end rather than hang.
    let done = ended;
    while (!done) {
      done = await reader.read().then(
        (chunk) => chunk.done,
        () => true,
      );
    }
    expect(done).toBe(true);
  });
});
