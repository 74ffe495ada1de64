// The headless server against the requests an attacker on the network can send without signing in:
// a real core on a real HTTP server on loopback, real sockets. Each block is one weakness fixed.
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { get as httpGet } from 'node:http';
import { connect } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore } from '../../src-main/core/create-core';
import { DESKTOP_APP_ORIGIN } from '../../src-main/core/http/cors';
import { APP_HOST, APP_SCHEME } from '../../src-main/electron/app-request';
import { silentLogger } from '../../src-main/core/logger';
import { startServedCore, waitFor, type ServedCore } from '../helpers/served-core';
import { makeTempDir } from '../helpers/temp-dir';

const LONG_UA = `Mozilla/5.0 ${'x'.repeat(6000)}`;
/** Short enough to watch them fire; the idle one longer than a segment (live.ts waits for one). */
const IDLE_MS = 4000;
const REQUEST_MS = 1000;

describe('the server, hardened', () => {
  const dir = makeTempDir('airdeck-hardening-');
  let served: ServedCore;
  let base: string;
  let slug: string;

  beforeAll(async () => {
    served = await startServedCore(dir.path, {
      limits: {
        idleTimeoutMs: IDLE_MS,
        requestTimeoutMs: REQUEST_MS,
        headersTimeoutMs: REQUEST_MS,
        // Below the idle timeout, so a client never reuses a socket the server is closing.
        keepAliveTimeoutMs: 500,
      },
    });
    base = served.server.url.replace(/\/$/, '');
    await served.call('settingsSet', {
      houseProfile: { width: 320, height: 180, fps: 25, segmentSeconds: 2 },
    });
    // Nothing scheduled: the channel airs the station slate, real segments all the same.
    const channel = await served.call('channelCreate', { name: 'News', number: 1, slug: 'news' });
    slug = channel.slug;
    await served.call('playoutStart', { channelId: channel.id });
    await waitFor('the channel to serve a segment', async () => {
      const response = await fetch(`${base}/channels/${slug}/main.m3u8`);
      if (response.status !== 200 || !(await response.text()).includes('.ts')) return false;
      const segment = await fetch(`${base}${await firstSegmentPath()}`);
      await segment.arrayBuffer();
      return segment.status === 200;
    });
  }, 120_000);

  afterAll(async () => {
    await served?.close();
    dir.remove();
  });

  async function firstSegmentPath(): Promise<string> {
    const playlist = await (await fetch(`${base}/channels/${slug}/main.m3u8`)).text();
    const uri = playlist.split('\n').find((line) => line.endsWith('.ts'));
    if (!uri) throw new Error(`no segment in\n${playlist}`);
    return `/channels/${slug}/${uri}`;
  }

  describe('viewer counter', () => {
    it('keeps no entry for 20,000 junk requests under /channels/ with long User-Agents', async () => {
      const before = served.core.monitor.viewerTableSize();
      const paths = [
        (i: number) => `/channels/nope-${i}/main.m3u8`,
        (i: number) => `/channels/${slug}/main/seg/x${i}.ts`,
        (i: number) => `/channels/${slug}/whatever-${i}`,
        (i: number) => `/channels/%zz${i}/index.m3u8`,
      ];
      const total = 20_000;
      const concurrency = 32;
      let next = 0;
      const statuses = new Map<number, number>();
      await Promise.all(
        Array.from({ length: concurrency }, async () => {
          while (next < total) {
            const i = next++;
            const response = await fetch(`${base}${paths[i % paths.length]!(i)}`, {
              headers: { 'user-agent': `${LONG_UA} ${i}` },
            });
            await response.arrayBuffer();
            statuses.set(response.status, (statuses.get(response.status) ?? 0) + 1);
          }
        }),
      );
      expect([...statuses.keys()].every((s) => s >= 400)).toBe(true);
      // Not one more (the player that waited for the window may have expired meanwhile).
      expect(served.core.monitor.viewerTableSize()).toBeLessThanOrEqual(before);
    }, 300_000);

    it('counts a real player once per address and User-Agent, not per request', async () => {
      const viewers = async () =>
        (await served.call('dashboardGet', {})).figures.viewers[0]?.viewers ?? 0;
      const segment = await firstSegmentPath();
      // Other requests of this file (finding the segment) came from Node's own fetch.
      const before = await viewers();
      for (const ua of ['player-a', 'player-a', 'player-b']) {
        expect(
          (await fetch(`${base}/channels/${slug}/main.m3u8`, { headers: { 'user-agent': ua } }))
            .status,
        ).toBe(200);
        expect((await fetch(`${base}${segment}`, { headers: { 'user-agent': ua } })).status).toBe(
          200,
        );
      }
      expect(await viewers()).toBe(before + 2);
    });
  });

  describe('cross-origin requests', () => {
    const preflight = (path: string, origin: string, headers = 'range') =>
      fetch(`${base}${path}`, {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'GET',
          'access-control-request-headers': headers,
        },
      });

    it('lets any page play a channel: playlists and segments, preflight with Range included', async () => {
      const segment = await firstSegmentPath();
      for (const path of [`/channels/${slug}/index.m3u8`, `/channels/${slug}/main.m3u8`, segment]) {
        const pre = await preflight(path, 'https://player.example');
        expect(pre.status, path).toBe(204);
        expect(pre.headers.get('access-control-allow-origin')).toBe('*');
        expect(pre.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('range');
        expect(pre.headers.get('access-control-allow-methods')).toContain('GET');
        expect(pre.headers.get('access-control-allow-credentials')).toBeNull();

        const get = await fetch(`${base}${path}`, {
          headers: { origin: 'https://player.example', range: 'bytes=0-' },
        });
        expect(get.status, path).toBeLessThan(300);
        expect(get.headers.get('access-control-allow-origin')).toBe('*');
        expect(get.headers.get('access-control-allow-credentials')).toBeNull();
        const exposed = get.headers.get('access-control-expose-headers')?.toLowerCase() ?? '';
        for (const header of ['content-range', 'content-length', 'accept-ranges'])
          expect(exposed).toContain(header);
        await get.arrayBuffer();
      }
    });

    it('opens the guide and tuner outputs to any page too', async () => {
      for (const path of [
        '/iptv/channels.m3u',
        '/iptv/epg.xml',
        '/discover.json',
        '/lineup.json',
      ]) {
        const get = await fetch(`${base}${path}`, { headers: { origin: 'https://guide.example' } });
        expect(get.status, path).toBe(200);
        expect(get.headers.get('access-control-allow-origin'), path).toBe('*');
        await get.arrayBuffer();
      }
    });

    it('answers private routes to the desktop app only, with credentials', async () => {
      for (const path of ['/api/library/upload', '/media/1/proxy/index.m3u8', '/healthz']) {
        const evil = await preflight(path, 'http://evil.example', 'authorization');
        expect(evil.headers.get('access-control-allow-origin'), path).toBeNull();
        expect(evil.status, path).toBeGreaterThanOrEqual(400);
        await evil.arrayBuffer();

        const app = await preflight(path, 'app://airdeck', 'authorization');
        expect(app.status, path).toBe(204);
        expect(app.headers.get('access-control-allow-origin')).toBe('app://airdeck');
        expect(app.headers.get('access-control-allow-credentials')).toBe('true');
        expect(app.headers.get('access-control-allow-headers')?.toLowerCase()).toContain(
          'authorization',
        );
      }
      const evilGet = await fetch(`${base}/healthz`, {
        headers: { origin: 'http://evil.example' },
      });
      expect(evilGet.headers.get('access-control-allow-origin')).toBeNull();
      await evilGet.arrayBuffer();
    });

    it('names the desktop app origin the Electron scheme serves', () => {
      expect(DESKTOP_APP_ORIGIN).toBe(`${APP_SCHEME}://${APP_HOST}`);
    });
  });

  describe('URLs in the outputs', () => {
    /** GET with a forged Host header (fetch will not send one). */
    function getWithHost(path: string, host: string): Promise<string> {
      return new Promise((resolve, reject) => {
        const request = httpGet(
          { host: '127.0.0.1', port: served.server.port, path, headers: { host } },
          (response) => {
            let body = '';
            response.setEncoding('utf8');
            response.on('data', (chunk: string) => (body += chunk));
            response.on('end', () => resolve(body));
          },
        );
        request.on('error', reject);
      });
    }
    const listed = [
      '/iptv/channels.m3u',
      '/iptv/channels.m3u?format=ts',
      '/lineup.json',
      '/discover.json',
      '/device.xml',
      '/iptv/epg.xml',
    ];

    it('never copies the Host header into M3U, lineup or guide answers', async () => {
      const own = `http://127.0.0.1:${served.server.port}`;
      for (const path of listed) {
        const body = await getWithHost(path, 'evil.example');
        expect(body, path).not.toContain('evil.example');
        if (path !== '/iptv/epg.xml') expect(body, path).toContain(own);
      }
    });

    it('uses the public base URL when one is set, and refuses one that is not absolute http(s)', async () => {
      await served.call('settingsSet', { publicBaseUrl: 'https://tv.example.org/' });
      try {
        const m3u = await getWithHost('/iptv/channels.m3u', 'evil.example');
        expect(m3u).toContain(`https://tv.example.org/channels/${slug}/index.m3u8`);
        const lineup = JSON.parse(await getWithHost('/lineup.json', 'evil.example')) as {
          URL: string;
        }[];
        expect(lineup[0]!.URL).toBe(`https://tv.example.org/channels/${slug}/live.ts`);
        const discover = JSON.parse(await getWithHost('/discover.json', 'evil.example')) as {
          BaseURL: string;
        };
        expect(discover.BaseURL).toBe('https://tv.example.org');
      } finally {
        await served.call('settingsSet', { publicBaseUrl: null });
      }
      for (const bad of [
        'tv.example.org',
        'ftp://tv.example.org',
        'https://u:p@tv.example.org',
        'https://tv.example.org/?a=1',
        'javascript:alert(1)',
      ]) {
        const result = await served.core.dispatch('settingsSet', { publicBaseUrl: bad });
        expect(result.ok, bad).toBe(false);
        if (!result.ok) expect(result.error.code).toBe('invalid_request');
      }
      expect(served.core.settings.get().publicBaseUrl).toBeNull();
    });
  });

  describe('disk paths', () => {
    const allowed = join(dir.path, 'allowed');
    const outside = join(dir.path, 'outside');

    beforeAll(() => {
      mkdirSync(join(allowed, 'show'), { recursive: true });
      mkdirSync(outside, { recursive: true });
      writeFileSync(join(allowed, 'clip.mp4'), 'x');
      writeFileSync(join(allowed, 'show', 'ep1.mp4'), 'x');
      writeFileSync(join(outside, 'secret.mp4'), 'x');
      symlinkSync(join(outside, 'secret.mp4'), join(allowed, 'link.mp4'));
      symlinkSync(outside, join(allowed, 'link-dir'));
      symlinkSync(join(outside, 'secret.mp4'), join(allowed, 'show', 'ep2.mp4'));
    });

    async function refusal(method: 'libraryImportPaths' | 'watchFoldersAdd', params: object) {
      const result = await served.core.dispatch(method, params as never);
      return result.ok ? null : result.error;
    }
    const importing = (path: string) =>
      refusal('libraryImportPaths', { paths: [path], folderId: 1 });
    const watching = (diskPath: string) => refusal('watchFoldersAdd', { diskPath, folderId: 1 });

    it('imports and watches only under the allowed roots, links and .. resolved first', async () => {
      await served.call('settingsSet', { allowedRoots: [allowed] });
      for (const path of [
        join(outside, 'secret.mp4'),
        '/etc/passwd',
        `${allowed}/../outside/secret.mp4`,
        join(allowed, 'link.mp4'),
        join(allowed, 'link-dir', 'secret.mp4'),
        join(allowed, 'link-dir'),
        // Refused before the disk is asked: the answer tells nothing about what exists there.
        '/no/such/place.mp4',
      ]) {
        const error = await importing(path);
        expect(error?.code, path).toBe('path_not_allowed');
        expect(error?.message, path).toMatch(/allowed folders|"\.\."/);
      }
      for (const path of [outside, `${allowed}/../outside`, join(allowed, 'link-dir'), '/']) {
        expect((await watching(path))?.code, path).toBe('path_not_allowed');
      }
      // A refused call imports nothing, not even its allowed paths.
      expect(await importing(join(allowed, 'clip.mp4'))).toBeNull();
      const mixed = await served.core.dispatch('libraryImportPaths', {
        paths: [join(allowed, 'clip.mp4'), join(outside, 'secret.mp4')],
        folderId: 1,
      });
      expect(mixed.ok).toBe(false);

      // A folder inside: its files come in, a link in it that leads out does not.
      const { assets } = await served.call('libraryImportPaths', {
        paths: [join(allowed, 'show')],
        folderId: 1,
      });
      const byName = new Map(assets.map((a) => [a.path.slice(allowed.length), a]));
      expect(byName.get('/show/ep1.mp4')?.assetId).toEqual(expect.any(Number));
      expect(byName.get('/show/ep2.mp4')).toMatchObject({
        assetId: null,
        error: expect.stringContaining('path_not_allowed'),
      });

      const watched = await served.call('watchFoldersAdd', {
        diskPath: join(allowed, 'show'),
        folderId: 1,
      });
      await served.call('watchFoldersRemove', { id: watched.id });
    });

    it('allows only <data>/import by default on a server', async () => {
      await served.call('settingsSet', { allowedRoots: null });
      expect((await importing(join(allowed, 'clip.mp4')))?.code).toBe('path_not_allowed');
      const dropped = join(dir.path, 'data', 'import', 'dropped.mp4');
      writeFileSync(dropped, 'x');
      expect(await importing(dropped)).toBeNull();
      const inbox = join(dir.path, 'data', 'import', 'inbox');
      mkdirSync(inbox);
      const watched = await served.call('watchFoldersAdd', { diskPath: inbox, folderId: 1 });
      await served.call('watchFoldersRemove', { id: watched.id });
      // The rest of the data folder stays out of reach.
      expect((await importing(join(dir.path, 'data', 'airdeck.db')))?.code).toBe(
        'path_not_allowed',
      );
      // A setting that is not a list of absolute paths is refused.
      const bad = await served.core.dispatch('settingsSet', { allowedRoots: ['relative/dir'] });
      expect(bad.ok).toBe(false);
    });
  });

  describe('health and files', () => {
    it('/healthz shows status flags, no path', async () => {
      const response = await fetch(`${base}/healthz`);
      const text = await response.text();
      expect(response.status, text).toBe(200);
      expect(JSON.parse(text)).toEqual({
        ok: true,
        version: 'test',
        uptimeMs: expect.any(Number),
        db: { ok: true, schemaVersion: expect.any(Number) },
        ffmpeg: { ok: true, source: expect.any(String), version: expect.any(String) },
      });
      expect(text).not.toContain(dir.path);
      expect(text).not.toContain('airdeck.db');
      expect(text).not.toMatch(/"path":/);
      expect(text).not.toContain(served.core.ffmpeg.path!);
    });

    it('creates airdeck.db and its WAL files readable by their owner only', () => {
      const dataDir = join(dir.path, 'data');
      for (const name of ['airdeck.db', 'airdeck.db-wal', 'airdeck.db-shm']) {
        const file = join(dataDir, name);
        if (name === 'airdeck.db') expect(existsSync(file)).toBe(true);
        if (existsSync(file)) expect(statSync(file).mode & 0o777).toBe(0o600);
      }
    });

    it('tightens a database an older build left world-readable', async () => {
      const old = makeTempDir('airdeck-hardening-old-');
      try {
        const first = await createCore({
          dataDir: old.path,
          mode: 'headless',
          version: 'test',
          logger: silentLogger,
        });
        await first.close();
        chmodSync(join(old.path, 'airdeck.db'), 0o644);
        const again = await createCore({
          dataDir: old.path,
          mode: 'headless',
          version: 'test',
          logger: silentLogger,
        });
        await again.close();
        expect(statSync(join(old.path, 'airdeck.db')).mode & 0o777).toBe(0o600);
      } finally {
        old.remove();
      }
    }, 60_000);

    it('ships no source maps in the serve bundle or the renderer it serves', () => {
      const dist = join(import.meta.dirname, '..', '..', 'dist');
      const cli = readFileSync(join(dist, 'main', 'cli.cjs'), 'utf8');
      expect(cli).not.toContain('sourceMappingURL');
      expect(readdirSync(join(dist, 'main')).filter((f) => f.endsWith('.map'))).toEqual([]);
      const mapsIn = (folder: string): string[] =>
        readdirSync(folder, { withFileTypes: true }).flatMap((e) =>
          e.isDirectory() ? mapsIn(join(folder, e.name)) : e.name.endsWith('.map') ? [e.name] : [],
        );
      expect(mapsIn(join(dist, 'renderer'))).toEqual([]);
    });
  });

  describe('timeouts and caps', () => {
    /**
     * Opens a raw socket, sends `head`, then one more header byte every `dripMs` (0: none), and
     * resolves with what came back once the server closed it.
     */
    function rawExchange(head: string, dripMs = 0): Promise<string> {
      return new Promise((resolve, reject) => {
        const socket = connect(served.server.port, '127.0.0.1');
        let received = '';
        let drip: NodeJS.Timeout | undefined;
        socket.setEncoding('utf8');
        socket.on('data', (chunk: string) => (received += chunk));
        socket.on('error', reject);
        socket.on('close', () => {
          clearInterval(drip);
          resolve(received);
        });
        socket.on('connect', () => {
          if (head) socket.write(head);
          if (dripMs > 0) drip = setInterval(() => socket.write('a'), dripMs);
        });
      });
    }

    it('closes a connection that sends nothing', async () => {
      // Resolves only because the server hangs up (408 once the request timeout is up).
      const answer = await rawExchange('');
      expect(answer === '' || answer.startsWith('HTTP/1.1 408')).toBe(true);
    });

    it('closes a connection that sends its headers a byte at a time', async () => {
      // Never idle (a byte every 200 ms): only the headers timeout ends it.
      const answer = await rawExchange('GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ', 200);
      expect(answer === '' || answer.startsWith('HTTP/1.1 408')).toBe(true);
    }, 60_000);

    it('refuses headers over 8 KiB', async () => {
      const response = await fetch(`${base}/healthz`, { headers: { 'x-big': 'y'.repeat(9000) } });
      expect(response.status).toBe(431);
    });

    it('keeps a live.ts stream open far past the request and idle timeouts', async () => {
      const started = Date.now();
      let bytes = 0;
      const controller = new AbortController();
      const response = await fetch(`${base}/channels/${slug}/live.ts`, {
        signal: controller.signal,
      });
      expect(response.status).toBe(200);
      const reader = response.body!.getReader();
      // Past both timeouts: a stream cut by either would end (done) before this.
      while (Date.now() - started < IDLE_MS * 2) {
        const { done, value } = await reader.read();
        expect(done).toBe(false);
        bytes += value?.length ?? 0;
      }
      controller.abort();
      expect(bytes).toBeGreaterThan(0);
    }, 60_000);
  });
});
