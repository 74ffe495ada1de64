import { describe, expect, it } from 'vitest';
import type { Alarm, WallCell } from '../../src-shared/contract';
import { WallLayoutSaveSchema, wallFullscreenPath } from '../../src-shared/contract';
import {
  assignCell,
  automaticLayout,
  resizeLayout,
  sameLayout,
  squareSideFor,
  swapCells,
  type DraftLayout,
} from '../../src-renderer/features/wall/layout-model';
import { patchActive as patchActiveAlarms } from '../../src-renderer/features/alarms/cache';
import { countdown } from '../../src-renderer/features/wall/format';

const ch = (channelId: number): WallCell => ({ kind: 'channel', channelId });
const st = (sourceId: number): WallCell => ({ kind: 'stream', sourceId });
const empty: WallCell = { kind: 'empty' };
const layout = (cols: number, rows: number, cells: WallCell[]): DraftLayout => ({
  id: 1,
  name: 'L',
  cols,
  rows,
  cells,
});

describe('wall layout model', () => {
  it('picks the smallest square preset that holds every source, up to 5 × 5', () => {
    expect([0, 1, 2, 4, 5, 9, 10, 16, 17, 25, 40].map(squareSideFor)).toEqual([
      1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 5,
    ]);
    const auto = automaticLayout([
      { kind: 'channel', id: 3, name: 'A' },
      { kind: 'channel', id: 1, name: 'B' },
      { kind: 'stream', id: 9, name: 'C' },
    ]);
    expect(auto).toMatchObject({ id: null, cols: 2, rows: 2 });
    expect(auto.cells).toEqual([ch(3), ch(1), st(9), empty]);
  });

  it('keeps tiles in their row and column when the grid changes; overflow fills free cells', () => {
    const three = layout(3, 3, [ch(1), ch(2), ch(3), ch(4), empty, ch(6), ch(7), ch(8), ch(9)]);
    const two = resizeLayout(three, 2, 2);
    // 1, 2, 4 keep their places; the first of the others takes the one free cell.
    expect(two.cells).toEqual([ch(1), ch(2), ch(4), ch(3)]);
    const wide = resizeLayout(layout(2, 1, [ch(1), ch(2)]), 3, 2);
    expect(wide.cells).toEqual([ch(1), ch(2), empty, empty, empty, empty]);
    expect(resizeLayout(wide, 99, 0)).toMatchObject({ cols: 6, rows: 1 });
  });

  it('moves a source that is already on the wall instead of showing it twice', () => {
    const l = layout(2, 1, [ch(1), ch(2)]);
    expect(assignCell(l, 0, ch(2)).cells).toEqual([ch(2), ch(1)]);
    expect(assignCell(l, 1, st(5)).cells).toEqual([ch(1), st(5)]);
    expect(assignCell(l, 1, empty).cells).toEqual([ch(1), empty]);
    expect(assignCell(l, 7, ch(3))).toBe(l);
    expect(swapCells(l, 0, 1).cells).toEqual([ch(2), ch(1)]);
    expect(swapCells(l, 0, 5)).toBe(l);
    expect(sameLayout(l, swapCells(swapCells(l, 0, 1), 1, 0))).toBe(true);
    expect(sameLayout(l, swapCells(l, 0, 1))).toBe(false);
  });
});

describe('wall contract', () => {
  it('wants exactly cols × rows cells and a name', () => {
    const ok = { name: 'Gallery', cols: 2, rows: 1, cells: [ch(1), empty] };
    expect(WallLayoutSaveSchema.safeParse(ok).success).toBe(true);
    expect(WallLayoutSaveSchema.safeParse({ ...ok, cells: [ch(1)] }).success).toBe(false);
    expect(WallLayoutSaveSchema.safeParse({ ...ok, name: ' ' }).success).toBe(false);
    expect(WallLayoutSaveSchema.safeParse({ ...ok, cols: 7, rows: 1 }).success).toBe(false);
  });

  it('addresses the full-screen wall as a page', () => {
    expect(wallFullscreenPath(4)).toBe('/?fullscreen=1&layout=4#/wall');
    expect(wallFullscreenPath(null)).toBe('/?fullscreen=1#/wall');
  });
});

describe('wall alarms and countdown', () => {
  const alarm = (id: number, over: Partial<Alarm> = {}): Alarm => ({
    id,
    sourceKind: 'outside',
    sourceId: 1,
    sourceName: 'Feed',
    kind: 'offline',
    severity: 'critical',
    itemId: null,
    raisedAt: id * 1000,
    clearedAt: null,
    acknowledgedAt: null,
    acknowledgedBy: null,
    message: 'cannot open',
    ...over,
  });

  it('raised joins newest first, acknowledged replaces, cleared leaves', () => {
    let active = patchActiveAlarms([], { change: 'raised', alarm: alarm(1) });
    active = patchActiveAlarms(active, { change: 'raised', alarm: alarm(2) });
    expect(active.map((a) => a.id)).toEqual([2, 1]);
    active = patchActiveAlarms(active, {
      change: 'acknowledged',
      alarm: alarm(1, { acknowledgedAt: 5000 }),
    });
    expect(active.find((a) => a.id === 1)?.acknowledgedAt).toBe(5000);
    active = patchActiveAlarms(active, { change: 'cleared', alarm: alarm(2, { clearedAt: 6000 }) });
    expect(active.map((a) => a.id)).toEqual([1]);
  });

  it('counts down in minutes and seconds, hours when needed, never below zero', () => {
    expect(countdown(65_000)).toBe('1:05');
    expect(countdown(59_001)).toBe('1:00');
    expect(countdown(3_725_000)).toBe('1:02:05');
    expect(countdown(-5)).toBe('0:00');
  });
});
