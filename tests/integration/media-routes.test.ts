import { request as httpRequest } from 'node:http';
import { existsSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../src-main/core/create-core';
import { startHttpServer, type RunningServer } from '../../src-main/core/http/http-server';
import { silentLogger } from '../../src-main/core/logger';
import { makeClip } from '../helpers/media-fixtures';
import { makeTempDir } from '../helpers/temp-dir';
import { connectWs, signIn, TEST_ADMIN } from '../helpers/sign-in';

type RawResponse = {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
};

/** node:http, not fetch: fetch normalises `..` and would hide what a hostile client can send. */
function raw(
  server: RunningServer,
  path: string,
  init: { method?: string; headers?: Record<string, string>; body?: Buffer } = {},
) {
  return new Promise<RawResponse>((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port: server.port,
        path,
        method: init.method ?? 'GET',
        headers: init.headers,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: Buffer.concat(chunks),
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(init.body);
  });
}

/** The admin's session cookie, set once the server is up. */
let auth: Record<string, string> = {};

describe('media and upload routes', () => {
  let dir: ReturnType<typeof makeTempDir>;
  let core: Core;
  let server: RunningServer;
  const segment = Buffer.from(Array.from({ length: 1000 }, (_, i) => i % 256));

  beforeAll(async () => {
    dir = makeTempDir();
    core = await createCore({
      dataDir: dir.path,
      mode: 'headless',
      version: 't',
      logger: silentLogger,
    });
    await core.people.ensureAdmin(TEST_ADMIN.username, TEST_ADMIN.password);
    server = await startHttpServer({
      core,
      host: '127.0.0.1',
      port: 0,
      rendererDir: join(dir.path, 'none'),
      logger: silentLogger,
    });
    auth = { cookie: await signIn(server.url) };
    const media = core.context.mediaDir;
    mkdirSync(join(media, '7', 'main'), { recursive: true });
    mkdirSync(join(media, '7', '.partial-x'), { recursive: true });
    mkdirSync(join(media, '8'), { recursive: true });
    mkdirSync(join(media, '7.partial-abcd'), { recursive: true });
    writeFileSync(join(media, '7', 'main', 'index.m3u8'), '#EXTM3U\n');
    writeFileSync(join(media, '7', 'main', 'seg-00000.ts'), segment);
    writeFileSync(join(media, '7', 'poster.jpg'), 'jpeg');
    writeFileSync(join(media, '7', '.partial-x', 'seg.ts'), 'work');
    writeFileSync(join(media, '7.partial-abcd', 'poster.jpg'), 'work');
    writeFileSync(join(media, '8', 'poster.jpg'), 'other asset');
    writeFileSync(join(media, '7', 'notes.txt'), 'not media');
    symlinkSync(join(media, '8', 'poster.jpg'), join(media, '7', 'borrowed.jpg'));
    symlinkSync('/etc/passwd', join(media, '7', 'passwd.ts'));
  });
  afterAll(async () => {
    await server.close();
    await core.close();
    dir.remove();
  });

  it('requires a session cookie or a desktop media ticket (Bearer header or ?ticket=)', async () => {
    expect((await raw(server, '/media/7/poster.jpg')).status).toBe(401);
    for (const headers of <Record<string, string>[]>[
      { authorization: 'Bearer wrong' },
      { cookie: 'airdeck_session=wrong' },
      { authorization: `Bearer 1.${Date.now() + 60_000}.forged` },
    ])
      expect((await raw(server, '/media/7/poster.jpg', { headers })).status).toBe(401);
    expect((await raw(server, '/media/7/poster.jpg', { headers: auth })).status).toBe(200);
    const principal = core.people.authenticate(auth.cookie!.split('=')[1]);
    const ticket = core.people.mediaTicket(principal!);
    expect((await raw(server, `/media/7/poster.jpg?ticket=${ticket}`)).status).toBe(200);
    expect(
      (await raw(server, '/media/7/poster.jpg', { headers: { authorization: `Bearer ${ticket}` } }))
        .status,
    ).toBe(200);
    // A ticket names its session: signing out voids it at once.
    const other = await signIn(server.url);
    const otherTicket = core.people.mediaTicket(core.people.authenticate(other.split('=')[1])!);
    await fetch(new URL('/api/auth/sign-out', server.url), {
      method: 'POST',
      headers: { cookie: other },
    });
    expect((await raw(server, `/media/7/poster.jpg?ticket=${otherTicket}`)).status).toBe(401);
  });

  it('lets a viewer read media but not upload', async () => {
    await core.dispatch('personCreate', {
      username: 'vera',
      displayName: 'Vera Viewer',
      password: 'viewer-password-1',
      role: 'viewer',
    });
    const cookie = await signIn(server.url, 'vera', 'viewer-password-1');
    expect((await raw(server, '/media/7/poster.jpg', { headers: { cookie } })).status).toBe(200);
    const folderId = 1;
    const put = await raw(server, `/api/library/upload?folderId=${folderId}&name=a.mp4`, {
      method: 'PUT',
      headers: { cookie, 'content-type': 'application/octet-stream' },
      body: Buffer.from('x'),
    });
    expect(put.status).toBe(403);
  });

  it('serves playlists, segments and images with their content types', async () => {
    const playlist = await raw(server, '/media/7/main/index.m3u8', { headers: auth });
    expect(playlist.headers['content-type']).toBe('application/vnd.apple.mpegurl');
    expect(playlist.body.toString()).toBe('#EXTM3U\n');
    const ts = await raw(server, '/media/7/main/seg-00000.ts', { headers: auth });
    expect(ts.headers['content-type']).toBe('video/mp2t');
    expect(ts.body.equals(segment)).toBe(true);
    expect(
      (await raw(server, '/media/7/poster.jpg', { headers: auth })).headers['content-type'],
    ).toBe('image/jpeg');
  });

  it('answers byte ranges', async () => {
    const part = await raw(server, '/media/7/main/seg-00000.ts', {
      headers: { ...auth, range: 'bytes=100-199' },
    });
    expect(part.status).toBe(206);
    expect(part.headers['content-range']).toBe('bytes 100-199/1000');
    expect(part.body.equals(segment.subarray(100, 200))).toBe(true);
    const suffix = await raw(server, '/media/7/main/seg-00000.ts', {
      headers: { ...auth, range: 'bytes=-10' },
    });
    expect(suffix.body.equals(segment.subarray(990))).toBe(true);
    const open = await raw(server, '/media/7/main/seg-00000.ts', {
      headers: { ...auth, range: 'bytes=990-' },
    });
    expect(open.headers['content-range']).toBe('bytes 990-999/1000');
    const beyond = await raw(server, '/media/7/main/seg-00000.ts', {
      headers: { ...auth, range: 'bytes=5000-' },
    });
    expect(beyond.status).toBe(416);
    expect(beyond.headers['content-range']).toBe('bytes */1000');
  });

  it.each([
    '/media/7/../8/poster.jpg',
    '/media/7/%2e%2e/8/poster.jpg',
    '/media/7/%2E%2E%2F8%2Fposter.jpg',
    '/media/7/main%2F..%2F..%2F8%2Fposter.jpg',
    '/media/7/..%5C8%5Cposter.jpg',
    '/media/7/.partial-x/seg.ts',
    '/media/7.partial-abcd/poster.jpg',
    '/media/7/borrowed.jpg',
    '/media/7/passwd.ts',
    '/media/7/notes.txt',
    '/media/..%2F..%2F..%2Fetc/passwd',
    '/media/0/poster.jpg',
    '/media/7/poster.jpg%00.ts',
    '/media/7/',
    '/media/9/poster.jpg',
  ])('refuses %s', async (path) => {
    const res = await raw(server, path, { headers: auth });
    expect([400, 404]).toContain(res.status);
    expect(res.body.toString()).not.toContain('other asset');
    expect(res.body.toString()).not.toContain('root:');
  });

  describe('upload', () => {
    const uploads = () => join(dir.path, 'uploads');
    const put = (query: string, body: Buffer, headers: Record<string, string> = auth) =>
      raw(server, `/api/library/upload?${query}`, {
        method: 'PUT',
        headers: { 'content-type': 'application/octet-stream', ...headers },
        body,
      });

    it('refuses without a token and stores nothing', async () => {
      const res = await put('folderId=1&name=a.mp4', Buffer.from('data'), {
        'content-type': 'application/octet-stream',
      });
      expect(res.status).toBe(401);
      expect(existsSync(uploads()) ? readdirSync(uploads()) : []).toEqual([]);
    });

    it.each([
      ['Evening News.mp4', 'Evening News.mp4', 'Evening News'],
      ['../../etc/passwd', 'passwd', 'passwd'],
      ['..\\..\\win.ini', 'win.ini', 'win'],
      [
        "“Quoted” 'name' – Ειδήσεις 東京.mov",
        "“Quoted” 'name' – Ειδήσεις 東京.mov",
        "“Quoted” 'name' – Ειδήσεις 東京",
      ],
      ['..', 'upload', 'upload'],
      ['.bashrc', 'bashrc', 'bashrc'],
    ])('stores %j inside its own upload folder', async (given, stored, assetName) => {
      const res = await put(
        `folderId=1&name=${encodeURIComponent(given)}`,
        Buffer.from('not really media'),
        {
          ...auth,
          // whatever a browser claims, the body is the file
          'content-type': 'application/json',
        },
      );
      expect(res.status).toBe(201);
      const asset = JSON.parse(res.body.toString()) as {
        id: number;
        name: string;
        folderId: number;
      };
      expect(asset.name).toBe(assetName);
      const detail = core.library.asset(asset.id);
      expect(detail.source.kind).toBe('upload');
      const rel = detail.source.location.slice(uploads().length + 1).split('/');
      expect(rel).toHaveLength(2);
      expect(rel[1]).toBe(stored);
      expect(existsSync(detail.source.location)).toBe(true);
      await core.library.deleteAssets([asset.id], false);
      expect(existsSync(join(uploads(), rel[0]!))).toBe(false);
    });

    it('refuses an empty body, a missing name and an unknown folder', async () => {
      expect((await put('folderId=1&name=a.mp4', Buffer.alloc(0))).status).toBe(400);
      expect((await put('folderId=1', Buffer.from('x'))).status).toBe(400);
      expect((await put('folderId=999&name=a.mp4', Buffer.from('x'))).status).toBe(404);
      expect(readdirSync(uploads())).toEqual([]);
    });

    it('leaves nothing behind when the client aborts mid-upload', async () => {
      const before = core.library.query({}).total;
      await new Promise<void>((resolve) => {
        const req = httpRequest({
          host: '127.0.0.1',
          port: server.port,
          method: 'PUT',
          path: '/api/library/upload?folderId=1&name=big.mp4',
          headers: {
            ...auth,
            'content-type': 'application/octet-stream',
            'content-length': String(10 * 1024 * 1024),
          },
        });
        req.on('error', () => resolve());
        req.write(Buffer.alloc(256 * 1024, 1));
        setTimeout(() => {
          req.destroy();
          resolve();
        }, 300);
      });
      const deadline = Date.now() + 5000;
      while (readdirSync(uploads()).length > 0 && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 50));
      expect(readdirSync(uploads())).toEqual([]);
      expect(core.library.query({}).total).toBe(before);
    });
  });

  it('imports over the contract, announces it, and serves the ready renditions and poster', async () => {
    const clip = await makeClip(join(dir.path, 'Über “uns”.mp4'), { durationS: 2 });
    const client = await connectWs(server.url, auth.cookie!);
    try {
      const call = async <T>(method: string, params: unknown): Promise<T> => {
        const result = await client.call(method, params);
        if (!result.ok) throw new Error(`${method}: ${result.error.message}`);
        return result.result as T;
      };
      const folderId = (
        await call<{ id: number }>('libraryFolderPath', { path: 'Shows/Today', create: true })
      ).id;
      // The clip is in this test's temp folder: allow it (the default allows <data>/import).
      await call('settingsSet', { allowedRoots: [dir.path] });
      const imported = await call<{ assets: { assetId: number | null; error: string | null }[] }>(
        'libraryImportPaths',
        { paths: [clip, 'relative.mp4'], folderId },
      );
      const [first, second] = imported.assets;
      expect(second).toMatchObject({ assetId: null, error: 'must be an absolute path' });
      const id = first!.assetId!;
      await client.waitForFrame(
        (f) =>
          f.event === 'assetChanged' &&
          (f.data as { id: number; state: string }).id === id &&
          (f.data as { state: string }).state === 'ready',
        60_000,
      );
      // Ready for air means the main rendition; the proxy and poster (the preview) follow.
      await client.waitForFrame(
        (f) =>
          f.event === 'assetChanged' &&
          (f.data as { id: number }).id === id &&
          (f.data as { preview: string }).preview === 'ready',
        60_000,
      );
      const detail = await call<{
        name: string;
        renditions: { kind: string; playlistUrl: string }[];
        posterUrl: string | null;
      }>('libraryAsset', { id });
      expect(detail.name).toBe('Über “uns”');
      expect(detail.renditions.map((r) => r.kind).sort()).toEqual(['main', 'proxy']);
      for (const rendition of detail.renditions) {
        const playlist = await raw(server, rendition.playlistUrl, { headers: auth });
        expect(playlist.status).toBe(200);
        const firstSegment = playlist.body
          .toString()
          .split('\n')
          .find((l) => l && !l.startsWith('#'));
        const base = rendition.playlistUrl.replace(/index\.m3u8$/, '');
        const seg = await raw(server, `${base}${firstSegment}`, {
          headers: { ...auth, range: 'bytes=0-187' },
        });
        expect(seg.status).toBe(206);
        expect(seg.body[0]).toBe(0x47); // MPEG-TS sync byte
      }
      if (detail.posterUrl) {
        const poster = await raw(server, detail.posterUrl, { headers: auth });
        expect(poster.headers['content-type']).toBe('image/jpeg');
      }
      const listed = await call<{ total: number }>('libraryQuery', { folderId, text: 'über' });
      expect(listed.total).toBe(1);
    } finally {
      client.close();
    }
  });
});
