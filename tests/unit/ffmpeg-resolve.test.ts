import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  FfmpegNotFoundError,
  bundledFfmpegPath,
  describeBinaries,
  findOnPath,
  probeFfmpegVersion,
  resolveFfmpeg,
  unpackedAsarPath,
} from '../../src-main/core/ffmpeg/resolve-binaries';

// Fake executables are shell scripts, so these tests assume POSIX like the rest of CI.
let root: string;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'airdeck-resolve-'));
});

afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

function fakeExe(dir: string, name: string, script = 'echo fake', mode = 0o755): string {
  mkdirSync(join(root, dir), { recursive: true });
  const path = join(root, dir, name);
  writeFileSync(path, `#!/bin/sh\n${script}\n`);
  chmodSync(path, mode);
  return path;
}

function dir(name: string): string {
  const path = join(root, name);
  mkdirSync(path, { recursive: true });
  return path;
}

function caught(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error('expected a throw');
}

describe('resolveFfmpeg', () => {
  it('uses AIRDECK_FFMPEG and AIRDECK_FFPROBE when they point at executables', () => {
    const ffmpeg = fakeExe('custom', 'my-ffmpeg');
    const ffprobe = fakeExe('other', 'my-ffprobe');
    const bundled = fakeExe('bundled', 'ffmpeg');
    fakeExe('bin', 'ffmpeg');
    fakeExe('bin', 'ffprobe');
    const result = resolveFfmpeg({
      env: { AIRDECK_FFMPEG: ffmpeg, AIRDECK_FFPROBE: ffprobe, PATH: join(root, 'bin') },
      staticPath: bundled,
    });
    expect(result).toEqual({
      ffmpeg: { path: ffmpeg, source: 'env' },
      ffprobe: { path: ffprobe, source: 'env' },
    });
  });

  it('finds ffprobe next to an overridden ffmpeg before looking on PATH', () => {
    const ffmpeg = fakeExe('custom', 'ffmpeg');
    const probe = fakeExe('custom', 'ffprobe');
    fakeExe('bin', 'ffprobe');
    const result = resolveFfmpeg({
      env: { AIRDECK_FFMPEG: ffmpeg, PATH: join(root, 'bin') },
      staticPath: null,
    });
    expect(result.ffprobe).toEqual({ path: probe, source: 'env' });
  });

  it('rejects an AIRDECK_FFMPEG that does not exist, naming the variable', () => {
    fakeExe('bin', 'ffmpeg');
    fakeExe('bin', 'ffprobe');
    const error = caught(() =>
      resolveFfmpeg({
        env: { AIRDECK_FFMPEG: join(root, 'missing'), PATH: join(root, 'bin') },
        staticPath: null,
      }),
    );
    expect(error).toBeInstanceOf(FfmpegNotFoundError);
    expect(error).toMatchObject({ variable: 'AIRDECK_FFMPEG', binary: 'ffmpeg' });
    expect((error as Error).message).toMatch(/AIRDECK_FFMPEG.*does not exist/);
  });

  it('rejects an AIRDECK_FFMPEG that is a directory or not executable', () => {
    const notExec = fakeExe('custom', 'ffmpeg', 'echo', 0o644);
    expect(() => resolveFfmpeg({ env: { AIRDECK_FFMPEG: dir('adir') }, staticPath: null })).toThrow(
      /AIRDECK_FFMPEG.*not a file/,
    );
    expect(() => resolveFfmpeg({ env: { AIRDECK_FFMPEG: notExec }, staticPath: null })).toThrow(
      /AIRDECK_FFMPEG.*not executable/,
    );
  });

  it('rejects an invalid AIRDECK_FFPROBE, naming that variable', () => {
    const ffmpeg = fakeExe('bin', 'ffmpeg');
    fakeExe('bin', 'ffprobe');
    const error = caught(() =>
      resolveFfmpeg({
        env: { AIRDECK_FFMPEG: ffmpeg, AIRDECK_FFPROBE: join(root, 'nope') },
        staticPath: null,
      }),
    );
    expect(error).toBeInstanceOf(FfmpegNotFoundError);
    expect(error).toMatchObject({ variable: 'AIRDECK_FFPROBE', binary: 'ffprobe' });
  });

  it('treats an empty override as unset', () => {
    const ffmpeg = fakeExe('bin', 'ffmpeg');
    fakeExe('bin', 'ffprobe');
    const result = resolveFfmpeg({
      env: { AIRDECK_FFMPEG: '', AIRDECK_FFPROBE: '  ', PATH: join(root, 'bin') },
      staticPath: null,
    });
    expect(result.ffmpeg).toEqual({ path: ffmpeg, source: 'path' });
  });

  it('uses the bundled binary when it exists, with ffprobe from PATH', () => {
    const bundled = fakeExe('node_modules/ffmpeg-static', 'ffmpeg');
    const probe = fakeExe('bin', 'ffprobe');
    fakeExe('bin', 'ffmpeg');
    const result = resolveFfmpeg({ env: { PATH: join(root, 'bin') }, staticPath: bundled });
    expect(result).toEqual({
      ffmpeg: { path: bundled, source: 'bundled' },
      ffprobe: { path: probe, source: 'path' },
    });
  });

  it('falls through to PATH when the bundled binary is missing', () => {
    const ffmpeg = fakeExe('bin', 'ffmpeg');
    const ffprobe = fakeExe('bin', 'ffprobe');
    const result = resolveFfmpeg({
      env: { PATH: `${join(root, 'empty')}:${join(root, 'bin')}` },
      staticPath: join(root, 'node_modules/ffmpeg-static/ffmpeg'),
    });
    expect(result).toEqual({
      ffmpeg: { path: ffmpeg, source: 'path' },
      ffprobe: { path: ffprobe, source: 'path' },
    });
  });

  it('runs the bundled binary from app.asar.unpacked in a packaged app', () => {
    const unpacked = fakeExe('resources/app.asar.unpacked/node_modules/ffmpeg-static', 'ffmpeg');
    fakeExe('bin', 'ffprobe');
    const result = resolveFfmpeg({
      env: { PATH: join(root, 'bin') },
      staticPath: join(root, 'resources/app.asar/node_modules/ffmpeg-static/ffmpeg'),
    });
    expect(result.ffmpeg).toEqual({ path: unpacked, source: 'bundled' });
  });

  it('uses an injected PATH lookup', () => {
    const ffmpeg = fakeExe('elsewhere', 'ffmpeg');
    const ffprobe = fakeExe('elsewhere2', 'ffprobe');
    const asked: string[] = [];
    const result = resolveFfmpeg({
      env: {},
      staticPath: null,
      pathLookup: (name) => {
        asked.push(name);
        return name === 'ffmpeg' ? ffmpeg : ffprobe;
      },
    });
    expect(result.ffmpeg).toEqual({ path: ffmpeg, source: 'path' });
    expect(result.ffprobe).toEqual({ path: ffprobe, source: 'path' });
    expect(asked).toEqual(['ffmpeg', 'ffprobe']);
  });

  it('throws a clear error when nothing is found', () => {
    const error = caught(() =>
      resolveFfmpeg({ env: { PATH: dir('empty') }, staticPath: join(root, 'missing') }),
    );
    expect(error).toBeInstanceOf(FfmpegNotFoundError);
    expect(error).toMatchObject({ binary: 'ffmpeg', variable: 'AIRDECK_FFMPEG' });
    expect((error as Error).message).toMatch(/Install ffmpeg/);
    expect((error as Error).message).toMatch(/AIRDECK_FFMPEG/);
  });

  it('throws naming ffprobe when only ffmpeg is found', () => {
    fakeExe('bin', 'ffmpeg');
    const error = caught(() =>
      resolveFfmpeg({ env: { PATH: join(root, 'bin') }, staticPath: null }),
    );
    expect(error).toBeInstanceOf(FfmpegNotFoundError);
    expect(error).toMatchObject({ binary: 'ffprobe', variable: 'AIRDECK_FFPROBE' });
    expect((error as Error).message).toMatch(/ffprobe/);
  });

  it('asks ffmpeg-static by default and only uses its binary if it exists', () => {
    const ffmpeg = fakeExe('bin', 'ffmpeg');
    fakeExe('bin', 'ffprobe');
    const bundled = bundledFfmpegPath();
    const result = resolveFfmpeg({ env: { PATH: join(root, 'bin') } });
    if (bundled !== null && existsSync(bundled)) {
      expect(result.ffmpeg).toEqual({ path: bundled, source: 'bundled' });
    } else {
      expect(result.ffmpeg).toEqual({ path: ffmpeg, source: 'path' });
    }
  });
});

