import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createCore } from '../core/create-core';
import { startHttpServer } from '../core/http/http-server';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createStderrLogger } from '../core/logger';
import { APP_VERSION } from '../core/version';
import { startDemo } from '../core/demo/start-demo';
import { createSandbox } from '../core/demo/sandbox';
import { parseRootList } from '../core/library/allowed-roots';
import { PublicBaseUrl } from '../../src-shared/contract';

/** Channel numbers run 1..9999. */
const MAX_DEMO_CHANNELS = 9999;

const SERVE_USAGE = `Usage: airdeck serve [--data DIR] [--host HOST] [--port PORT]
                    [--admin-password-file FILE] [--tls-cert FILE --tls-key FILE]
                    [--trusted-proxy ADDR]... [--public-url URL] [--allow-root DIR]...
                    [--demo] [--demo-channels N] [--monitor-channels]

  --data DIR     data folder (database, media cache); default ~/.airdeck or $AIRDECK_DATA
  --host HOST    address to listen on; default 127.0.0.1. Listening beyond loopback needs
                 --tls-cert/--tls-key or --trusted-proxy (sign-in must not cross a network
                 in clear text)
  --port PORT    port to listen on; 0 takes a free one; default 8740 or $AIRDECK_PORT
  --admin-password-file FILE
                 on a station without accounts: create the admin "admin" with the password
                 in FILE (first line). Without it, a one-time set-up link is printed instead
  --tls-cert FILE, --tls-key FILE
                 serve HTTPS with this PEM certificate and key
  --trusted-proxy ADDR
                 a reverse proxy (address or CIDR) that terminates TLS in front of Airdeck;
                 its X-Forwarded-* headers are believed. Repeatable
  --public-url URL
                 where players reach this station (M3U, HDHomeRun, guide URLs), e.g.
                 https://tv.example.org; default $AIRDECK_PUBLIC_URL, else the station setting,
                 else the listening address
  --allow-root DIR
                 a folder import and watch folders may lie under (repeat for more); default
                 $AIRDECK_ALLOWED_ROOTS (':'-separated), else the station setting, else DIR/import
  --demo         on a station without channels: generate demo clips, ingest them and put
                 3 channels on air for the next 24 h (progress on stderr, "demo ready" last)
  --demo-channels N
                 with --demo (implied): put N channels on air (1 to ${MAX_DEMO_CHANNELS});
                 a load test: no alarm detectors on channels unless --monitor-channels
  --monitor-channels
                 with --demo-channels: run alarm detectors on channels (up to the cap)
`;

/** Ends the process if a clean shutdown hangs; SIGTERM must never leave a zombie station. */
const SHUTDOWN_DEADLINE_MS = 4000;

function isLoopback(host: string): boolean {
  return host === '127.0.0.1' || host === 'localhost' || host === '::1' || host.startsWith('127.');
}

