import type { Database } from 'better-sqlite3';
import type {
  Channel,
  PlayoutAlarm,
  PlayoutProgramme,
  PlayoutStatus,
} from '../../../src-shared/contract';
import {
  buildTimeline,
  planSegments,
  segmentOf,
  walkEntries,
  type PlannedSegment,
  type PlayoutEntry,
  type ResolverInput,
  type TimelineItem,
} from '../../../src-shared/playout';
import type { CoreContext } from '../core-context';
import { createItemReader, type ItemRow } from '../schedule/item-rows';
import type { MediaTables, Variant } from './media-tables';
import type { PlayoutStore } from './playout-store';

/** Entries are built this far past the asked range, so no segment near its end is cut short. */
const MARGIN_MS = 60_000;
const UPCOMING_MS = 6 * 3_600_000;
/** A live window reaches this far back (six segments of the longest allowed length). */
const WINDOW_LOOKBACK_MS = 6 * 10_000;
export const LIVE_WINDOW = 6;

type ChannelRow = { id: number; slug: string; name: string; enabled: number };

/**
 * A channel's air as arithmetic: schedule rows + epoch + hold + the latest checkpoint in, the
 * planned segments out. Nothing here runs in the background; every answer is computed when
 * asked, so two cores on the same database answer alike.
 */
