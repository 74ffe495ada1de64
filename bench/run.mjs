// Runs benchmarks one after another; each prints one JSON line on stdout.
// `*.mjs` files run as they are (against the built dist/); `*.bench.ts` files are bundled with
// esbuild first so they can use the core's TypeScript modules directly.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';

const only = process.argv.slice(2);
const benchDir = new URL('.', import.meta.url).pathname;
const benches = readdirSync(benchDir)
  .filter(
    (f) => (f.endsWith('.mjs') && !['run.mjs', 'lib.mjs'].includes(f)) || f.endsWith('.bench.ts'),
  )
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)));

// Bundles live inside the checkout so `require('better-sqlite3')` resolves from node_modules.
const cacheDir = join(benchDir, '..', 'node_modules', '.cache');
mkdirSync(cacheDir, { recursive: true });
const outDir = mkdtempSync(join(cacheDir, 'airdeck-bench-'));
let failed = 0;
try {
  for (const file of benches) {
    let entry = join(benchDir, file);
    if (file.endsWith('.ts')) {
      const outfile = join(outDir, file.replace(/\.ts$/, '.cjs'));
      await build({
        entryPoints: [entry],
        outfile,
        bundle: true,
        platform: 'node',
        target: 'node20',
        format: 'cjs',
        packages: 'external',
        logLevel: 'warning',
      });
      entry = outfile;
    }
    const result = spawnSync(process.execPath, [entry], {
      stdio: 'inherit',
      cwd: join(benchDir, '..'),
    });
    if (result.status !== 0) {
      failed += 1;
      process.stderr.write(`bench ${file} failed (${result.status ?? result.signal})\n`);
    }
  }
} finally {
  rmSync(outDir, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