export async function runServe(argv: string[]): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        data: { type: 'string' },
        host: { type: 'string' },
        port: { type: 'string' },
        'admin-password-file': { type: 'string' },
        'tls-cert': { type: 'string' },
        'tls-key': { type: 'string' },
        'trusted-proxy': { type: 'string', multiple: true },
        'public-url': { type: 'string' },
        'allow-root': { type: 'string', multiple: true },
        demo: { type: 'boolean' },
        'demo-channels': { type: 'string' },
        'monitor-channels': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    process.stderr.write(
      `airdeck serve: ${error instanceof Error ? error.message : String(error)}\n\n${SERVE_USAGE}`,
    );
    return 64;
  }
  if (values.help) {
    process.stdout.write(SERVE_USAGE);
    return 0;
  }
  const port = Number(values.port ?? process.env.AIRDECK_PORT ?? 8740);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    process.stderr.write(`airdeck serve: --port must be a number from 0 to 65535\n`);
    return 64;
  }
  let demoChannels: number | null = values.demo ? 3 : null;
  if (values['demo-channels'] !== undefined) {
    demoChannels = Number(values['demo-channels']);
    if (!Number.isInteger(demoChannels) || demoChannels < 1 || demoChannels > MAX_DEMO_CHANNELS) {
      process.stderr.write(
        `airdeck serve: --demo-channels must be a whole number from 1 to ${MAX_DEMO_CHANNELS}\n`,
      );
      return 64;
    }
  }
  const publicUrlGiven = values['public-url'] ?? process.env.AIRDECK_PUBLIC_URL;
  let publicBaseUrl: string | null = null;
  if (publicUrlGiven !== undefined && publicUrlGiven !== '') {
    const parsed = PublicBaseUrl.safeParse(publicUrlGiven);
    if (!parsed.success) {
      process.stderr.write(
        `airdeck serve: --public-url must be an absolute http(s) URL without credentials, query or fragment\n`,
      );
      return 64;
    }
    publicBaseUrl = parsed.data;
  }
  // Relative folders are the shell user's: resolved here, the core only takes absolute ones.
  const rootsGiven = values['allow-root'] ?? parseRootList(process.env.AIRDECK_ALLOWED_ROOTS);
  const allowedRoots = rootsGiven.length > 0 ? rootsGiven.map((p) => resolve(p)) : null;
  const host = values.host ?? process.env.AIRDECK_HOST ?? '127.0.0.1';
  const proxies = values['trusted-proxy'] ?? [];
  if (Boolean(values['tls-cert']) !== Boolean(values['tls-key'])) {
    process.stderr.write('airdeck serve: --tls-cert and --tls-key go together\n');
    return 64;
  }
  let tls: { key: Buffer; cert: Buffer } | null = null;
  let adminPassword: string | null = null;
  try {
    if (values['tls-cert'] && values['tls-key'])
      tls = { cert: readFileSync(values['tls-cert']), key: readFileSync(values['tls-key']) };
    if (values['admin-password-file'])
      adminPassword = readFileSync(values['admin-password-file'], 'utf8').split(/\r?\n/)[0] ?? '';
  } catch (error) {
    process.stderr.write(
      `airdeck serve: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    return 66;
  }
  if (adminPassword !== null && adminPassword.length < 10) {
    process.stderr.write('airdeck serve: the admin password must have at least 10 characters\n');
    return 64;
  }
  if (!isLoopback(host) && !tls && proxies.length === 0) {
    process.stderr.write(
      `airdeck serve: refusing to listen on ${host} without TLS: passwords and session cookies ` +
        'would cross the network in clear text. Give --tls-cert and --tls-key, or name the ' +
        'reverse proxy that terminates TLS with --trusted-proxy ADDR.\n',
    );
    return 64;
  }
  const dataDir = resolve(values.data ?? process.env.AIRDECK_DATA ?? join(homedir(), '.airdeck'));
  const logger = createStderrLogger();

  const core = await createCore({
    dataDir,
    mode: 'headless',
    version: APP_VERSION,
    logger,
    monitorChannels: values['demo-channels'] === undefined || values['monitor-channels'] === true,
    publicBaseUrl,
    allowedRoots,
  });
  if (adminPassword !== null && (await core.people.ensureAdmin('admin', adminPassword)))
    logger.info('created the admin account "admin" from --admin-password-file');
  // First run without a password file: only whoever can read this console may create the admin.
  let setupCode: string | null = core.people.needsSetup()
    ? randomBytes(18).toString('base64url')
    : null;
  // Test API keys are answered by a demo station of their own, never by this one.
  const sandbox = createSandbox({
    dataDir: join(dataDir, 'sandbox'),
    version: APP_VERSION,
    logger,
    seed: (sandboxCore) => startDemo(sandboxCore, 2, logger),
  });
  let server;
  try {
    server = await startHttpServer({
      sandbox: () => sandbox.get(),
      core,
      host,
      port,
      tls,
      trustedProxies: proxies,
      publicHosts: publicBaseUrl ? [new URL(publicBaseUrl).host] : [],
      setupCode: () => {
        if (setupCode !== null && !core.people.needsSetup()) setupCode = null;
        return setupCode;
      },
      logger,
      rendererDir: join(__dirname, '..', 'renderer'),
    });
  } catch (error) {
    await sandbox.close();
    await core.close();
    throw error;
  }

  core.publishHttpEndpoint({ baseUrl: server.url, token: null });

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info(`${signal}: shutting down`);
    const deadline = setTimeout(() => {
      logger.error('shutdown took too long; exiting');
      process.exit(1);
    }, SHUTDOWN_DEADLINE_MS);
    deadline.unref();
    // Unpublishing first stops push outputs before their input goes away.
    core.publishHttpEndpoint({ baseUrl: null, token: null });
    void server
      .close()
      .then(() => sandbox.close())
      .then(() => core.close())
      .then(
        () => process.exit(0),
        (error: unknown) => {
          logger.error('shutdown failed', error);
          process.exit(1);
        },
      );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));

  if (setupCode !== null)
    process.stdout.write(
      `Airdeck has no accounts yet: create the first admin at ${server.url}?setup=${setupCode}\n`,
    );
  process.stdout.write(`Airdeck ready at ${server.url}\n`);
  // The demo seeds after the ready line: windows that connect watch clips appear, ingest and
  // channels go on air through the usual events. "demo ready" on stderr marks the end.
  if (demoChannels !== null) startDemo(core, demoChannels, logger);
  return -1;
}
