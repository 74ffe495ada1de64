// The desk log's roll-up reads only a window and the state-changing events before it of the
// sessions still open there. This checks, on a real SQLite file, that every minute it computes
// is exactly the minute the whole log gives, wherever the window starts.
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { DeskEvent } from '../../src-shared/stats/desk-events';
import { minuteTable, MINUTE_MS } from '../../src-shared/stats/minute-table';
import { openDatabase } from '../../src-main/core/db/open-database';
import { createDeskLogStore, type LoggedEvent } from '../../src-main/core/notes/desk-log-store';
import { makeTempDir } from '../helpers/temp-dir';

const IDLE_MS = 60_000;
const T0 = Date.UTC(2026, 2, 10, 10, 0, 0);
const s = (seconds: number) => T0 + seconds * 1000;

describe('the desk log window', () => {
  const dir = makeTempDir();
  const { db } = openDatabase(join(dir.path, 'desk.db'));
  const log = createDeskLogStore(db);
  afterAll(() => {
    db.close();
    dir.remove();
  });

  // Two people, three desk sessions over about 20 minutes: long playback across many minutes,
  // input every 40 s, a speed change, sources opened before the windows start, a server count.
  const desks: [number, string, LoggedEvent[]][] = [
    [
      1,
      'a',
      [
        { type: 'sessionStart', at: s(0) },
        { type: 'sourceOpen', at: s(5), sourceId: 7 },
        { type: 'playbackStart', at: s(10), sourceId: 7, speed: 2 },
        ...Array.from({ length: 20 }, (_, i) => ({ type: 'input' as const, at: s(20 + i * 40) })),
        { type: 'playbackStart', at: s(400), sourceId: 7, speed: 8 },
        { type: 'playbackStop', at: s(900), sourceId: 7 },
        { type: 'sessionEnd', at: s(1100) },
      ],
    ],
    [
      2,
      'b',
      [
        { type: 'sessionStart', at: s(100) },
        { type: 'sourceOpen', at: s(100), sourceId: 8 },
        { type: 'playbackStart', at: s(130), sourceId: 8, speed: 16 },
        { type: 'input', at: s(700) },
      ],
    ],
    [
      2,
      'c',
      [
        { type: 'sessionStart', at: s(650) },
        { type: 'input', at: s(651) },
      ],
    ],
  ];
  for (const [person, desk, events] of desks) log.appendDesk(person, desk, events, s(0));
  log.appendServer(1, { type: 'noteCreated', at: s(300), sourceId: 7, characters: 12 });
  const until = s(1200);
  const whole: DeskEvent[] = desks
    .flatMap(([personId, deskSession, events]) =>
      events.map((e) => ({ ...e, personId, deskSession }) as DeskEvent),
    )
    .concat({
      type: 'noteCreated',
      at: s(300),
      personId: 1,
      deskSession: 'server',
      sourceId: 7,
      characters: 12,
    })
    .sort((a, b) => a.at - b.at);
  const all = minuteTable(whole, { idleMs: IDLE_MS, until });

  it.each([0, 1, 2, 5, 7, 11, 15, 19])('matches the whole log from minute %i on', (m) => {
    const from = T0 + m * MINUTE_MS;
    const part = minuteTable(log.window(from - IDLE_MS, until), { idleMs: IDLE_MS, until });
    const after = <T extends { minute: number }>(rows: T[]) => rows.filter((r) => r.minute >= from);
    expect(after(part.people)).toEqual(after(all.people));
    expect(after(part.sources)).toEqual(after(all.sources));
    expect(after(all.people).length).toBeGreaterThan(0);
  });
});
