import type { Database } from 'better-sqlite3';
import { ripplePull, ripplePush, type Span } from '../../../src-shared/timeline';
import { AppError } from '../errors';
import type { EngineOp, PlanContext } from './engine';

const iso = (ms: number) => new Date(ms).toISOString();

/** Turns the pure ripple plans into engine updates for one channel's top-level items. */
export function createRipplePlanner(db: Database) {
  const topFrom = db.prepare<
    [number, number],
    { id: number; starts_at: number; duration_ms: number; breaks_ms: number }
  >(
    `SELECT id, starts_at, duration_ms, breaks_ms FROM schedule_items
     WHERE channel_id = ? AND parent_item_id IS NULL AND starts_at >= ? ORDER BY starts_at, id`,
  );
  const spansFrom = (channelId: number, from: number, exclude: ReadonlySet<number>): Span[] =>
    topFrom
      .all(channelId, from)
      .filter((r) => !exclude.has(r.id))
      .map((r) => ({ id: r.id, start: r.starts_at, duration: r.duration_ms + r.breaks_ms }));
  const blocked = (span: Span) =>
    new AppError(
      'forbidden',
      `Ripple would have to move item ${span.id} (at ${iso(span.start)}), which is inside the lock horizon or already aired.`,
    );

  return {
    /** Push later items on `channelId` out of the way of `placed`. */
    push(
      channelId: number,
      placed: readonly Span[],
      exclude: ReadonlySet<number>,
      ctx: PlanContext,
    ): EngineOp[] {
      if (placed.length === 0) return [];
      const pivot = Math.min(...placed.map((p) => p.start));
      const result = ripplePush(
        placed,
        spansFrom(channelId, pivot, exclude),
        (s) => s.start < ctx.lockEnd,
      );
      if (result.blocked) throw blocked(result.blocked);
      return result.shifts.map((s) => ({ op: 'update', id: s.id, set: { startsAt: s.to } }));
    },
    /**
     * Close the holes left by `removed` spans (latest first, so deleting neighbours pulls the
     * following run back by all of them).
     */
    pull(
      channelId: number,
      removed: readonly Span[],
      exclude: ReadonlySet<number>,
      ctx: PlanContext,
    ): EngineOp[] {
      if (removed.length === 0) return [];
      const from = Math.min(...removed.map((r) => r.start));
      const working = new Map(spansFrom(channelId, from, exclude).map((s) => [s.id, { ...s }]));
      const original = new Map([...working].map(([id, s]) => [id, s.start]));
      for (const gone of [...removed].sort((a, b) => b.start - a.start)) {
        const result = ripplePull(gone, [...working.values()], (s) => s.start < ctx.lockEnd);
        if (result.blocked) throw blocked(result.blocked);
        for (const shift of result.shifts) {
          const span = working.get(shift.id);
          if (span) span.start = shift.to;
        }
      }
      return [...working.values()]
        .filter((s) => s.start !== original.get(s.id))
        .map((s) => ({ op: 'update', id: s.id, set: { startsAt: s.start } }));
    },
  };
}
export type RipplePlanner = ReturnType<typeof createRipplePlanner>;