describe('bundledFfmpegPath', () => {
  // ffmpeg-static is optional: an offline install drops it when its download fails.
  const installed = existsSync(join('node_modules', 'ffmpeg-static', 'package.json'));

  it.runIf(installed)('points into the ffmpeg-static package when it is installed', () => {
    expect(bundledFfmpegPath()).toContain(`${sep}ffmpeg-static${sep}ffmpeg`);
  });

  it.runIf(!installed)('is null when ffmpeg-static is not installed', () => {
    expect(bundledFfmpegPath()).toBeNull();
  });
});

describe('findOnPath', () => {
  it('skips directories, non-executable files and empty PATH entries', () => {
    fakeExe('a', 'ffmpeg', 'echo', 0o644);
    dir('b/ffmpeg');
    const good = fakeExe('c', 'ffmpeg');
    const PATH = ['', join(root, 'a'), join(root, 'b'), join(root, 'c')].join(':');
    expect(findOnPath('ffmpeg', { PATH })).toBe(good);
  });

  it('returns null without PATH', () => {
    expect(findOnPath('ffmpeg', {})).toBeNull();
  });
});

describe('unpackedAsarPath', () => {
  it('rewrites the app.asar directory only', () => {
    expect(
      unpackedAsarPath('/opt/Airdeck/resources/app.asar/node_modules/ffmpeg-static/ffmpeg'),
    ).toBe('/opt/Airdeck/resources/app.asar.unpacked/node_modules/ffmpeg-static/ffmpeg');
    expect(unpackedAsarPath('C:\\Airdeck\\resources\\app.asar\\ffmpeg.exe')).toBe(
      'C:\\Airdeck\\resources\\app.asar.unpacked\\ffmpeg.exe',
    );
    expect(unpackedAsarPath('/x/app.asar.unpacked/ffmpeg')).toBe('/x/app.asar.unpacked/ffmpeg');
    expect(unpackedAsarPath('/x/myapp.asar/ffmpeg')).toBe('/x/myapp.asar/ffmpeg');
    expect(unpackedAsarPath('/usr/bin/ffmpeg')).toBe('/usr/bin/ffmpeg');
  });
});

