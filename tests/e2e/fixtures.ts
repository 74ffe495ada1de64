import {
  test as base,
  expect,
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
} from '@playwright/test';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { connectWs, signIn, TEST_ADMIN } from '../helpers/sign-in';
import type { TestWsClient } from '../helpers/ws-client';

const CLI = fileURLToPath(new URL('../../dist/main/cli.cjs', import.meta.url));
const READY_LINE = /^Airdeck ready at (http:\/\/\S+?\/)$/;
/** Printed before the ready line by a station without accounts. */
const SETUP_LINE = /^Airdeck has no accounts yet: create the first admin at (http:\/\/\S+)$/;
const READY_TIMEOUT_MS = 30_000;
const EXIT_TIMEOUT_MS = 10_000;

/** A real `airdeck serve` on a temp data folder, owned by one test. */
export type AirdeckServer = {
  /** The link `serve` printed: `http://127.0.0.1:PORT/` (no secret in it). */
  url: string;
  /** The same, for tests that build URLs from it. */
  origin: string;
  port: number;
  dataDir: string;
  /**
   * The set-up link (with its one-time code) `serve` printed when it started without accounts
   * (airdeckAdmin false); null otherwise.
   */
  setupUrl: string | null;
  /** The admin `serve` created from --admin-password-file (unless airdeckAdmin is false). */
  admin: { username: string; password: string };
  /** Signs a browser context in as `username` (the admin by default): the cookie is set in it. */
  signIn(context: BrowserContext, username?: string, password?: string): Promise<void>;
  /** A new browser context already signed in (as the admin unless named). */
  newContext(
    options?: BrowserContextOptions,
    who?: { username: string; password: string },
  ): Promise<BrowserContext>;
  /** Starts the core again after stop(), on the same port and data folder (so the same URL). */
  start(): Promise<void>;
  /** SIGTERM, then wait for the process to exit. */
  stop(): Promise<void>;
  /** stop() then start(). */
  restart(): Promise<void>;
};

type Ready = { origin: string; port: number; setupUrl: string | null };

// The test owns every input of the core: a stray AIRDECK_* from the shell would change the
// token, port or data folder under it. AIRDECK_FFMPEG/FFPROBE are kept on purpose.
// `extra` is what a test sets on purpose (e.g. S3 credentials).
function serveEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of ['AIRDECK_DATA', 'AIRDECK_PORT', 'AIRDECK_HOST']) {
    delete env[name];
  }
  return { ...env, ...extra };
}

function startServe(
  port: number,
  dataDir: string,
  extraEnv: Record<string, string> = {},
  passwordFile: string | null = null,
): { child: ChildProcess; ready: Promise<Ready> } {
  const args = [CLI, 'serve', '--port', String(port), '--data', dataDir];
  if (passwordFile) args.push('--admin-password-file', passwordFile);
  const child = spawn(process.execPath, args, {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: serveEnv(extraEnv),
  });
  let stderr = '';
  child.stderr?.setEncoding('utf8');
  child.stderr?.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-4000);
  });

  const ready = new Promise<Ready>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(`airdeck serve printed no ready line in time. stderr:\n${stderr}`));
    }, READY_TIMEOUT_MS);
    const lines = createInterface({ input: child.stdout! });
    let setupUrl: string | null = null;
    lines.on('line', (line) => {
      const setup = SETUP_LINE.exec(line.trim());
      if (setup) setupUrl = setup[1]!;
      const match = READY_LINE.exec(line.trim());
      if (!match) return;
      clearTimeout(timer);
      const origin = match[1]!;
      resolve({ origin, port: Number(new URL(origin).port), setupUrl });
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`airdeck serve exited (${code ?? signal}) before it was ready:\n${stderr}`));
    });
  });
  return { child, ready };
}

async function terminate(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), EXIT_TIMEOUT_MS);
  });
  const outcome = await Promise.race([exited, deadline]);
  clearTimeout(timer);
  if (outcome === 'late') {
    // Never leave a core behind, but make the hang visible: SIGTERM must end serve.
    child.kill('SIGKILL');
    await exited;
    throw new Error('airdeck serve did not exit within 10 s of SIGTERM');
  }
}

