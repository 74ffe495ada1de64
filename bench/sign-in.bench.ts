// What a sign-in costs with the station's argon2id parameters (src-main/core/people/password.ts),
// against the library's defaults and a heavier profile in the same run:
// - hash and verify time (wall and CPU, interleaved across profiles), SIGN_IN_RUNS each;
// - memory: the peak resident growth of a fresh process for one hash, and for four at once
//   (the thread pool's size: four sign-ins in flight);
// - the whole `POST /api/auth/sign-in` against the built `serve` (`npm run build` first);
// - what a guesser gets from one address: wrong passwords answered per second until the limits
//   (5 failures per account, 20 per address, 15 minutes) answer 429 without hashing; and how
//   many of SIGN_IN_BURST wrong passwords sent at once for one account are checked.
// One JSON line.
import { hash, verify, type Options } from '@node-rs/argon2';
import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { ARGON2_PARAMS } from '../src-main/core/people/password';
import { SIGN_IN_LIMITS } from '../src-main/core/people/people-service';
import { BENCH_ADMIN, startServe } from './lib.mjs';

const RUNS = Number(process.env.SIGN_IN_RUNS ?? 50);
const GUESS_SECONDS = Number(process.env.SIGN_IN_GUESS_S ?? 5);
const GUESS_CONCURRENCY = 4;
/** Wrong passwords sent at once for one account, on a fresh station: how many are checked. */
const BURST = Number(process.env.SIGN_IN_BURST ?? 50);

const PROFILES: Record<string, Options | undefined> = {
  station: ARGON2_PARAMS,
  libraryDefaults: undefined,
  // RFC 9106's second recommended option has 64 MiB and 3 passes (with 4 lanes); one lane here,
  // like the station's, so the figures compare per core.
  heavier64MiB: { algorithm: 2, memoryCost: 65_536, timeCost: 3, parallelism: 1 },
};

function stats(samples: number[]) {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (p: number) =>
    sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
  const round = (x: number) => Math.round(x * 10) / 10;
  return { n: sorted.length, p50: round(at(50)), p99: round(at(99)), max: round(sorted.at(-1)!) };
}

/** Wall and CPU ms of one call (CPU: the whole process, the hash's pool thread included). */
async function timed(work: () => Promise<unknown>): Promise<[number, number]> {
  const cpu = process.cpuUsage();
  const start = performance.now();
  await work();
  const wall = performance.now() - start;
  const used = process.cpuUsage(cpu);
  return [wall, (used.user + used.system) / 1000];
}

/** Peak RSS growth (MiB) of a fresh Node process hashing `parallel` passwords at once. */
function peakMemoryMiB(options: Options | undefined, parallel: number): number {
  const script = `
    const { hash } = require('@node-rs/argon2');
    (async () => {
      await hash('warm', { memoryCost: 8, timeCost: 1 });
      const before = process.resourceUsage().maxRSS;
      await Promise.all(Array.from({ length: ${parallel} }, (_, i) =>
        hash('password-' + i, ${JSON.stringify(options ?? null)} ?? undefined)));
      console.log((process.resourceUsage().maxRSS - before) / 1024);
    })();`;
  const child = spawnSync(process.execPath, ['-e', script], { encoding: 'utf8' });
  if (child.status !== 0) throw new Error(child.stderr);
  return Math.round(Number(child.stdout.trim()) * 10) / 10;
}

