// A stream to monitor: test pattern and tone with a black, a frozen and a silent stretch at
// known times, as 2 s HLS segments served from loopback. Made at test time with lavfi.
import { createReadStream, existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, normalize } from 'node:path';
import type { AlarmsSettings } from '../../src-shared/contract';
import { DEFAULT_ALARMS_SETTINGS } from '../../src-main/core/monitor/alarm-settings';
import { runFfmpegCli } from './media-fixtures';

/** Where the stretches are in the generated stream (seconds). */
export const STRETCHES = {
  black: { from: 4, to: 9 },
  freeze: { from: 13, to: 19 },
  silence: { from: 23, to: 29 },
} as const;
export const STREAM_S = 33;

/** Short delays so a 33 s stream shows every edge; the defaults are longer. */
export function testSettings(): AlarmsSettings {
  const settings = structuredClone(DEFAULT_ALARMS_SETTINGS);
  settings.thresholds.detectMinMs = 1000;
  for (const kind of ['black', 'freeze', 'silence'] as const) {
    settings.kinds[kind].setDelayMs = 1000;
    settings.kinds[kind].clearDelayMs = 1500;
  }
  return settings;
}

/** 320x180 25 fps test pattern with a tone, cut into 2 s HLS segments (a VOD playlist). */
export async function makeStretchesStream(dir: string): Promise<string> {
  const { black, freeze, silence } = STRETCHES;
  const fps = 25;
  await runFfmpegCli([
    '-f',
    'lavfi',
    '-i',
    `testsrc2=size=320x180:rate=${fps}:duration=${STREAM_S}`,
    '-f',
    'lavfi',
    '-i',
    `sine=frequency=440:sample_rate=48000:duration=${STREAM_S}`,
    '-filter_complex',
    [
      `[0:v]drawbox=x=0:y=0:w=iw:h=ih:color=black:t=fill:enable='between(t,${black.from},${black.to - 0.001})',split[main][still]`,
      `[main][still]freezeframes=first=${freeze.from * fps}:last=${freeze.to * fps - 1}:replace=${freeze.from * fps}[v]`,
    ].join(';'),
    '-map',
    '[v]',
    '-map',
    '1:a',
    '-af',
    `volume=volume=0:enable='between(t,${silence.from},${silence.to - 0.001})'`,
    '-c:v',
    'libx264',
    '-preset',
    'ultrafast',
    '-g',
    String(fps),
    '-pix_fmt',
    'yuv420p',
    '-c:a',
    'aac',
    '-b:a',
    '64k',
    '-f',
    'hls',
    '-hls_time',
    '2',
    '-hls_playlist_type',
    'vod',
    '-hls_segment_filename',
    join(dir, 'seg%03d.ts'),
    join(dir, 'index.m3u8'),
  ]);
  return join(dir, 'index.m3u8');
}

/** Serves a folder on 127.0.0.1 (a free port); closes with the returned function. */
export async function serveFolder(root: string): Promise<{ url: string; close(): Promise<void> }> {
  const server: Server = createServer((request, response) => {
    const path = normalize(join(root, decodeURIComponent((request.url ?? '/').split('?')[0]!)));
    if (!path.startsWith(root) || !existsSync(path)) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, {
      'content-type': path.endsWith('.m3u8') ? 'application/vnd.apple.mpegurl' : 'video/mp2t',
    });
    createReadStream(path).pipe(response);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
