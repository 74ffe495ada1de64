import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path, { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../../src-main/core/create-core';
import { startHttpServer, type RunningServer } from '../../src-main/core/http/http-server';
import { silentLogger } from '../../src-main/core/logger';
import {
  APP_ENTRY_URL,
  CONTENT_SECURITY_POLICY,
  contentTypeFor,
  createAppRequestHandler,
  resolveRendererPath,
} from '../../src-main/electron/app-request';

describe('resolveRendererPath (posix)', () => {
  const root = '/opt/airdeck/dist/renderer';
  const p = path.posix;

  it('maps ordinary paths inside the renderer folder', () => {
    expect(resolveRendererPath(root, '/', p)).toBe(`${root}/index.html`);
    expect(resolveRendererPath(root, '/index.html', p)).toBe(`${root}/index.html`);
    expect(resolveRendererPath(root, '/assets/index-AbC123.js', p)).toBe(
      `${root}/assets/index-AbC123.js`,
    );
    expect(resolveRendererPath(root, '/assets/my%20font.woff2', p)).toBe(
      `${root}/assets/my font.woff2`,
    );
    expect(resolveRendererPath(root, '/..foo/x.js', p)).toBe(`${root}/..foo/x.js`);
  });

  it.each([
    '/../etc/passwd',
    '/assets/../../etc/passwd',
    '/assets/..',
    '/./index.html',
    '/%2e%2e/etc/passwd',
    '/%2E%2E/%2e%2E/etc/passwd',
    '/assets/%2e%2e/%2e%2e/secret',
    '/..%2fetc%2fpasswd',
    '/assets%2f..%2f..%2fetc/passwd',
    '/%2fetc%2fpasswd',
    '/..%5c..%5cetc%5cpasswd',
    '/assets\\..\\..\\etc\\passwd',
    '//etc/passwd',
    '/assets//x.js',
    '/assets/',
    '/index.html%00.js',
    '/%E0%A4%A',
    '/C:/Windows/win.ini',
    'index.html',
    '',
  ])('refuses %j', (pathname) => {
    expect(resolveRendererPath(root, pathname, p)).toBeNull();
  });
});

describe('resolveRendererPath (Windows rules)', () => {
  const root = 'C:\\Program Files\\Airdeck\\resources\\app.asar\\dist\\renderer';
  const w = path.win32;

  it('maps ordinary paths', () => {
    expect(resolveRendererPath(root, '/assets/a.js', w)).toBe(`${root}\\assets\\a.js`);
  });

  it.each([
    '/..\\..\\secret.txt',
    '/%5c..%5csecret.txt',
    '/C:%5cWindows%5cwin.ini',
    '/C:/Windows/win.ini',
    '/%43:/Windows/win.ini',
    '/index.html::$DATA',
    '/\\\\server\\share\\x',
    '/%2e%2e/secret.txt',
  ])('refuses %j', (pathname) => {
    expect(resolveRendererPath(root, pathname, w)).toBeNull();
  });
});

describe('contentTypeFor', () => {
  it('gives module scripts a JavaScript type and unknown files octet-stream', () => {
    expect(contentTypeFor('/x/index.html')).toMatch(/^text\/html/);
    expect(contentTypeFor('/x/a.JS')).toMatch(/^text\/javascript/);
    expect(contentTypeFor('/x/a.css')).toMatch(/^text\/css/);
    expect(contentTypeFor('/x/a.woff2')).toBe('font/woff2');
    expect(contentTypeFor('/x/a.svg')).toBe('image/svg+xml');
    expect(contentTypeFor('/x/README')).toBe('application/octet-stream');
  });
});

describe('createAppRequestHandler on real files', () => {
  let base: string;
  let renderer: string;
  let handle: (request: Request) => Promise<Response>;

  beforeAll(() => {
    base = mkdtempSync(join(tmpdir(), 'airdeck-app-'));
    renderer = join(base, 'renderer');
    mkdirSync(join(renderer, 'assets'), { recursive: true });
    writeFileSync(join(renderer, 'index.html'), '<!doctype html><title>Airdeck</title>');
    writeFileSync(join(renderer, 'assets', 'main.js'), 'console.log(1)');
    writeFileSync(join(base, 'secret.txt'), 'do not serve');
    handle = createAppRequestHandler(renderer);
  });

  afterAll(() => rmSync(base, { recursive: true, force: true }));

  it('serves the entry page with the CSP', async () => {
    const response = await handle(new Request(APP_ENTRY_URL));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(await response.text()).toContain('<title>Airdeck</title>');
  });

  it('serves assets with their type and without the page CSP', async () => {
    const response = await handle(new Request('app://airdeck/assets/main.js'));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(response.headers.get('content-security-policy')).toBeNull();
    expect(await response.text()).toBe('console.log(1)');
  });

  it('answers HEAD without a body', async () => {
    const response = await handle(new Request('app://airdeck/index.html', { method: 'HEAD' }));
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('');
  });

  it.each([
    'app://airdeck/missing.js',
    'app://airdeck/assets',
    'app://airdeck/assets/',
    'app://airdeck/..%2fsecret.txt',
    'app://airdeck/%2e%2e/secret.txt',
    'app://airdeck/assets%2f..%2f..%2fsecret.txt',
    'app://other/index.html',
    'app://airdeck:8080/index.html',
  ])('answers %s with a bare 404', async (url) => {
    const response = await handle(new Request(url));
    expect(response.status).toBe(404);
    const body = await response.text();
    expect(body).toBe('Not found');
    expect(body).not.toContain(base);
  });

  it('refuses methods other than GET and HEAD', async () => {
    const response = await handle(new Request(APP_ENTRY_URL, { method: 'POST', body: 'x' }));
    expect(response.status).toBe(405);
  });

  it('hides read errors other than not-found behind a 500', async () => {
    const failing = createAppRequestHandler(renderer, () =>
      Promise.reject(Object.assign(new Error(`EACCES ${renderer}`), { code: 'EACCES' })),
    );
    const response = await failing(new Request(APP_ENTRY_URL));
    expect(response.status).toBe(500);
    expect(await response.text()).not.toContain(renderer);
  });
});

describe('the app:// CSP matches the headless server', () => {
  let dir: string;
  let core: Core;
  let server: RunningServer;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'airdeck-csp-'));
    const rendererDir = join(dir, 'renderer');
    mkdirSync(rendererDir);
    writeFileSync(join(rendererDir, 'index.html'), '<!doctype html><title>Airdeck</title>');
    core = await createCore({
      dataDir: join(dir, 'data'),
      mode: 'headless',
      version: 'test',
      logger: silentLogger,
    });
    server = await startHttpServer({
      core,
      host: '127.0.0.1',
      port: 0,
      rendererDir,
      logger: silentLogger,
    });
  });

  afterAll(async () => {
    await server.close();
    await core.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('sends the same content-security-policy on index.html', async () => {
    const response = await fetch(`${server.url}index.html`);
    expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
  });
});