export function createPlayoutEngine(deps: {
  context: CoreContext;
  store: PlayoutStore;
  tables: MediaTables;
  slateTable: ResolverInput['slate'];
}) {
  const { context, store, tables, slateTable } = deps;
  const db: Database = context.db;
  const reader = createItemReader(db);
  const channelBySlugStmt = db.prepare<[string], ChannelRow>(
    'SELECT id, slug, name, enabled FROM channels WHERE slug = ?',
  );
  const channelByIdStmt = db.prepare<[number], ChannelRow>(
    'SELECT id, slug, name, enabled FROM channels WHERE id = ?',
  );
  const allChannels = db.prepare<[], ChannelRow>(
    'SELECT id, slug, name, enabled FROM channels ORDER BY sort_order, number',
  );
  const alarms = new Map<number, PlayoutAlarm>();
  const slateTitle = () => context.settings.get().stationName;

  const toTimelineItem = (row: ItemRow): TimelineItem => ({
    id: row.id,
    kind: row.kind,
    assetId: row.asset_id,
    startsAt: row.starts_at,
    durationMs: row.duration_ms,
    inMs: row.in_ms,
    title: row.title ?? row.asset_name,
    category: row.category,
    breaks: reader
      .children(row.id)
      .map((c) => ({ id: c.id, offsetMs: c.offset_ms ?? 0, durationMs: c.duration_ms })),
  });

  /** Items touching [from, to) plus the one before (so a gap knows where it began). */
  function itemsIn(channelId: number, from: number, to: number): TimelineItem[] {
    const rows = reader.topInRange(channelId, from, to);
    const previous = reader.previous(channelId, from);
    if (previous && !rows.some((r) => r.id === previous.id)) rows.unshift(previous);
    return rows.map(toTimelineItem);
  }

  /**
   * Entries tiling [from, to). `whole` keeps the piece running into `from` whole (for people:
   * the EPG); the resolver wants them clipped at its checkpoint.
   */
  function entries(channelId: number, from: number, to: number, whole = false): PlayoutEntry[] {
    const state = store.state(channelId);
    const items = itemsIn(channelId, from, to);
    const start = whole ? Math.min(from, ...items.map((i) => i.startsAt)) : from;
    return buildTimeline(items, {
      from: start,
      to,
      epoch: state?.epoch_at ?? from,
      holdFrom: state?.held_since ?? null,
      slateTitle: slateTitle(),
    });
  }

  /** The resolver's input to answer anything up to `to`: null before the first start. */
  function input(channelId: number, from: number, to: number): ResolverInput | null {
    const epoch = store.state(channelId)?.epoch_at;
    if (epoch === null || epoch === undefined) return null;
    const checkpoint = store.checkpoint(channelId, Math.max(from, epoch)) ?? {
      at: epoch,
      msn: 0,
      disc: 0,
    };
    return {
      checkpoint,
      entries: entries(channelId, checkpoint.at, to + MARGIN_MS),
      assetTable: tables.table,
      slate: slateTable,
    };
  }

  function segments(channelId: number, from: number, to: number): PlannedSegment[] {
    const resolverInput = input(channelId, from, to);
    if (!resolverInput) return [];
    return planSegments(resolverInput, Math.max(from, resolverInput.checkpoint.at), to);
  }

  /** The segments a live playlist shows at `now`: the last few that have started. */
  function window(channelId: number, now: number): PlannedSegment[] {
    return segments(channelId, now - WINDOW_LOOKBACK_MS, now + 1).slice(-LIVE_WINDOW);
  }

  /** The segment with media sequence `msn`, if it has started by `now`. */
  function segmentByMsn(channelId: number, msn: number, now: number): PlannedSegment | undefined {
    const epoch = store.state(channelId)?.epoch_at;
    if (epoch === null || epoch === undefined || msn < 0) return undefined;
    const checkpoint = store.checkpointByMsn(channelId, msn) ?? { at: epoch, msn: 0, disc: 0 };
    const resolverInput: ResolverInput = {
      checkpoint,
      entries: entries(channelId, checkpoint.at, now + MARGIN_MS),
      assetTable: tables.table,
      slate: slateTable,
    };
    for (const { plan, checkpoint: cp } of walkEntries(resolverInput, now + 1)) {
      if (msn < cp.msn + plan.count) {
        const segment = segmentOf(plan, msn - cp.msn, cp);
        return segment.startsAt <= now ? segment : undefined;
      }
    }
    return undefined;
  }

  /** Viewers' programmes in [from, to): a programme's parts and inner breaks fold into one. */
  function programmes(channelId: number, from: number, to: number): PlayoutProgramme[] {
    const list: PlayoutProgramme[] = [];
    for (const entry of entries(channelId, from, to, true)) {
      const last = list[list.length - 1];
      const end = entry.startsAt + entry.durationMs;
      if (last && entry.itemId !== null && last.itemId === entry.itemId && !entry.programmeStart) {
        last.endsAt = end;
        continue;
      }
      list.push({
        itemId: entry.itemId,
        assetId: entry.assetId,
        title: entry.title,
        startsAt: entry.startsAt,
        endsAt: end,
        kind: entry.kind === 'programme' ? 'programme' : 'slate',
        category: entry.category,
      });
    }
    return list.filter((p) => p.endsAt > from);
  }

  const channelBySlug = (slug: string): ChannelRow | undefined => channelBySlugStmt.get(slug);

  function status(channelId: number, now = context.clock.now()): PlayoutStatus {
    const channel = channelByIdStmt.get(channelId);
    const state = store.state(channelId);
    const upcoming = programmes(channelId, now, now + UPCOMING_MS);
    const current = upcoming[0] && upcoming[0].startsAt <= now ? upcoming[0] : null;
    const onAirSegment = state?.epoch_at != null ? segments(channelId, now, now + 1)[0] : undefined;
    const nowProgramme = current ? { ...current, offsetMs: now - current.startsAt } : null;
    return {
      channelId,
      slug: channel?.slug ?? '',
      name: channel?.name ?? '',
      onAir: state?.on_air === 1,
      held: state?.held_since != null,
      heldSince: state?.held_since ?? null,
      epochAt: state?.epoch_at ?? null,
      now: nowProgramme,
      next: upcoming.find((p) => p.startsAt > now) ?? null,
      upcoming: upcoming.filter((p) => p.startsAt > now),
      msn: onAirSegment?.msn ?? null,
      lastAlarm: alarms.get(channelId) ?? null,
    };
  }

  return {
    channelBySlug,
    channel: (id: number) => channelByIdStmt.get(id),
    channels: () => allChannels.all(),
    /** Channels on air now. */
    onAir(): Channel['id'][] {
      return store
        .states()
        .filter((s) => s.on_air === 1)
        .map((s) => s.channel_id);
    },
    input,
    entries,
    segments,
    window,
    segmentByMsn,
    programmes,
    status,
    recordAlarm(alarm: PlayoutAlarm) {
      alarms.set(alarm.channelId, alarm);
      context.bus.emit('playoutAlarm', alarm);
    },
    variantTable: (assetId: number, variant: Variant) => tables.get(assetId, variant),
  };
}
export type PlayoutEngine = ReturnType<typeof createPlayoutEngine>;
