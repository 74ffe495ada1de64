import { existsSync, statSync } from 'node:fs';
import type { PlayoutAlarm } from '../../../src-shared/contract';
import type { PlannedSegment, SegmentSource } from '../../../src-shared/playout';
import type { CutCache, CutSource } from './cut-cache';
import type { MediaTables, Variant } from './media-tables';
import type { Slate } from './slate';

export type Substitution = { kind: PlayoutAlarm['kind']; message: string };

/** A planned segment with the file that carries it for one variant. */
export type ResolvedSegment = PlannedSegment & {
  variant: Variant;
  /** Absolute path of the bytes to send. */
  file: string;
  /** Set when slate stands in for what was planned (the reason is also raised as an alarm). */
  substituted: Substitution | null;
};

const asCutSource = (source: SegmentSource): CutSource | null =>
  source.cut === null
    ? null
    : {
        assetId: source.kind === 'slate' ? 'slate' : source.assetId,
        seq: source.seq,
        cut: source.cut,
      };

/**
 * From planned segment to file: the rendition's segment, a cut, or slate of the same length
 * when the media is missing, damaged (its size differs from ingest's record) or a cut is not
 * ready in time. The channel stays on air whatever is wrong with one file.
 */
export function createSegmentFiles(deps: { tables: MediaTables; slate: Slate; cuts: CutCache }) {
  const { tables, slate, cuts } = deps;
  const slateMs = slate.table[0]?.durationMs ?? 2000;

  /** Slate lasting `durationMs` (a slate cut when shorter than one slate segment). */
  function slateFile(
    durationMs: number,
    variant: Variant,
    wait: boolean,
  ): Promise<string> | string {
    if (durationMs >= slateMs) return slate.file(variant, 0);
    const source: CutSource = { assetId: 'slate', seq: 0, cut: { fromMs: 0, toMs: durationMs } };
    if (cuts.ready(source, variant)) return cuts.path(source, variant);
    if (!wait) {
      cuts.prepare(source, variant);
      return slate.file(variant, 0);
    }
    return cuts.request(source, variant).catch(() => slate.file(variant, 0));
  }

  /** Checks the plain (uncut) file; a reason when it cannot be sent. */
  function plainFile(segment: PlannedSegment, variant: Variant): { file: string } | Substitution {
    const { source } = segment;
    if (source.kind === 'slate') return { file: slate.file(variant, source.seq) };
    const entry = tables.get(source.assetId, variant)?.files[source.seq];
    if (!entry) {
      return {
        kind: 'media_not_ready',
        message: `Asset ${source.assetId} has no ${variant} rendition segment ${source.seq}.`,
      };
    }
    let size: number;
    try {
      size = statSync(entry.path).size;
    } catch {
      return { kind: 'missing_segment', message: `Segment file ${entry.path} is missing.` };
    }
    if (size !== entry.bytes) {
      return {
        kind: 'corrupt_segment',
        message: `Segment file ${entry.path} is ${size} bytes, ingest recorded ${entry.bytes}.`,
      };
    }
    return { file: entry.path };
  }

  /**
   * The file for `segment`. `waitMs` > 0 waits that long for a missing cut (a request), 0
   * answers at once (slate stands in and the cut is queued).
   */
  async function resolve(
    segment: PlannedSegment,
    variant: Variant,
    waitMs: number,
  ): Promise<ResolvedSegment> {
    const substitute = async (why: Substitution): Promise<ResolvedSegment> => ({
      ...segment,
      variant,
      file: await slateFile(segment.durationMs, variant, waitMs > 0),
      substituted: why,
    });
    const cut = asCutSource(segment.source);
    if (!cut) {
      const plain = plainFile(segment, variant);
      return 'file' in plain
        ? { ...segment, variant, file: plain.file, substituted: null }
        : substitute(plain);
    }
    if (cut.assetId !== 'slate') {
      // The source segment must be sound before a cut of it is trusted or made.
      const plain = plainFile({ ...segment, source: { ...segment.source, cut: null } }, variant);
      if (!('file' in plain)) return substitute(plain);
    }
    if (cuts.ready(cut, variant)) {
      return { ...segment, variant, file: cuts.path(cut, variant), substituted: null };
    }
    const unavailable: Substitution = {
      kind: 'cut_unavailable',
      message: `Cut ${cuts.path(cut, variant)} was not ready in time; slate played instead.`,
    };
    if (waitMs <= 0) {
      cuts.prepare(cut, variant);
      return substitute(unavailable);
    }
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<null>((resolveTimeout) => {
      timer = setTimeout(() => resolveTimeout(null), waitMs);
    });
    const made = await Promise.race([cuts.request(cut, variant).catch(() => null), timeout]);
    clearTimeout(timer);
    if (made && existsSync(made)) return { ...segment, variant, file: made, substituted: null };
    return substitute(unavailable);
  }

  return { resolve, asCutSource };
}
export type SegmentFiles = ReturnType<typeof createSegmentFiles>;
