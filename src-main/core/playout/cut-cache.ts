import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Cut } from '../../../src-shared/playout';
import type { CoreContext } from '../core-context';
import { runFfmpeg } from '../ffmpeg';
import type { MediaTables, Variant } from './media-tables';
import { buildCutArgs } from './playout-commands';
import { encodeProfile, type Slate } from './slate';

/** What a cut is made from: a segment of an asset's rendition, or of the slate. */
export type CutSource = { assetId: number | 'slate'; seq: number; cut: Cut };

/**
 * Cut segments (a programme's in/out point inside a segment, a gap's last piece of slate),
 * each made once by ffmpeg and kept beside its media. Jobs run one or two at a time, ahead of
 * air by the preparer; a request for a missing one joins the job already running for it.
 */
export function createCutCache(context: CoreContext, tables: MediaTables, slate: Slate) {
  const running = new Map<string, Promise<string>>();
  const queue: (() => Promise<void>)[] = [];
  let active = 0;
  let closed = false;
  const CONCURRENCY = 2;

  function path(source: CutSource, variant: Variant): string {
    const base =
      source.assetId === 'slate' ? slate.dir : join(context.mediaDir, String(source.assetId));
    return join(
      base,
      'cuts',
      `${variant}_${source.seq}_${source.cut.fromMs}_${source.cut.toMs}.ts`,
    );
  }

  function sourceFile(source: CutSource, variant: Variant): string | undefined {
    if (source.assetId === 'slate') return slate.file(variant, source.seq);
    return tables.get(source.assetId, variant)?.files[source.seq]?.path;
  }

  function pump(): void {
    while (active < CONCURRENCY && queue.length > 0 && !closed) {
      const job = queue.shift() as () => Promise<void>;
      active += 1;
      void job().finally(() => {
        active -= 1;
        pump();
      });
    }
  }

  async function make(source: CutSource, variant: Variant, output: string): Promise<string> {
    const binaries = context.ffmpeg.binaries;
    if (!binaries) throw new Error('ffmpeg is not available');
    if (source.assetId === 'slate') await slate.ready;
    const input = sourceFile(source, variant);
    if (!input || !existsSync(input)) throw new Error(`source segment of cut ${output} is missing`);
    await mkdir(dirname(output), { recursive: true });
    const temp = `${output}.tmp-${randomBytes(4).toString('hex')}`;
    try {
      await runFfmpeg(
        buildCutArgs({
          source: input,
          output: temp,
          profile: encodeProfile(context.settings.get().houseProfile, variant),
          fromMs: source.cut.fromMs,
          toMs: source.cut.toMs,
        }),
        { binary: binaries.ffmpeg.path, registry: context.ffmpeg.registry, label: `cut ${output}` },
      ).done;
      await rename(temp, output);
      return output;
    } finally {
      await rm(temp, { force: true });
    }
  }

  /** The cut's file once it exists (made now if needed; one job per cut however many ask). */
  function request(source: CutSource, variant: Variant): Promise<string> {
    const output = path(source, variant);
    if (existsSync(output)) return Promise.resolve(output);
    const pending = running.get(output);
    if (pending) return pending;
    const promise = new Promise<string>((resolve, reject) => {
      queue.push(() => make(source, variant, output).then(resolve, reject));
      pump();
    });
    running.set(output, promise);
    void promise.then(
      () => running.delete(output),
      () => running.delete(output),
    );
    return promise;
  }

  return {
    path,
    ready: (source: CutSource, variant: Variant) => existsSync(path(source, variant)),
    request,
    /** Queue a cut ahead of air; failures show up when it is needed. */
    prepare(source: CutSource, variant: Variant): void {
      request(source, variant).catch((error: unknown) =>
        context.logger.warn(
          `cut not made: ${error instanceof Error ? error.message : String(error)}`,
        ),
      );
    },
    pending: () => running.size,
    close(): void {
      closed = true;
      queue.length = 0;
    },
  };
}
export type CutCache = ReturnType<typeof createCutCache>;
