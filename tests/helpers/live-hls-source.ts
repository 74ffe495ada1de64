// A live HLS source for recorder tests: one ffmpeg encoding a lavfi test pattern in real time
// into a folder (1 s segments, a short window, old segments deleted, program date-times), and a
// tiny HTTP server that offers it under any number of names (`/<name>/main.m3u8`) and remembers
// the hash of every segment it served, so a test can check the recording byte for byte.
import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { resolveFfmpeg } from '../../src-main/core/ffmpeg/index';
import { testPatternArgs } from './test-pattern';

export type LiveHlsSource = {
  /** `http://127.0.0.1:<port>/<name>/main.m3u8` */
  url(name: string): string;
  /** sha256 of each segment served, by request path (`/<name>/segN.ts`). */
  served: Map<string, { sha256: string; bytes: number }>;
  /** While true every request to `name` answers 503. */
  fail(name: string, failing: boolean): void;
  stop(): Promise<void>;
};

export async function startLiveHlsSource(
  dir: string,
  options: { width?: number; height?: number; listSize?: number } = {},
): Promise<LiveHlsSource> {
  const { width = 320, height = 180, listSize = 4 } = options;
  const ffmpeg: ChildProcess = spawn(
    resolveFfmpeg().ffmpeg.path,
    [
      ...testPatternArgs({ width, height, realtime: true, gopFrames: 25 }),
      '-f',
      'hls',
      '-hls_time',
      '1',
      '-hls_list_size',
      String(listSize),
      '-hls_flags',
      'delete_segments+program_date_time+temp_file',
      '-hls_segment_filename',
      join(dir, 'seg%d.ts'),
      join(dir, 'main.m3u8'),
    ],
    { stdio: ['ignore', 'ignore', 'inherit'] },
  );
  const served = new Map<string, { sha256: string; bytes: number }>();
  const failing = new Set<string>();
  const server: Server = createServer((request, response) => {
    const match = /^\/([\w-]+)\/(main\.m3u8|seg\d+\.ts)$/.exec(request.url ?? '');
    if (!match) return void response.writeHead(404).end();
    const [, name, file] = match;
    if (failing.has(name!)) return void response.writeHead(503).end();
    readFile(join(dir, file!)).then(
      (body) => {
        if (file!.endsWith('.ts'))
          served.set(request.url!, {
            sha256: createHash('sha256').update(body).digest('hex'),
            bytes: body.length,
          });
        response.writeHead(200, {
          'content-type': file!.endsWith('.ts') ? 'video/mp2t' : 'application/vnd.apple.mpegurl',
          'content-length': body.length,
        });
        response.end(body);
      },
      () => response.writeHead(404).end(),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  // Ready once the encoder has listed a few segments.
  const deadline = Date.now() + 30_000;
  for (;;) {
    const text = await readFile(join(dir, 'main.m3u8'), 'utf8').catch(() => '');
    if ((text.match(/#EXTINF/g) ?? []).length >= 2) break;
    if (Date.now() > deadline) throw new Error('the live HLS source did not start');
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    url: (name) => `http://127.0.0.1:${port}/${name}/main.m3u8`,
    served,
    fail: (name, on) => void (on ? failing.add(name) : failing.delete(name)),
    async stop() {
      const exited = new Promise((r) => ffmpeg.once('exit', r));
      ffmpeg.kill('SIGKILL');
      await exited;
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
    },
  };
}
