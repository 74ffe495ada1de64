import type { PlayoutProgramme, PlayoutStatus } from '../../../src-shared/contract';
import type { CoreContext, Feature } from '../core-context';
import { AppError } from '../errors';
import { createAsRunTicker } from './as-run-ticker';
import { asRunCsv } from './as-run-csv';
import { createCutCache } from './cut-cache';
import { createCutPreparer } from './cut-preparer';
import { createMediaTables, type Variant } from './media-tables';
import { createOperatorActions } from './operator-actions';
import { createOutputsSettings, type OutputsSettingsStore } from './outputs-settings';
import { createPlayoutEngine, type PlayoutEngine } from './playout-engine';
import { createPlayoutStore } from './playout-store';
import { createSegmentFiles, type ResolvedSegment } from './segment-files';
import { createSlate, type Slate } from './slate';
import {
  createSegmentRestamper,
  frameTicksOf,
  type SegmentRestamper,
} from '../outputs/segment-restamp';

export type PlayoutMethod =
  | 'playoutStart'
  | 'playoutStop'
  | 'playoutTakeNext'
  | 'playoutSkip'
  | 'playoutInsertNow'
  | 'playoutBreakNow'
  | 'playoutHold'
  | 'playoutRelease'
  | 'playoutStatus'
  | 'asRunList'
  | 'asRunExport'
  | 'outputsSettingsGet'
  | 'outputsSettingsSet';

/** How long a segment request waits for a cut that is not made yet before slate stands in. */
export const CUT_WAIT_MS = 4000;

/**
 * What other parts of the core (HTTP outputs, the live TS remuxer, XMLTV/M3U, the wall) use.
 * Keep stable: live.ts, XMLTV, M3U and HDHomeRun outputs are written against it.
 */
export type PlayoutApi = {
  channelBySlug(
    slug: string,
  ): { id: number; slug: string; name: string; enabled: number } | undefined;
  /**
   * Planned segments overlapping [from, to) with the file for `variant` after cut and slate
   * substitution (never waits: a cut not made yet is slate now and queued).
   */
  segments(
    channelId: number,
    variant: Variant,
    from: number,
    to: number,
  ): Promise<ResolvedSegment[]>;
  /** The same, waiting up to `waitMs` for a missing cut (what the segment route does). */
  resolveMsn(
    channelId: number,
    variant: Variant,
    msn: number,
    waitMs?: number,
  ): Promise<ResolvedSegment | undefined>;
  /** The live playlist's window at `now` (planned, no files). */
  window(channelId: number, now?: number): ReturnType<PlayoutEngine['window']>;
  /** Programmes in [from, to), from the same timeline the playlists come from (for XMLTV/EPG). */
  programmes(channelId: number, from: number, to: number): PlayoutProgramme[];
  status(channelId: number): PlayoutStatus;
  /** Ids of channels on air. */
  onAir(): number[];
  /** Whether this channel is on air (cheaper than searching onAir()). */
  isOnAir(channelId: number): boolean;
  /** The newest segment whose start ≤ now, resolved for `variant`. */
  liveEdge(channelId: number, variant: Variant): Promise<ResolvedSegment | undefined>;
  /** Run the as-run ticker now (tests with a hand-driven clock; the core ticks every second). */
  tick(now?: number): void;
  /** Queue the cuts of the next hours for every channel on air; returns how many were queued. */
  prepareCuts(now?: number): number;
  outputs: OutputsSettingsStore;
  slate: Slate;
  /**
   * Puts segments on the channel's clock for every output that serves them (HLS segments,
   * live.ts): one index per segment file, however many outputs read it.
   */
  restamper: SegmentRestamper;
};

