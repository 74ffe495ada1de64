// Builds better-sqlite3 for the installed Electron's ABI into .electron-native/better_sqlite3.node.
//
// node_modules/better-sqlite3 stays the Node build (for `serve`, tests and benchmarks): the
// package is copied to .electron-native/build/ and rebuilt there with @electron/rebuild, which
// downloads a prebuilt Electron binary (prebuild-install) or compiles from source (node-gyp with
// Electron headers). Either way it needs the internet the first time. The desktop app passes the
// result to better-sqlite3 as `nativeBinding` (see src-main/electron/startup.ts). A packaged app
// does not use it: electron-builder rebuilds node_modules for Electron (`npmRebuild`).
//
// Usage: node scripts/electron-native.mjs [--force]
import {
  cpSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const outDir = join(root, '.electron-native');
const output = join(outDir, 'better_sqlite3.node');
// Inside the project on purpose: @electron/rebuild finds prebuild-install by walking up to
// the project's node_modules, while `projectRootPath` keeps it from touching that folder.
const workDir = join(outDir, 'build');

const log = (message) => process.stderr.write(`[electron-native] ${message}\n`);

function fail(message, error) {
  rmSync(workDir, { recursive: true, force: true });
  log(message);
  if (error) log(`cause: ${error instanceof Error ? error.message : String(error)}`);
  log(
    'This step downloads a better-sqlite3 binary built for Electron (or Electron headers to ' +
      'compile one, which also needs python3 and a C++ toolchain), so it needs internet access. ' +
      'Run it again when online: node scripts/electron-native.mjs. `npm run serve` and the ' +
      'tests do not need it.',
  );
  process.exit(1);
}

function packageDir(name) {
  const dir = join(root, 'node_modules', name);
  if (!existsSync(join(dir, 'package.json')))
    fail(`${name} is not installed; run \`npm ci\` first.`);
  return dir;
}

const electronDir = packageDir('electron');
const sqliteDir = packageDir('better-sqlite3');
const electronPkg = join(electronDir, 'package.json');
const sqlitePkg = join(sqliteDir, 'package.json');
const electronVersion = JSON.parse(readFileSync(electronPkg, 'utf8')).version;
const sqliteVersion = JSON.parse(readFileSync(sqlitePkg, 'utf8')).version;

if (!process.argv.includes('--force') && existsSync(output)) {
  const built = statSync(output).mtimeMs;
  if (built > statSync(electronPkg).mtimeMs && built > statSync(sqlitePkg).mtimeMs) {
    log(`up to date (better-sqlite3 ${sqliteVersion} for Electron ${electronVersion})`);
    process.exit(0);
  }
}

let rebuild;
try {
  ({ rebuild } = await import('@electron/rebuild'));
} catch (error) {
  fail('@electron/rebuild is not installed; run `npm ci` first.', error);
}

log(
  `building better-sqlite3 ${sqliteVersion} for Electron ${electronVersion} (${process.platform}-${process.arch})`,
);
rmSync(workDir, { recursive: true, force: true });
const moduleDir = join(workDir, 'node_modules', 'better-sqlite3');
mkdirSync(dirname(moduleDir), { recursive: true });
// The sources only: the Node build in build/ must neither be copied nor overwritten.
cpSync(sqliteDir, moduleDir, {
  recursive: true,
  filter: (src) => {
    const rel = relative(sqliteDir, src);
    const top = rel.split(sep)[0];
    return top !== 'build' && top !== 'node_modules' && top !== 'prebuilds';
  },
});
writeFileSync(
  join(workDir, 'package.json'),
  JSON.stringify(
    {
      name: 'airdeck-electron-native',
      private: true,
      dependencies: { 'better-sqlite3': sqliteVersion },
    },
    null,
    2,
  ),
);

try {
  const job = rebuild({
    buildPath: workDir,
    projectRootPath: workDir,
    electronVersion,
    onlyModules: ['better-sqlite3'],
    force: true,
    mode: 'sequential',
  });
  job.lifecycle.on('module-found', (name) => log(`rebuilding ${name}`));
  await job;
} catch (error) {
  fail(`could not build better-sqlite3 for Electron ${electronVersion}.`, error);
}

const built = join(moduleDir, 'build', 'Release', 'better_sqlite3.node');
if (!existsSync(built)) fail(`the rebuild finished but ${relative(root, built)} is missing.`);
// Copy then rename, so a half-written file is never mistaken for an up-to-date one.
copyFileSync(built, `${output}.tmp`);
renameSync(`${output}.tmp`, output);
rmSync(workDir, { recursive: true, force: true });
log(`wrote ${relative(root, output)}`);
