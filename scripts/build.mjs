// Builds the main-process bundles (esbuild) and the renderer (vite) into dist/.
// `--if-needed` skips the work when no source is newer than the last build, so
// `npm run serve` starts in a second on an unchanged tree.
import { build as esbuild } from 'esbuild';
import { build as viteBuild } from 'vite';
import {
  mkdirSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
  existsSync,
  readFileSync,
} from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const stampFile = join(root, 'dist', '.build-stamp');
const inputs = [
  'src-shared',
  'src-main',
  'src-renderer',
  'resources',
  'package.json',
  'vite.config.ts',
  'scripts/build.mjs',
];

function newestMtime(path) {
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const name of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, name)));
  return newest;
}

function sourcesNewest() {
  return Math.max(
    ...inputs
      .map((p) => join(root, p))
      .filter(existsSync)
      .map(newestMtime),
  );
}

const log = (msg) => process.stderr.write(`[build] ${msg}\n`);

if (process.argv.includes('--if-needed') && existsSync(stampFile)) {
  const built = Number(readFileSync(stampFile, 'utf8'));
  if (built >= sourcesNewest()) process.exit(0);
}

const started = Date.now();
const newest = sourcesNewest();
mkdirSync(join(root, 'dist', 'main'), { recursive: true });
// Maps an older build left behind would still ship (see `sourcemap` below).
for (const name of readdirSync(join(root, 'dist', 'main'))) {
  if (name.endsWith('.map')) rmSync(join(root, 'dist', 'main', name));
}

const { version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  // No source maps anywhere we ship: `serve` (its bundle, and the renderer it serves to anyone
  // who asks, token or not) would hand out the whole source. The desktop bundles share this:
  // its installers already leave *.map out (electron-builder.yml), so maps would only help
  // here, and a stack trace names bundle lines that a local build reproduces.
  sourcemap: false,
  logLevel: 'warning',
  define: { __AIRDECK_VERSION__: JSON.stringify(version) },
};

await Promise.all([
  // Node packages stay in node_modules (native better-sqlite3, ffmpeg-static's binary path).
  esbuild({
    ...common,
    entryPoints: { cli: 'src-main/cli/main.ts' },
    outdir: 'dist/main',
    outExtension: { '.js': '.cjs' },
    packages: 'external',
  }),
  esbuild({
    ...common,
    entryPoints: { electron: 'src-main/electron/main.ts' },
    outdir: 'dist/main',
    outExtension: { '.js': '.cjs' },
    packages: 'external',
  }),
  // A sandboxed preload may only require('electron'): everything else is bundled in.
  esbuild({
    ...common,
    entryPoints: { preload: 'src-main/electron/preload.ts' },
    outdir: 'dist/main',
    outExtension: { '.js': '.cjs' },
    external: ['electron'],
  }),
]);
log(`main bundles in ${Date.now() - started} ms`);

await viteBuild({ configFile: join(root, 'vite.config.ts'), logLevel: 'warn' });
log(`renderer in ${Date.now() - started} ms`);

writeFileSync(stampFile, String(newest));