/** How often an entry start may re-scan a channel's coming hours for cuts to make. */
const PREPARE_AGAIN_AFTER_MS = 30 * 60_000;
export function createPlayoutFeature(
  context: CoreContext,
): Feature<PlayoutMethod> & { playout: PlayoutApi } {
  const { db, bus, clock } = context;
  const store = createPlayoutStore(db, () => clock.now());
  const tables = createMediaTables(db, context.mediaDir, bus);
  const slate = createSlate(context);
  const cuts = createCutCache(context, tables, slate);
  const engine = createPlayoutEngine({ context, store, tables, slateTable: slate.table });
  const files = createSegmentFiles({ tables, slate, cuts });
  const outputs = createOutputsSettings(store, bus);
  const preparer = createCutPreparer({ context, engine, cuts });
  const preparedAt = new Map<number, number>();
  const announce = (channelId: number) =>
    bus.emit('playoutChanged', { channelId, status: engine.status(channelId) });
  // A six-hour scan is a turn of the event loop of its own, not part of the tick's slice.
  const toPrepare = new Set<number>();
  let prepareTimer: NodeJS.Immediate | undefined;
  const prepareNext = () => {
    prepareTimer = undefined;
    const [id] = toPrepare;
    if (id === undefined) return;
    toPrepare.delete(id);
    if (store.state(id)?.on_air === 1) preparer.prepare(id);
    if (toPrepare.size > 0) prepareTimer = setImmediate(prepareNext);
  };
  const prepareSoon = (channelId: number) => {
    toPrepare.add(channelId);
    prepareTimer ??= setImmediate(prepareNext);
  };
  const ticker = createAsRunTicker({
    context,
    store,
    engine,
    onEntries: (ids) => {
      const now = context.clock.now();
      for (const id of ids) {
        announce(id);
        // Cuts are prepared hours ahead (at start and on every schedule change); an entry
        // starting only slides that horizon, so re-scanning it now and then is enough. Doing it
        // on every entry start cost hundreds of channels a six-hour scan each, in bursts.
        if ((preparedAt.get(id) ?? -Infinity) + PREPARE_AGAIN_AFTER_MS <= now) {
          preparedAt.set(id, now);
          prepareSoon(id);
        }
      }
    },
  });
  const actions = createOperatorActions({ context, store, engine, onChanged: announce });
  const unsubscribers: (() => void)[] = [];

  const mustExist = (channelId: number) => {
    if (!engine.channel(channelId))
      throw new AppError('not_found', `Channel ${channelId} does not exist.`);
  };

  async function resolveAll(
    segments: ReturnType<PlayoutEngine['segments']>,
    channelId: number,
    variant: Variant,
    waitMs: number,
  ) {
    const resolved = await Promise.all(segments.map((s) => files.resolve(s, variant, waitMs)));
    for (const r of resolved) {
      if (r.substituted) {
        engine.recordAlarm({
          channelId,
          kind: r.substituted.kind,
          message: r.substituted.message,
          at: clock.now(),
          itemId: null,
        });
      }
    }
    return resolved;
  }

  const playout: PlayoutApi = {
    channelBySlug: engine.channelBySlug,
    segments: (channelId, variant, from, to) =>
      resolveAll(engine.segments(channelId, from, to), channelId, variant, 0),
    async resolveMsn(channelId, variant, msn, waitMs = CUT_WAIT_MS) {
      const segment = engine.segmentByMsn(channelId, msn, clock.now());
      if (!segment) return undefined;
      return (await resolveAll([segment], channelId, variant, waitMs))[0];
    },
    window: (channelId, now = clock.now()) => engine.window(channelId, now),
    programmes: engine.programmes,
    status: (channelId) => engine.status(channelId),
    onAir: engine.onAir,
    isOnAir: engine.isOnAir,
    async liveEdge(channelId, variant) {
      const edge = engine.window(channelId, clock.now()).at(-1);
      return edge ? (await resolveAll([edge], channelId, variant, 0))[0] : undefined;
    },
    tick: (now) => ticker.tick(now),
    prepareCuts: (now) => preparer.prepareAll(now),
    outputs,
    slate,
    restamper: createSegmentRestamper({
      frameTicks: () => frameTicksOf(context.settings.get().houseProfile.fps),
    }),
  };

  return {
    playout,
    handlers: {
      playoutStart: ({ channelId }) => {
        const result = actions.start(channelId);
        const rows = ticker.catchUp(channelId, clock.now(), clock.now());
        if (rows.length > 0) bus.emit('asRunAppended', { rows });
        preparedAt.set(channelId, clock.now());
        preparer.prepare(channelId);
        return { ...result, status: engine.status(channelId) };
      },
      playoutStop: ({ channelId }) => actions.stop(channelId),
      playoutTakeNext: ({ channelId }) => actions.takeNext(channelId),
      playoutSkip: ({ channelId }) => actions.takeNext(channelId, true),
      playoutInsertNow: ({ channelId, assetId }) => actions.insertNow(channelId, assetId),
      playoutBreakNow: ({ channelId, durationMs, title }) =>
        actions.breakNow(channelId, durationMs, title),
      playoutHold: ({ channelId }) => actions.hold(channelId),
      playoutRelease: ({ channelId }) => actions.release(channelId),
      playoutStatus: ({ channelId }) => {
        if (channelId !== undefined) mustExist(channelId);
        const ids = channelId !== undefined ? [channelId] : engine.channels().map((c) => c.id);
        const now = clock.now();
        return { channels: ids.map((id) => engine.status(id, now)), now };
      },
      asRunList: ({ channelId, from, to }) => {
        mustExist(channelId);
        return { rows: store.list(channelId, from, to) };
      },
      asRunExport: ({ channelId, from, to }) => {
        mustExist(channelId);
        const rows = store.list(channelId, from, to);
        return { text: asRunCsv(rows), count: rows.length };
      },
      outputsSettingsGet: () => outputs.get(),
      outputsSettingsSet: (req) => outputs.set(req),
    },
    start() {
      unsubscribers.push(bus.on('clockTick', ({ now }) => ticker.tickSpread(now)));
      let pending: NodeJS.Timeout | undefined;
      const changed = new Set<number>();
      unsubscribers.push(
        bus.on('scheduleChanged', ({ channelId }) => {
          changed.add(channelId);
          preparer.forget(channelId);
          pending ??= setTimeout(() => {
            pending = undefined;
            for (const id of changed) if (store.state(id)?.on_air === 1) preparer.prepare(id);
            changed.clear();
          }, 250);
          pending.unref();
        }),
      );
      unsubscribers.push(() => clearTimeout(pending));
      // Media becoming ready or going away turns slate into programmes and back: cuts move.
      const forgetScans = () => preparer.forget();
      unsubscribers.push(
        bus.on('assetChanged', (asset) => {
          if (asset.state === 'ready') forgetScans();
        }),
        bus.on('assetsRemoved', forgetScans),
        bus.on('channelsChanged', forgetScans),
        bus.on('settingsChanged', forgetScans),
      );
      // Back-fill what aired while the process was down, then make the coming cuts: a
      // channel's six-hour scan a turn of the loop, so playlists are answered meanwhile (all
      // 500 in one go held a restarted process for seconds). Not again at each channel's
      // first entry start.
      ticker.tick();
      const now = clock.now();
      for (const id of engine.onAir()) {
        preparedAt.set(id, now);
        prepareSoon(id);
      }
    },
    // Running cut and slate jobs are ended with every other ffmpeg child by the core.
    async close() {
      for (const off of unsubscribers.splice(0)) off();
      if (prepareTimer) clearImmediate(prepareTimer);
      toPrepare.clear();
      ticker.close();
      cuts.close();
      tables.close();
      engine.close();
    },
  };
}