export const test = base.extend<{
  airdeck: AirdeckServer;
  airdeckPort: number;
  airdeckEnv: Record<string, string>;
  airdeckAdmin: boolean;
  airdeckSignedIn: boolean;
}>({
  /** Port for the core; 0 takes a free one. Override with test.use({ airdeckPort: N }). */
  airdeckPort: [0, { option: true }],
  /** Extra environment for the core, e.g. test.use({ airdeckEnv: { AIRDECK_…: '…' } }). */
  airdeckEnv: [{}, { option: true }],
  /** False: `serve` starts without accounts (the first-run screen). */
  airdeckAdmin: [true, { option: true }],
  /** False: the test's own `page` starts signed out. */
  airdeckSignedIn: [true, { option: true }],

  // The test's page belongs to the admin unless the test says otherwise.
  context: async ({ context, airdeck, airdeckAdmin, airdeckSignedIn }, use) => {
    if (airdeckAdmin && airdeckSignedIn) await airdeck.signIn(context);
    await use(context);
  },

  airdeck: async ({ airdeckPort, airdeckEnv, airdeckAdmin, browser }, use) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'airdeck-e2e-'));
    const passwordFile = join(dataDir, 'admin-password');
    writeFileSync(passwordFile, `${TEST_ADMIN.password}\n`, { mode: 0o600 });
    let child: ChildProcess | undefined;
    let ready: Ready | undefined;

    const start = async () => {
      if (child && child.exitCode === null && child.signalCode === null) {
        throw new Error('airdeck serve is already running');
      }
      const started = startServe(
        ready?.port ?? airdeckPort,
        dataDir,
        airdeckEnv,
        airdeckAdmin ? passwordFile : null,
      );
      child = started.child;
      const next = await started.ready;
      if (ready && next.port !== ready.port) {
        throw new Error(`serve came back as ${next.origin} on another port`);
      }
      ready = next;
    };
    const stop = async () => {
      if (child) await terminate(child);
    };

    try {
      await start();
      const current = () => ready!;
      const signInContext = async (
        context: BrowserContext,
        username: string = TEST_ADMIN.username,
        password: string = TEST_ADMIN.password,
      ) => {
        // The context's request client shares its cookie jar: the session cookie lands there.
        const response = await context.request.post(`${current().origin}api/auth/sign-in`, {
          data: { username, password },
        });
        if (response.status() !== 200)
          throw new Error(`sign-in as ${username}: ${response.status()} ${await response.text()}`);
      };
      await use({
        get url() {
          return current().origin;
        },
        get origin() {
          return current().origin;
        },
        get port() {
          return current().port;
        },
        get setupUrl() {
          return current().setupUrl;
        },
        admin: { ...TEST_ADMIN },
        signIn: signInContext,
        newContext: async (options = {}, who = TEST_ADMIN) => {
          const context = await browser.newContext(options);
          await signInContext(context, who.username, who.password);
          return context;
        },
        dataDir,
        start,
        stop,
        restart: async () => {
          await stop();
          await start();
        },
      });
    } finally {
      if (child) await terminate(child).catch(() => undefined);
      rmSync(dataDir, { recursive: true, force: true });
    }
  },
});

export { expect };

// ---------------------------------------------------------------------------------------------
// Media made at test time (no media files are committed).

/** The ffmpeg the core would use when AIRDECK_FFMPEG is set, else the one on PATH. */
const FFMPEG = process.env.AIRDECK_FFMPEG || 'ffmpeg';

/**
 * A short H.264/AAC MP4 from lavfi's test pattern and a sine tone, written to `dir/name`.
 * `seconds` of 25 fps video at `size`; returns the file's path.
 */