describe('describeBinaries', () => {
  it('says which binary is used and where it came from', () => {
    expect(
      describeBinaries({
        ffmpeg: { path: '/a/ffmpeg', source: 'bundled' },
        ffprobe: { path: '/usr/bin/ffprobe', source: 'path' },
      }),
    ).toBe('ffmpeg: /a/ffmpeg (bundled); ffprobe: /usr/bin/ffprobe (from PATH)');
  });
});

describe('probeFfmpegVersion', () => {
  it('returns the version token of the first line', async () => {
    const exe = fakeExe(
      'v',
      'ffmpeg',
      'echo "ffmpeg version 5.1.8-0+deb12u1 Copyright (c) 2000-2025 the FFmpeg developers"; echo "built with gcc"',
    );
    await expect(probeFfmpegVersion(exe)).resolves.toBe('5.1.8-0+deb12u1');
  });

  it('rejects on unexpected output or a failing binary', async () => {
    await expect(probeFfmpegVersion(fakeExe('v', 'weird', 'echo hello'))).rejects.toThrow(
      /Unexpected/,
    );
    await expect(probeFfmpegVersion(fakeExe('v', 'broken', 'exit 3'))).rejects.toThrow(/failed/);
    await expect(probeFfmpegVersion(join(root, 'missing'))).rejects.toThrow(/failed/);
  });
});
