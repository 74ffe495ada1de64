// Finds the ffmpeg and ffprobe executables: an explicit override wins, then the copy shipped
// with the app, then whatever the system has on PATH. The result says which one was chosen so
// logs and the dashboard can show it.
import { execFile } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, dirname, join } from 'node:path';

export type BinarySource = 'env' | 'bundled' | 'path';

export interface ResolvedBinary {
  path: string;
  source: BinarySource;
}

export interface ResolvedBinaries {
  ffmpeg: ResolvedBinary;
  ffprobe: ResolvedBinary;
}

export interface ResolveFfmpegOptions {
  /** Environment to read overrides and PATH from (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** The bundled ffmpeg path; null disables it, undefined asks ffmpeg-static. */
  staticPath?: string | null;
  /** PATH search (default: walk `env.PATH`). */
  pathLookup?: (name: string) => string | null;
}

export type BinaryName = 'ffmpeg' | 'ffprobe';

export const FFMPEG_ENV = 'AIRDECK_FFMPEG';
export const FFPROBE_ENV = 'AIRDECK_FFPROBE';

export class FfmpegNotFoundError extends Error {
  override readonly name = 'FfmpegNotFoundError';
  constructor(
    message: string,
    readonly binary: BinaryName,
    readonly variable: string,
  ) {
    super(message);
  }
}

const isWindows = process.platform === 'win32';

function isExecutableFile(path: string): boolean {
  try {
    if (!statSync(path).isFile()) return false;
    // Windows has no execute bit; existence of the .exe is the best available signal.
    if (!isWindows) accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** Inside a packaged Electron app, executables cannot run from app.asar: use the unpacked copy. */
export function unpackedAsarPath(path: string): string {
  return path.replace(/([\\/])app\.asar(?=[\\/])/, '$1app.asar.unpacked');
}

/**
 * What ffmpeg-static says its binary path is (the file may not exist: its download can fail).
 * Works both from vitest (which defines __filename for ESM) and the esbuild CJS bundle;
 * import.meta is avoided because esbuild empties it in CJS output.
 */
export function bundledFfmpegPath(): string | null {
  try {
    const base = typeof __filename === 'string' ? __filename : join(process.cwd(), 'index.js');
    const exported: unknown = createRequire(base)('ffmpeg-static');
    return typeof exported === 'string' && exported !== '' ? exported : null;
  } catch {
    // It is an optional dependency: absent on some installs.
    return null;
  }
}

/** Walks PATH like a shell would; returns the first executable match. */
export function findOnPath(name: string, env: NodeJS.ProcessEnv = process.env): string | null {
  // Windows spells the variable in any case (Path is common).
  const pathVar = isWindows
    ? Object.entries(env).find(([key]) => key.toUpperCase() === 'PATH')?.[1]
    : env.PATH;
  const fileName = isWindows && !name.toLowerCase().endsWith('.exe') ? `${name}.exe` : name;
  for (const dir of (pathVar ?? '').split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, fileName);
    if (isExecutableFile(candidate)) return candidate;
  }
  return null;
}

function fromEnv(env: NodeJS.ProcessEnv, variable: string, binary: BinaryName): string | null {
  const value = env[variable];
  if (value === undefined || value.trim() === '') return null;
  let problem: string | null = null;
  try {
    const st = statSync(value);
    if (!st.isFile()) problem = 'is not a file';
    else if (!isExecutableFile(value)) problem = 'is not executable';
  } catch {
    problem = 'does not exist';
  }
  if (problem !== null) {
    throw new FfmpegNotFoundError(
      `${variable} is set to "${value}", which ${problem}. Point it at the ${binary} executable or unset it.`,
      binary,
      variable,
    );
  }
  return value;
}

function siblingProbe(ffmpegPath: string): string | null {
  const candidate = join(dirname(ffmpegPath), isWindows ? 'ffprobe.exe' : 'ffprobe');
  return isExecutableFile(candidate) ? candidate : null;
}

export function resolveFfmpeg(options: ResolveFfmpegOptions = {}): ResolvedBinaries {
  const env = options.env ?? process.env;
  const lookup = options.pathLookup ?? ((name: string) => findOnPath(name, env));

  const ffmpeg = resolveMain(env, options.staticPath, lookup);

  const probeOverride = fromEnv(env, FFPROBE_ENV, 'ffprobe');
  let ffprobe: ResolvedBinary | null = null;
  if (probeOverride !== null) ffprobe = { path: probeOverride, source: 'env' };
  else {
    // ffmpeg-static ships no ffprobe, but distributions and env overrides usually put
    // the pair side by side, and a matching pair avoids version skew.
    const sibling = siblingProbe(ffmpeg.path);
    if (sibling !== null) ffprobe = { path: sibling, source: ffmpeg.source };
    else {
      const onPath = lookup('ffprobe');
      if (onPath !== null) ffprobe = { path: onPath, source: 'path' };
    }
  }
  if (ffprobe === null) {
    throw new FfmpegNotFoundError(
      `ffprobe was not found next to ${ffmpeg.path} or on PATH. Install ffmpeg (which includes ffprobe) or set ${FFPROBE_ENV} to the ffprobe executable.`,
      'ffprobe',
      FFPROBE_ENV,
    );
  }
  return { ffmpeg, ffprobe };
}

function resolveMain(
  env: NodeJS.ProcessEnv,
  staticPath: string | null | undefined,
  lookup: (name: string) => string | null,
): ResolvedBinary {
  const override = fromEnv(env, FFMPEG_ENV, 'ffmpeg');
  if (override !== null) return { path: override, source: 'env' };

  const bundled = staticPath === undefined ? bundledFfmpegPath() : staticPath;
  if (bundled !== null) {
    const unpacked = unpackedAsarPath(bundled);
    if (isExecutableFile(unpacked)) return { path: unpacked, source: 'bundled' };
  }

  const onPath = lookup('ffmpeg');
  if (onPath !== null) return { path: onPath, source: 'path' };

  throw new FfmpegNotFoundError(
    `ffmpeg was not found: no ${FFMPEG_ENV} override, no bundled copy, nothing on PATH. Install ffmpeg (e.g. "apt install ffmpeg", "brew install ffmpeg" or from ffmpeg.org) or set ${FFMPEG_ENV} to the ffmpeg executable.`,
    'ffmpeg',
    FFMPEG_ENV,
  );
}

/** One line for logs: which binaries are used and why. */
export function describeBinaries(binaries: ResolvedBinaries): string {
  const label = { env: 'from environment override', bundled: 'bundled', path: 'from PATH' };
  return (['ffmpeg', 'ffprobe'] as const)
    .map((name) => `${name}: ${binaries[name].path} (${label[binaries[name].source]})`)
    .join('; ');
}

/** Runs `<binary> -version` and returns the version token, e.g. "5.1.8-0+deb12u1". */
export function probeFfmpegVersion(path: string, timeoutMs = 10_000): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      path,
      ['-version'],
      { timeout: timeoutMs, windowsHide: true, maxBuffer: 1024 * 1024 },
      (error, stdout) => {
        if (error) {
          reject(
            new Error(`Running "${path} -version" failed: ${error.message}`, { cause: error }),
          );
          return;
        }
        const firstLine = stdout.split('\n', 1)[0] ?? '';
        const match = /^\S+ version (\S+)/.exec(firstLine.trim());
        if (!match?.[1]) {
          reject(new Error(`Unexpected "${path} -version" output: ${firstLine.slice(0, 200)}`));
          return;
        }
        resolve(match[1]);
      },
    );
  });
}
