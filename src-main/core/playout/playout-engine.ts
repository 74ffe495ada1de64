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
import type { ChannelPlayoutRow, PlayoutStore } from './playout-store';

/** Entries are built this far past the asked range, so no segment near its end is cut short. */
const MARGIN_MS = 60_000;
const UPCOMING_MS = 6 * 3_600_000;
/** A live window reaches this far back (six segments of the longest allowed length). */
const WINDOW_LOOKBACK_MS = 6 * 10_000;
/** Past the longest allowed segment, so a plan to here holds the segment after the live one. */
const NEXT_SEGMENT_MS = 10_000 + 1;
export const LIVE_WINDOW = 6;
/** As long as a cache may keep a playlist (its max-age). */
const ON_AIR_TTL_MS = 1_000;

/** How long a channel's status may read its programmes off one computed list. */
const UPCOMING_KEEP_MS = 30 * 60_000;

type CachedWindow = { key: string; from: number; until: number; segments: PlannedSegment[] };

type ChannelRow = { id: number; slug: string; name: string; enabled: number };

type CachedUpcoming = { key: string; from: number; list: PlayoutProgramme[] };

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
  // Inner breaks of every programme in a range in one query (one per programme made the
  // timeline build the request path's main cost).
  const breaksOf = db.prepare<
    [string],
    { id: number; parent_item_id: number; offset_ms: number | null; duration_ms: number }
  >(
    `SELECT id, parent_item_id, offset_ms, duration_ms FROM schedule_items
     WHERE parent_item_id IN (SELECT value FROM json_each(?)) ORDER BY offset_ms, id`,
  );
  const alarms = new Map<number, PlayoutAlarm>();
  const slateTitle = () => context.settings.get().stationName;

  /** Items touching [from, to) plus the one before (so a gap knows where it began). */
  function itemsIn(channelId: number, from: number, to: number): TimelineItem[] {
    const rows = reader.topInRange(channelId, from, to);
    const previous = reader.previous(channelId, from);
    if (previous && !rows.some((r) => r.id === previous.id)) rows.unshift(previous);
    const breaks = new Map<number, TimelineItem['breaks'][number][]>();
    const programmes = rows.filter((r) => r.kind === 'asset').map((r) => r.id);
    if (programmes.length > 0) {
      // Rows come in (offset, id) order, as the per-programme query gave them.
      for (const c of breaksOf.all(JSON.stringify(programmes))) {
        let list = breaks.get(c.parent_item_id);
        if (!list) breaks.set(c.parent_item_id, (list = []));
        list.push({ id: c.id, offsetMs: c.offset_ms ?? 0, durationMs: c.duration_ms });
      }
    }
    return rows.map((row: ItemRow): TimelineItem => ({
      id: row.id,
      kind: row.kind,
      assetId: row.asset_id,
      startsAt: row.starts_at,
      durationMs: row.duration_ms,
      inMs: row.in_ms,
      title: row.title ?? row.asset_name,
      category: row.category,
      breaks: breaks.get(row.id) ?? [],
    }));
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
  function freshWindow(channelId: number, now: number): PlannedSegment[] {
    return segments(channelId, now - WINDOW_LOOKBACK_MS, now + 1).slice(-LIVE_WINDOW);
  }

  /**
   * A window stays what it is until the next segment starts, so it is kept per channel for
   * [from, until) and the same array is handed out (a renderer may key its text on it). Events
   * that change the arithmetic drop it; the channel's state row is compared on every hit so a
   * hold, release or restart is never served stale even if its event has not been emitted yet.
   */
  const windows = new Map<number, CachedWindow>();
  const stateKey = (channelId: number) => {
    const s = store.state(channelId);
    return s ? `${s.on_air}:${s.epoch_at}:${s.held_since}` : '';
  };
  function window(channelId: number, now: number): PlannedSegment[] {
    const key = stateKey(channelId);
    const hit = windows.get(channelId);
    if (hit && hit.key === key && hit.from <= now && now < hit.until) return hit.segments;
    // One plan reaching past the next segment start: the started part is exactly the fresh
    // window (entries end a minute past the range, so nothing started is clipped
    // differently), and the first unstarted segment says when it stops being the window.
    const ahead = segments(channelId, now - WINDOW_LOOKBACK_MS, now + NEXT_SEGMENT_MS);
    // Segments come in air order: those started are the ones before the first unstarted.
    const nextIndex = ahead.findIndex((s) => s.startsAt > now);
    const next = nextIndex === -1 ? undefined : ahead[nextIndex];
    const result = (nextIndex === -1 ? ahead : ahead.slice(0, nextIndex)).slice(-LIVE_WINDOW);
    if (result.length > 0 && next) {
      windows.set(channelId, { key, from: now, until: next.startsAt, segments: result });
    } else windows.delete(channelId);
    return result;
  }

  let onAirCache: {
    version: number;
    at: number;
    ids: Channel['id'][];
    set: Set<Channel['id']>;
  } | null = null;
  function onAirNow() {
    // Every public request asks this. This process's writes bump the store's version; a
    // second core on the same database is seen within ON_AIR_TTL_MS.
    const version = store.stateVersion();
    const now = context.clock.now();
    if (
      onAirCache?.version !== version ||
      now - onAirCache.at >= ON_AIR_TTL_MS ||
      now < onAirCache.at
    ) {
      const ids = store
        .states()
        .filter((s) => s.on_air === 1)
        .map((s) => s.channel_id);
      onAirCache = { version, at: now, ids, set: new Set(ids) };
    }
    return onAirCache;
  }
  const forgetAll = () => {
    windows.clear();
    upcomingCache.clear();
    onAirCache = null;
  };
  const forgetChannel = (channelId: number) => windows.delete(channelId);
  const unsubscribe = [
    context.bus.on('scheduleChanged', ({ channelId }) => {
      forgetChannel(channelId);
      upcomingCache.delete(channelId);
    }),
    context.bus.on('playoutChanged', ({ channelId }) => forgetChannel(channelId)),
    // A checkpoint is where numbering restarts from; a new one may renumber what follows.
    context.bus.on('asRunAppended', ({ rows }) => rows.forEach((r) => forgetChannel(r.channelId))),
    context.bus.on('channelsChanged', forgetAll),
    // The slate's title and media readiness feed every channel's entries.
    context.bus.on('settingsChanged', forgetAll),
    context.bus.on('assetChanged', forgetAll),
    context.bus.on('assetsRemoved', forgetAll),
  ];

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

  /*
   * The status's six hours of programmes, kept per channel: every entry start announces a
   * status, and building six hours of timeline for each (a dozen a second on 500 channels)
   * was the playout's largest block of work. The list is computed once for a longer span and
   * the asked six hours are read off it: programmes that start after `now` come out of the
   * same tiling whatever range asked (gaps start where the previous item ended), only the
   * range's end clips them; the programme on air is taken from a one-instant query, since its
   * start is clipped to where the asked range begins. Kept while the channel's state row and
   * slate title are the same; every UPCOMING_KEEP_MS the list is extended by that much (not
   * rebuilt); dropped with the windows on schedule, channel, settings and asset events.
   */
  const upcomingCache = new Map<number, CachedUpcoming>();
  // Titles and categories repeat across channels and hours; kept lists share one string each.
  // Statuses hand out the kept programme objects themselves: read-only, like every payload.
  const strings = new Map<string, string>();
  const intern = (text: string) => {
    const known = strings.get(text);
    if (known !== undefined) return known;
    if (strings.size >= 10_000) strings.clear();
    strings.set(text, text);
    return text;
  };
  const kept = (list: PlayoutProgramme[]) => {
    for (const p of list) {
      p.title = intern(p.title);
      if (p.category !== null) p.category = intern(p.category);
    }
    return list;
  };
  function upcomingOf(channelId: number, now: number, state: ChannelPlayoutRow | undefined) {
    const epoch = state?.epoch_at;
    // Before a first start the tiling begins at the asked instant: nothing to share.
    if (epoch === null || epoch === undefined || now < epoch) {
      return programmes(channelId, now, now + UPCOMING_MS);
    }
    const key = `${state?.on_air}:${epoch}:${state?.held_since}:${slateTitle()}`;
    let hit = upcomingCache.get(channelId);
    const until = now + UPCOMING_MS + UPCOMING_KEEP_MS;
    if (hit && hit.key === key && now >= hit.from + UPCOMING_KEEP_MS) {
      // Extended rather than rebuilt: from the last programme's start (a boundary of the
      // tiling, after `now`, so nothing is clipped there) to the new end.
      const last = hit.list.at(-1);
      if (last && last.startsAt > now) {
        const still = hit.list.filter((p) => p.endsAt > now && p.startsAt < last.startsAt);
        const added = kept(programmes(channelId, last.startsAt, until)).filter(
          (p) => p.startsAt >= last.startsAt,
        );
        hit = { key, from: now, list: [...still, ...added] };
        upcomingCache.set(channelId, hit);
      }
    }
    if (!hit || hit.key !== key || now < hit.from || now >= hit.from + UPCOMING_KEEP_MS) {
      hit = { key, from: now, list: kept(programmes(channelId, now, until)) };
      upcomingCache.set(channelId, hit);
    }
    const to = now + UPCOMING_MS;
    const head = programmes(channelId, now, now + 1)[0];
    const result: PlayoutProgramme[] = [];
    let next = hit.list.findIndex((p) => p.startsAt > now);
    if (next === -1) next = hit.list.length;
    const nextStart = hit.list[next]?.startsAt ?? Infinity;
    if (head) result.push({ ...head, endsAt: Math.min(nextStart, to) });
    for (let i = next; i < hit.list.length; i += 1) {
      const p = hit.list[i] as PlayoutProgramme;
      if (p.startsAt >= to) break;
      result.push(p.endsAt > to ? { ...p, endsAt: to } : p);
    }
    return result;
  }

  function status(channelId: number, now = context.clock.now(), cached = true): PlayoutStatus {
    const channel = channelByIdStmt.get(channelId);
    const state = store.state(channelId);
    const upcoming = cached
      ? upcomingOf(channelId, now, state)
      : programmes(channelId, now, now + UPCOMING_MS);
    const current = upcoming[0] && upcoming[0].startsAt <= now ? upcoming[0] : null;
    const onAirSegment = state?.epoch_at != null ? segments(channelId, now, now + 1)[0] : undefined;
    const nowProgramme = current ? { ...current, offsetMs: now - current.startsAt } : null;
    const later = upcoming.filter((p) => p.startsAt > now);
    return {
      channelId,
      slug: channel?.slug ?? '',
      name: channel?.name ?? '',
      onAir: state?.on_air === 1,
      held: state?.held_since != null,
      heldSince: state?.held_since ?? null,
      epochAt: state?.epoch_at ?? null,
      now: nowProgramme,
      next: later[0] ?? null,
      upcoming: later,
      msn: onAirSegment?.msn ?? null,
      lastAlarm: alarms.get(channelId) ?? null,
    };
  }

  return {
    channelBySlug,
    channel: (id: number) => channelByIdStmt.get(id),
    channels: () => allChannels.all(),
    /** Channels on air now. */
    onAir: (): Channel['id'][] => [...onAirNow().ids],
    /** Whether one channel is on air (every public request asks; no list is copied). */
    isOnAir: (channelId: number) => onAirNow().set.has(channelId),
    input,
    entries,
    /** What a channel's arithmetic rests on besides the schedule: on air, epoch and hold. */
    stateKey,
    channelEpoch: (channelId: number): number | null => store.state(channelId)?.epoch_at ?? null,
    assetTable: tables.table,
    slateTable,
    segments,
    window,
    segmentByMsn,
    programmes,
    status: (channelId: number, now = context.clock.now()) => status(channelId, now),
    recordAlarm(alarm: PlayoutAlarm) {
      alarms.set(alarm.channelId, alarm);
      context.bus.emit('playoutAlarm', alarm);
    },
    variantTable: (assetId: number, variant: Variant) => tables.get(assetId, variant),
    /** The uncached window and status (tests compare the cached ones against them). */
    freshWindow,
    freshStatus: (channelId: number, now: number) => status(channelId, now, false),
    close() {
      for (const off of unsubscribe.splice(0)) off();
      forgetAll();
    },
  };
}
export type PlayoutEngine = ReturnType<typeof createPlayoutEngine>;
