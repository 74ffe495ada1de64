import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createCore } from '../core/create-core';
import { AppError } from '../core/errors';
import { createStderrLogger } from '../core/logger';
import { APP_VERSION } from '../core/version';

const IMPORT_USAGE = `Usage: airdeck import [--data DIR] [--folder LIBRARY/PATH] [--json] PATHS…

  Imports media files (or folders, recursively) into the library and waits until each one is
  ready or has failed. One line per file; exit code 0 when all are ready, 2 when any failed.

  --data DIR             data folder; default ~/.airdeck or $AIRDECK_DATA
  --folder LIBRARY/PATH  library folder, created if missing; default the library root
  --json                 one JSON object per line: {"path","assetId","state","error"}
`;

type Line = {
  path: string;
  assetId: number | null;
  state: 'ready' | 'failed';
  error: string | null;
};

function printLine(line: Line, json: boolean): void {
  if (json) process.stdout.write(`${JSON.stringify(line)}\n`);
  else if (line.state === 'ready')
    process.stdout.write(`ready   ${line.path}  (asset ${line.assetId})\n`);
  else process.stdout.write(`failed  ${line.path}: ${line.error ?? 'unknown error'}\n`);
}

export async function runImport(argv: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: true,
      options: {
        data: { type: 'string' },
        folder: { type: 'string' },
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    });
  } catch (error) {
    process.stderr.write(
      `airdeck import: ${error instanceof Error ? error.message : String(error)}\n\n${IMPORT_USAGE}`,
    );
    return 64;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(IMPORT_USAGE);
    return 0;
  }
  if (positionals.length === 0) {
    process.stderr.write(`airdeck import: give at least one file or folder\n\n${IMPORT_USAGE}`);
    return 64;
  }
  const json = values.json ?? false;
  const dataDir = resolve(values.data ?? process.env.AIRDECK_DATA ?? join(homedir(), '.airdeck'));
  const logger = createStderrLogger('airdeck import');
  const core = await createCore({ dataDir, mode: 'headless', version: APP_VERSION, logger });
  try {
    // A one-shot import must not start importing the station's watch folders as a side effect.
    await core.library.watch.close();
    let folderId: number;
    try {
      folderId = core.library.folderByPath(values.folder ?? '', true).id;
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      process.stderr.write(`airdeck import: --folder: ${error.message}\n`);
      return 64;
    }
    // Relative paths are the shell user's: resolve them here, the core only takes absolute ones.
    // Any path: the allowed roots keep the core's remote callers in, and this is the shell
    // user, who can read these files (and the data folder) without Airdeck.
    const results = await core.library.importPaths(
      positionals.map((p) => resolve(p)),
      folderId,
      'any-path',
    );
    const reasonOf = (id: number) => {
      try {
        return core.library.asset(id).error ?? 'ingest failed';
      } catch {
        return 'the asset was deleted while importing';
      }
    };
    let failed = 0;
    await Promise.all(
      results.map(async (result) => {
        if (result.assetId === null) {
          failed += 1;
          printLine(
            { path: result.path, assetId: null, state: 'failed', error: result.error },
            json,
          );
          return;
        }
        const state = await core.ingest.whenSettled(result.assetId);
        const error = state === 'ready' ? null : reasonOf(result.assetId);
        if (state !== 'ready') failed += 1;
        printLine(
          {
            path: result.path,
            assetId: result.assetId,
            state: state === 'ready' ? 'ready' : 'failed',
            error,
          },
          json,
        );
      }),
    );
    return failed > 0 ? 2 : 0;
  } finally {
    await core.close();
  }
}