export function makeClip(
  dir: string,
  name: string,
  { seconds = 6, size = '640x360', frequency = 440 } = {},
): string {
  const file = join(dir, name);
  execFileSync(
    FFMPEG,
    [
      '-hide_banner',
      '-loglevel',
      'error',
      '-y',
      '-f',
      'lavfi',
      '-i',
      `testsrc2=size=${size}:rate=25:duration=${seconds}`,
      '-f',
      'lavfi',
      '-i',
      `sine=frequency=${frequency}:duration=${seconds}`,
      '-c:v',
      'libx264',
      '-preset',
      'veryfast',
      '-pix_fmt',
      'yuv420p',
      '-c:a',
      'aac',
      '-shortest',
      file,
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  return file;
}

/** Random bytes with a video file's name: what a broken or mislabelled upload looks like. */
export function makeBrokenFile(dir: string, name: string, bytes = 64 * 1024): string {
  const file = join(dir, name);
  writeFileSync(file, randomBytes(bytes));
  return file;
}

/** A temp folder for one test's generated media, removed by the caller's `finally`. */
export function makeMediaDir(): string {
  return mkdtempSync(join(tmpdir(), 'airdeck-e2e-media-'));
}

/**
 * The contract over the same WebSocket the UI uses, for setting up what the UI cannot; signed in
 * as the admin unless another person is named.
 */
export async function contractClient(
  server: AirdeckServer,
  who: { username: string; password: string } = server.admin,
): Promise<TestWsClient> {
  return connectWs(server.origin, await signIn(server.origin, who.username, who.password));
}

export type { Browser };

/** Calls a method and returns its result, or throws with the core's error. */
export async function callOk<T = unknown>(
  client: TestWsClient,
  method: string,
  params: unknown,
): Promise<T> {
  const result = await client.call(method, params);
  if (!result.ok)
    throw new Error(`${method} failed: ${result.error.code}: ${result.error.message}`);
  return result.result as T;
}

/** An asset as the library lists it; only what the tests read. */
export type ListedAsset = {
  id: number;
  name: string;
  state: string;
  preview: string;
  durationMs: number;
};

/**
 * Imports files into the top library folder through the contract and waits until every one is
 * ready for air with its preview (proxy, poster, filmstrip) done; returns the folder's assets.
 */
export async function importReady(
  client: TestWsClient,
  paths: string[],
  timeoutMs = 90_000,
): Promise<ListedAsset[]> {
  await callOk(client, 'libraryImportPaths', { paths, folderId: 1 });
  let assets: ListedAsset[] = [];
  await expect
    .poll(
      async () => {
        assets = (await callOk<{ items: ListedAsset[] }>(client, 'libraryQuery', { folderId: 1 }))
          .items;
        return assets.filter((a) => a.state === 'ready' && a.preview === 'ready').length;
      },
      { timeout: timeoutMs, intervals: [1000] },
    )
    .toBe(paths.length);
  return assets;
}

/**
 * A clip already in the default house format (1280x720, 25 fps H.264 yuv420p, a keyframe every
 * 2 s, AAC 48 kHz stereo): ingest only remuxes it, so it is ready for air within seconds.
 */
export function makeHouseClip(
  dir: string,
  name: string,
  { seconds = 10, frequency = 440 } = {},
): string {
  const file = join(dir, name);
  execFileSync(
    FFMPEG,
    [
      '-hide_banner',
      '-loglevel',
      'error',
      '-y',
      '-f',
      'lavfi',
      '-i',
      `testsrc2=size=1280x720:rate=25:duration=${seconds}`,
      '-f',
      'lavfi',
      '-i',
      `sine=frequency=${frequency}:sample_rate=48000:duration=${seconds}`,
      '-c:v',
      'libx264',
      '-preset',
      'veryfast',
      '-pix_fmt',
      'yuv420p',
      '-g',
      '50',
      '-keyint_min',
      '50',
      '-sc_threshold',
      '0',
      '-c:a',
      'aac',
      '-ar',
      '48000',
      '-ac',
      '2',
      '-shortest',
      file,
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  return file;
}
