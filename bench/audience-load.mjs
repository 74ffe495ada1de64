// Playlist latency with and without audience counting, in one run on one station: the
// baseline is another commit (default `main`, before audience counting and /metrics) built into
// a temp copy; both builds serve the same 500-channel demo station in turn (baseline first: the
// newer build then migrates its database) under `bench/playout-load.mjs`'s open loop, with the
// default alarm detectors running (`--monitor-channels`). Each line of playout-load is printed
// with `build` set to `without-audience` or `with-audience`.
// Env: AUDIENCE_BASELINE_REF (main), PLAYOUT_RATE (2000), PLAYOUT_SECONDS (30),
// PLAYOUT_SETTLE_S (30), PLAYOUT_CHANNELS (500); AUDIENCE_BASELINE_DIR (a baseline checkout
// already built there) and AUDIENCE_DATA (a station folder already seeded by the baseline) are
// used and kept instead of made, so a second run skips the build and the seeding.
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const root = new URL('..', import.meta.url).pathname;
const ref = process.env.AUDIENCE_BASELINE_REF ?? 'main';
const keptBaseline = process.env.AUDIENCE_BASELINE_DIR;
const keptData = process.env.AUDIENCE_DATA;
const baseline = keptBaseline ?? mkdtempSync(join(tmpdir(), 'airdeck-baseline-'));
const data = keptData ?? mkdtempSync(join(tmpdir(), 'airdeck-audience-load-'));

function runLoad(build, cli) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(root, 'bench', 'playout-load.mjs')], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'inherit'],
      env: {
        ...process.env,
        PLAYOUT_CLI: cli,
        PLAYOUT_DATA: data,
        PLAYOUT_PEER: '0',
        PLAYOUT_RATE: process.env.PLAYOUT_RATE ?? '2000',
        PLAYOUT_SECONDS: process.env.PLAYOUT_SECONDS ?? '30',
        PLAYOUT_SETTLE_S: process.env.PLAYOUT_SETTLE_S ?? '30',
        PLAYOUT_SERVE_ARGS: '--monitor-channels',
      },
    });
    createInterface({ input: child.stdout }).on('line', (line) => {
      try {
        process.stdout.write(`${JSON.stringify({ build, ...JSON.parse(line) })}\n`);
      } catch {
        process.stderr.write(`${line}\n`);
      }
    });
    child.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`${build}: ${code}`))));
  });
}

try {
  if (!keptBaseline) {
    execFileSync('sh', ['-c', `git archive ${ref} | tar -x -C ${baseline}`], { cwd: root });
    symlinkSync(join(root, 'node_modules'), join(baseline, 'node_modules'));
    execFileSync(process.execPath, ['scripts/build.mjs'], { cwd: baseline, stdio: 'ignore' });
  }
  await runLoad('without-audience', join(baseline, 'dist', 'main', 'cli.cjs'));
  await runLoad('with-audience', join(root, 'dist', 'main', 'cli.cjs'));
} finally {
  if (!keptBaseline) rmSync(baseline, { recursive: true, force: true });
  if (!keptData) rmSync(data, { recursive: true, force: true });
}