async function post(origin: string, body: unknown) {
  const start = performance.now();
  const response = await fetch(new URL('/api/auth/sign-in', origin), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  await response.arrayBuffer();
  return {
    status: response.status,
    ms: performance.now() - start,
    retryAfterS: Number(response.headers.get('retry-after') ?? NaN),
  };
}

// esbuild bundles benches as CommonJS, which has no top-level await.
async function main(): Promise<void> {
  // 1. hash and verify, the profiles interleaved so the machine's load falls on each alike.
  const stored = new Map<string, string>();
  for (const [name, options] of Object.entries(PROFILES))
    stored.set(name, await hash('correct horse battery', options));
  const samples = new Map<string, Record<string, number[]>>();
  for (let i = 0; i < RUNS; i++) {
    for (const [name, options] of Object.entries(PROFILES)) {
      const s = samples.get(name) ?? { hash: [], hashCpu: [], verify: [], verifyCpu: [] };
      samples.set(name, s);
      const [h, hc] = await timed(() => hash(`password ${i}`, options));
      const [v, vc] = await timed(() => verify(stored.get(name)!, `wrong ${i}`));
      s.hash!.push(h);
      s.hashCpu!.push(hc);
      s.verify!.push(v);
      s.verifyCpu!.push(vc);
    }
  }
  const profiles = Object.fromEntries(
    [...samples].map(([name, s]) => [
      name,
      {
        params: stored.get(name)!.split('$')[3],
        hashMs: stats(s.hash!),
        verifyMs: stats(s.verify!),
        hashCpuMs: stats(s.hashCpu!),
        verifyCpuMs: stats(s.verifyCpu!),
        peakRssGrowthMiB: {
          oneHash: peakMemoryMiB(PROFILES[name], 1),
          fourAtOnce: peakMemoryMiB(PROFILES[name], 4),
        },
        /** What one core checks per second (a guesser holding a stolen database gets this). */
        verifiesPerCoreSecond: Math.round(1000 / stats(s.verifyCpu!).p50),
      },
    ]),
  );

  // 2. The whole sign-in against the built serve, then 3. a guesser from the same address.
  const serve = await startServe();
  let roundTrip;
  let guesser;
  try {
    const ok: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const r = await post(serve.origin, BENCH_ADMIN);
      if (r.status !== 200) throw new Error(`sign-in answered ${r.status}`);
      ok.push(r.ms);
    }
    roundTrip = stats(ok);

    // The account first: its 5 failures, then its right password is refused too.
    const account: number[] = [];
    for (let i = 0; i < SIGN_IN_LIMITS.perAccount.maxFailures + 1; i++)
      account.push((await post(serve.origin, { ...BENCH_ADMIN, password: `guess ${i}` })).status);
    const rightPassword = await post(serve.origin, BENCH_ADMIN);
    // Then other usernames (unknown ones cost the same hash) until the address is limited, and
    // SIGN_IN_GUESS_S seconds more.
    const answers: { sentAt: number; at: number; status: number }[] = [];
    const start = performance.now();
    let firstLimited = Infinity;
    let n = 0;
    await Promise.all(
      Array.from({ length: GUESS_CONCURRENCY }, async () => {
        for (;;) {
          const sentAt = performance.now() - start;
          if (sentAt > Math.min(firstLimited + GUESS_SECONDS * 1000, 120_000)) break;
          const r = await post(serve.origin, { username: `user${n++}`, password: 'guess-guess' });
          const at = performance.now() - start;
          if (r.status === 429) firstLimited = Math.min(firstLimited, at);
          answers.push({ sentAt, at, status: r.status });
        }
      }),
    );
    const answered = answers.filter((a) => a.status === 401);
    const limited = answers.filter((a) => a.status === 429);
    const lastAnswered = Math.max(...answered.map((a) => a.at));
    guesser = {
      accountFailuresAnswered: account.filter((s) => s === 401).length,
      accountStatuses: account,
      rightPasswordAfterThem: {
        status: rightPassword.status,
        retryAfterS: rightPassword.retryAfterS,
      },
      concurrency: GUESS_CONCURRENCY,
      secondsAfterLimit: GUESS_SECONDS,
      otherUsernamesAnswered: answered.length,
      addressFailuresInAll: answered.length + account.filter((s) => s === 401).length,
      guessesPerSecondBeforeLimit:
        lastAnswered > 0 ? Math.round((answered.length / lastAnswered) * 10_000) / 10 : null,
      limitReachedAfterMs: Math.round(firstLimited),
      /** Wrong passwords still checked for requests sent after the first 429: should be 0. */
      answeredAfterLimit: answered.filter((a) => a.sentAt > firstLimited).length,
      refused429: limited.length,
      refused429PerSecond: Math.round(
        limited.length / ((Math.max(...limited.map((a) => a.at)) - firstLimited) / 1000 || 1),
      ),
      otherStatuses: answers.filter((a) => a.status !== 401 && a.status !== 429).length,
    };
  } finally {
    await serve.stop();
  }

  // 4. The same limits against a burst: BURST wrong passwords for one account sent at once.
  const fresh = await startServe();
  let burst;
  try {
    const start = performance.now();
    const statuses = await Promise.all(
      Array.from({ length: BURST }, (_, i) =>
        post(fresh.origin, { ...BENCH_ADMIN, password: `burst ${i}` }).then((r) => r.status),
      ),
    );
    burst = {
      sentAtOnce: BURST,
      checked401: statuses.filter((x) => x === 401).length,
      refused429: statuses.filter((x) => x === 429).length,
      ms: Math.round(performance.now() - start),
    };
  } finally {
    await fresh.stop();
  }

  console.log(
    JSON.stringify({
      bench: 'sign-in',
      runs: RUNS,
      profiles,
      signInRoundTripMs: roundTrip,
      guesserOneAddress: guesser,
      burstOneAccount: burst,
      load: loadavg().map((x) => Math.round(x * 100) / 100),
    }),
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
