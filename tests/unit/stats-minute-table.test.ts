import { describe, expect, it } from 'vitest';
import type { DeskEvent } from '../../src-shared/stats/desk-events';
import { minuteTable } from '../../src-shared/stats/minute-table';
import { instantToWall } from '../../src-shared/timeline/zone';

const utc = (s: string) => Date.parse(`${s}Z`);
const S = 1000;
type Body = DistributiveOmit<DeskEvent, 'personId' | 'deskSession' | 'at'>;
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;
const ev = (personId: number, deskSession: string, at: string, body: Body): DeskEvent =>
  ({ personId, deskSession, at: utc(at), ...body }) as DeskEvent;

// Person 1 works across local midnight in Berlin (CET, UTC+1): 23:58:30 → 00:01:15.
// Person 2 works across the end of summer time (2026-10-25 03:00 CEST → 02:00 CET, 01:00 UTC):
// the wall clock reads 02:59 → 02:02, three real minutes.
// Person 3 has two windows open; one sits idle while the other plays at 8×, then 16×.
const log: DeskEvent[] = [
  ev(3, 'a', '2026-03-10T10:00:00', { type: 'sessionStart' }),
  ev(3, 'a', '2026-03-10T10:00:00', { type: 'input' }),
  ev(3, 'b', '2026-03-10T10:01:00', { type: 'sessionStart' }),
  ev(3, 'b', '2026-03-10T10:02:00', { type: 'playbackStart', sourceId: 5, speed: 8 }),
  ev(3, 'b', '2026-03-10T10:02:10', { type: 'clip', sourceId: 5 }),
  ev(3, 'b', '2026-03-10T10:02:20', { type: 'playbackStart', sourceId: 5, speed: 16 }),
  ev(3, 'b', '2026-03-10T10:02:30', { type: 'sessionEnd' }),
  ev(3, 'a', '2026-03-10T10:03:00', { type: 'sessionEnd' }),
  ev(1, 'x', '2026-03-10T22:58:30', { type: 'sessionStart' }),
  ev(1, 'x', '2026-03-10T22:58:40', { type: 'input' }),
  ev(1, 'x', '2026-03-10T23:00:00', { type: 'playbackStart', sourceId: 5, speed: 2 }),
  ev(1, 'x', '2026-03-10T23:00:30', { type: 'playbackStop', sourceId: 5 }),
  ev(1, 'x', '2026-03-10T23:00:50', { type: 'noteCreated', sourceId: 5, characters: 42 }),
  ev(1, 'x', '2026-03-10T23:01:15', { type: 'sessionEnd' }),
  ev(2, 'y', '2026-10-25T00:59:00', { type: 'sessionStart' }),
  ev(2, 'y', '2026-10-25T00:59:10', { type: 'input' }),
  ev(2, 'y', '2026-10-25T00:59:30', { type: 'sourceOpen', sourceId: 7 }),
  ev(2, 'y', '2026-10-25T01:00:05', { type: 'noteCreated', sourceId: 7, characters: 10 }),
  ev(2, 'y', '2026-10-25T01:00:50', { type: 'input' }),
  ev(2, 'y', '2026-10-25T01:01:30', { type: 'noteCreated', sourceId: null, characters: 7 }),
  ev(2, 'y', '2026-10-25T01:01:40', { type: 'screenshot', sourceId: 7 }),
  ev(2, 'y', '2026-10-25T01:02:00', { type: 'sessionEnd' }),
];

type Expected = [
  person: number,
  minuteUtc: string,
  signedInS: number,
  activeS: number,
  notes: number,
  characters: number,
  extra?: Partial<{
    sourcesOpen: number;
    speedMs: Record<string, number>;
    screenshots: number;
    clips: number;
  }>,
];
// Worked out by hand from the log above, idle cutoff 60 s.
const expected: Expected[] = [
  [1, '2026-03-10T22:58', 30, 20, 0, 0], // 23:58 local: signed in from :30, input at :40
  [1, '2026-03-10T22:59', 60, 40, 0, 0], // 23:59 local: input keeps her active until :40
  [1, '2026-03-10T23:00', 60, 30, 1, 42, { speedMs: { '2': 30_000 } }], // 00:00 local, next day
  [1, '2026-03-10T23:01', 15, 0, 0, 0], // 00:01 local
  [2, '2026-10-25T00:59', 60, 50, 0, 0, { sourcesOpen: 1 }], // 02:59 CEST
  [2, '2026-10-25T01:00', 60, 20, 1, 10, { sourcesOpen: 1 }], // 02:00 CET, the repeated hour
  [2, '2026-10-25T01:01', 60, 50, 1, 7, { sourcesOpen: 1, screenshots: 1 }], // 02:01 CET
  [3, '2026-03-10T10:00', 60, 60, 0, 0],
  [3, '2026-03-10T10:01', 60, 0, 0, 0], // two windows open, nobody at them
  [3, '2026-03-10T10:02', 60, 30, 0, 0, { speedMs: { '8': 20_000, '16': 10_000 }, clips: 1 }],
];

describe('the minute table of a desk log', () => {
  const table = minuteTable(log, { idleMs: 60 * S, until: utc('2026-12-31T00:00:00') });

  it('gives exactly the hand-computed rows for three people', () => {
    expect(table.people).toEqual(
      expected.map(([personId, minute, signedIn, active, notes, characters, extra]) => ({
        personId,
        minute: utc(`${minute}:00`),
        signedInMs: signedIn * S,
        activeMs: active * S,
        sourcesOpen: 0,
        speedMs: {},
        notes,
        characters,
        screenshots: 0,
        clips: 0,
        ...extra,
      })),
    );
  });

  it('keeps both 02:00 hours of the DST night apart and loses no minute', () => {
    const person2 = table.people.filter((r) => r.personId === 2);
    const local = person2.map((r) =>
      new Date(instantToWall('Europe/Berlin', r.minute)).toISOString().slice(11, 16),
    );
    expect(local).toEqual(['02:59', '02:00', '02:01']);
    expect(person2.reduce((sum, r) => sum + r.signedInMs, 0)).toBe(180 * S);
  });

  it('puts the midnight session on two local days', () => {
    const days = table.people
      .filter((r) => r.personId === 1)
      .map((r) => new Date(instantToWall('Europe/Berlin', r.minute)).toISOString().slice(0, 10));
    expect(days).toEqual(['2026-03-10', '2026-03-10', '2026-03-11', '2026-03-11']);
  });

  it('counts minutes reviewed per source once, whoever played it', () => {
    expect(table.sources).toEqual([
      { sourceId: 5, minute: utc('2026-03-10T10:02:00'), reviewedMs: 30_000 },
      { sourceId: 5, minute: utc('2026-03-10T23:00:00'), reviewedMs: 30_000 },
    ]);
  });

  it('cuts what is still open at the end of the window', () => {
    const open = minuteTable(
      [
        ev(4, 'z', '2026-01-01T12:00:00', { type: 'sessionStart' }),
        ev(4, 'z', '2026-01-01T12:00:30', { type: 'playbackStart', sourceId: 9, speed: 1 }),
      ],
      { idleMs: 60 * S, until: utc('2026-01-01T12:01:00') },
    );
    expect(open.people.map((r) => [r.signedInMs, r.activeMs, r.speedMs])).toEqual([
      [60_000, 30_000, { '1': 30_000 }],
    ]);
  });
});
