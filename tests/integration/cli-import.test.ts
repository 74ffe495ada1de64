import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeClip, makeEmptyFile, makeNonMediaFile } from '../helpers/media-fixtures';
import { makeTempDir } from '../helpers/temp-dir';

const CLI = resolve('dist/main/cli.cjs');

function runCli(
  args: string[],
  cwd: string,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [CLI, ...args], {
      cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('error', fail);
    child.on('exit', (code) => done({ code, stdout, stderr }));
  });
}

describe('airdeck import (built CLI)', () => {
  let dir: ReturnType<typeof makeTempDir>;
  let good: string;
  const data = () => join(dir.path, 'data');

  beforeAll(async () => {
    if (!existsSync(CLI))
      throw new Error('dist/main/cli.cjs is missing: run `node scripts/build.mjs`');
    dir = makeTempDir();
    good = await makeClip(join(dir.path, 'Good “clip” – Ειδήσεις.mp4'), { durationS: 2 });
    makeEmptyFile(join(dir.path, 'zero bytes.mp4'));
    makeNonMediaFile(join(dir.path, 'shopping list.mov'));
  });
  afterAll(() => dir.remove());

  it('prints one JSON line per file and exits 2 when any failed', async () => {
    const result = await runCli(
      [
        'import',
        '--data',
        data(),
        '--folder',
        'Inbox/CLI',
        '--json',
        'Good “clip” – Ειδήσεις.mp4',
        'zero bytes.mp4',
        'shopping list.mov',
        'missing.mp4',
      ],
      dir.path,
    );
    expect(result.code).toBe(2);
    const lines = result.stdout
      .trim()
      .split('\n')
      .map(
        (l) =>
          JSON.parse(l) as {
            path: string;
            assetId: number | null;
            state: string;
            error: string | null;
          },
      );
    expect(lines).toHaveLength(4);
    const byName = new Map(lines.map((l) => [l.path.slice(dir.path.length + 1), l]));
    expect(byName.get('Good “clip” – Ειδήσεις.mp4')).toMatchObject({
      path: good,
      state: 'ready',
      error: null,
      assetId: expect.any(Number),
    });
    expect(byName.get('zero bytes.mp4')).toMatchObject({
      state: 'failed',
      error: expect.stringMatching(/empty/),
    });
    expect(byName.get('shopping list.mov')).toMatchObject({
      state: 'failed',
      error: expect.any(String),
    });
    expect(byName.get('missing.mp4')).toMatchObject({
      state: 'failed',
      assetId: null,
      error: 'does not exist',
    });
  });

  it('prints readable lines and exits 0 when all are ready, into an existing folder path', async () => {
    const result = await runCli(
      ['import', '--data', data(), '--folder', 'inbox/cli', good],
      dir.path,
    );
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^ready\s+.*Good “clip” – Ειδήσεις\.mp4\s+\(asset \d+\)\n$/);
  });

  it('exits 64 on usage errors', async () => {
    expect((await runCli(['import', '--data', data()], dir.path)).code).toBe(64);
    expect((await runCli(['import', '--bogus', good], dir.path)).code).toBe(64);
    expect(
      (await runCli(['import', '--data', data(), '--folder', 'a/../..', good], dir.path)).code,
    ).toBe(64);
  });
});
