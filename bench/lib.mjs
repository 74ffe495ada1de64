// Shared helpers for benchmarks: start the built `serve` on a temp data folder, percentiles.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

export async function startServe(extraArgs = []) {
  const dataDir = mkdtempSync(join(tmpdir(), 'airdeck-bench-'));
  const child = spawn(
    process.execPath,
    ['dist/main/cli.cjs', 'serve', '--port', '0', '--data', dataDir, ...extraArgs],
    {
      stdio: ['ignore', 'pipe', 'ignore'],
    },
  );
  const match = await new Promise((resolve, reject) => {
    createInterface({ input: child.stdout }).on('line', (line) => {
      const m = /^Airdeck ready at http:\/\/([^/]+)\/\?token=(\S+)$/.exec(line);
      if (m) resolve(m);
    });
    child.once('exit', (code) => reject(new Error(`serve exited (${code})`)));
  });
  return {
    hostPort: match[1],
    token: decodeURIComponent(match[2]),
    async stop() {
      child.kill('SIGTERM');
      await new Promise((resolve) => child.once('exit', resolve));
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export function percentile(sorted, p) {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
}

export function summarize(samples) {
  const sorted = [...samples].sort((a, b) => a - b);
  const round = (x) => Math.round(x * 1000) / 1000;
  return {
    n: sorted.length,
    p50: round(percentile(sorted, 50)),
    p95: round(percentile(sorted, 95)),
    max: round(sorted.at(-1)),
  };
}
