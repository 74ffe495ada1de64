// A live HLS source with a long past: minutes of a test pattern encoded up front (as fast as the
// machine goes), then offered as a live playlist whose first segment aired `backlogMs` ago, with
// program date-times, growing in real time. A recorder that joins it records the whole backlog
// at once, so a test has minutes of recording to review without waiting for them to air.
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { resolveFfmpeg } from '../../src-main/core/ffmpeg/index';
import { testPatternArgs } from './test-pattern';

export type DvrHlsSource = {
  /** `http://127.0.0.1:<port>/<name>/main.m3u8`; every name offers the same material. */
  url(name: string): string;
  /** Air time of the first segment (UTC ms). */
  startsAt: number;
  stop(): Promise<void>;
};

type Segment = { file: string; durationMs: number; startMs: number };

export async function startDvrHlsSource(
  dir: string,
  options: { minutes: number; backlogMs: number; segmentSeconds?: number },
): Promise<DvrHlsSource> {
  const segmentSeconds = options.segmentSeconds ?? 2;
  await new Promise<void>((resolve, reject) => {
    const ffmpeg = spawn(
      resolveFfmpeg().ffmpeg.path,
      [
        ...testPatternArgs({
          seconds: options.minutes * 60,
          gopFrames: 25 * segmentSeconds,
        }),
        '-f',
        'hls',
        '-hls_time',
        String(segmentSeconds),
        '-hls_list_size',
        '0',
        '-hls_playlist_type',
        'vod',
        '-hls_segment_filename',
        join(dir, 'seg%d.ts'),
        join(dir, 'all.m3u8'),
      ],
      { stdio: ['ignore', 'ignore', 'inherit'] },
    );
    ffmpeg.once('error', reject);
    ffmpeg.once('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`ffmpeg exited with ${code}`)),
    );
  });

  const segments: Segment[] = [];
  let cursor = 0;
  const lines = (await readFile(join(dir, 'all.m3u8'), 'utf8')).split('\n');
  for (let i = 0; i < lines.length; i++) {
    const match = /^#EXTINF:([\d.]+)/.exec(lines[i]!);
    if (!match) continue;
    const durationMs = Math.round(Number(match[1]) * 1000);
    segments.push({ file: lines[i + 1]!.trim(), durationMs, startMs: cursor });
    cursor += durationMs;
  }
  const startsAt = Date.now() - options.backlogMs;

  const playlist = () => {
    const now = Date.now();
    const out = [
      '#EXTM3U',
      '#EXT-X-VERSION:3',
      `#EXT-X-TARGETDURATION:${segmentSeconds + 1}`,
      '#EXT-X-MEDIA-SEQUENCE:0',
    ];
    for (const segment of segments) {
      if (startsAt + segment.startMs + segment.durationMs > now) break;
      out.push(
        `#EXT-X-PROGRAM-DATE-TIME:${new Date(startsAt + segment.startMs).toISOString()}`,
        `#EXTINF:${(segment.durationMs / 1000).toFixed(3)},`,
        segment.file,
      );
    }
    return `${out.join('\n')}\n`;
  };

  const server: Server = createServer((request, response) => {
    const match = /^\/([\w-]+)\/(main\.m3u8|seg\d+\.ts)$/.exec(request.url ?? '');
    if (!match) return void response.writeHead(404).end();
    const file = match[2]!;
    if (file === 'main.m3u8') {
      const body = playlist();
      response.writeHead(200, { 'content-type': 'application/vnd.apple.mpegurl' });
      return void response.end(body);
    }
    readFile(join(dir, file)).then(
      (body) => {
        response.writeHead(200, { 'content-type': 'video/mp2t', 'content-length': body.length });
        response.end(body);
      },
      () => response.writeHead(404).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: (name) => `http://127.0.0.1:${port}/${name}/main.m3u8`,
    startsAt,
    async stop() {
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}
