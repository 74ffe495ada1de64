// Desk statistics and reports (issue 15), in process on a real SQLite file:
//  1. the record path: a desk log of 30 people for one hour is folded into minutes and stored
//     (what `StatsApi.record` does), per event; baseline in the same run: one INSERT per event
//     into a plain log table (what storing the raw events would cost);
//  2. the Team screen's load for 30 people × 30 days: `statsBuckets` per day (what the screen
//     asks), against `statsMinutes` (every minute: its queries, JSON payload and a fold), and
//     statsMinutes for one day;
//  3. report generation for 1,000 notes, per format (DOCX, XLSX, PDF, CSV); baseline: 10 notes.
// Prints one JSON line.
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { openDatabase } from '../src-main/core/db/open-database';
import { buildReportData, type ReportNote } from '../src-main/core/reports/report-data';
import { writeReport } from '../src-main/core/reports/report-files';
import { createStatsStore } from '../src-main/core/shifts/stats-store';
import type { PersonMinute, SourceMinute } from '../src-shared/contract';
import type { DeskEvent } from '../src-shared/stats/desk-events';
import { minuteTable } from '../src-shared/stats/minute-table';
import { personTotals } from '../src-shared/stats/team-totals';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const PEOPLE = 30;
const SOURCES = 10;
const T0 = Date.UTC(2026, 10, 2);
const round = (ms: number) => Math.round(ms * 1000) / 1000;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const dir = mkdtempSync(join(tmpdir(), 'airdeck-bench-stats-'));
const { db } = openDatabase(join(dir, 'airdeck.db'));
const stats = createStatsStore(db);

// 1. An hour of desk work: each person signs in, types every 2 s, plays two sources at 4×/8×,
// writes a note every 5 minutes, takes a screenshot every 10.
function deskHour(start: number): DeskEvent[] {
  const events: DeskEvent[] = [];
  for (let p = 1; p <= PEOPLE; p++) {
    const base = { personId: p, deskSession: `s${p}` };
    const a = (p % SOURCES) + 1;
    const b = ((p + 3) % SOURCES) + 1;
    events.push({ ...base, at: start, type: 'sessionStart' });
    events.push({ ...base, at: start + 1000, type: 'sourceOpen', sourceId: a });
    events.push({ ...base, at: start + 1000, type: 'sourceOpen', sourceId: b });
    events.push({ ...base, at: start + 2000, type: 'playbackStart', sourceId: a, speed: 4 });
    events.push({ ...base, at: start + 2000, type: 'playbackStart', sourceId: b, speed: 8 });
    for (let t = 3000; t < HOUR - 1000; t += 2000) {
      events.push({ ...base, at: start + t, type: 'input' });
      if (t % (5 * MINUTE) === 3000)
        events.push({ ...base, at: start + t, type: 'noteCreated', sourceId: a, characters: 120 });
      if (t % (10 * MINUTE) === 3000)
        events.push({ ...base, at: start + t, type: 'screenshot', sourceId: b });
    }
    events.push({ ...base, at: start + HOUR - 500, type: 'sessionEnd' });
  }
  return events.sort((x, y) => x.at - y.at);
}

const log = deskHour(T0);
const recordRuns: number[] = [];
for (let i = 0; i < 5; i++) {
  const t = performance.now();
  const table = minuteTable(log, { idleMs: MINUTE, until: T0 + HOUR });
  stats.replaceWindow(T0, T0 + HOUR, table.people, table.sources);
  recordRuns.push(performance.now() - t);
}
db.exec('CREATE TABLE raw_events (at INTEGER, person_id INTEGER, type TEXT, body TEXT) STRICT');
const insertRaw = db.prepare('INSERT INTO raw_events VALUES (?, ?, ?, ?)');
const rawRuns: number[] = [];
for (let i = 0; i < 5; i++) {
  db.exec('DELETE FROM raw_events');
  const t = performance.now();
  db.transaction(() => {
    for (const e of log) insertRaw.run(e.at, e.personId, e.type, JSON.stringify(e));
  })();
  rawRuns.push(performance.now() - t);
}

// 2. 30 people × 30 days of 8-hour shifts, 10 sources reviewed 8 hours a day.
const DAYS = 30;
const seedFrom = T0 + DAY;
db.transaction(() => {
  for (let d = 0; d < DAYS; d++) {
    const day = seedFrom + d * DAY;
    const people: PersonMinute[] = [];
    const sources: SourceMinute[] = [];
    for (let p = 1; p <= PEOPLE; p++) {
      const start = day + (p % 3) * 8 * HOUR;
      for (let m = 0; m < 8 * 60; m++)
        people.push({
          personId: p,
          minute: start + m * MINUTE,
          signedInMs: MINUTE,
          activeMs: m % 4 === 0 ? 20_000 : MINUTE,
          sourcesOpen: 2,
          speedMs: { '4': 30_000, '8': 30_000 },
          notes: m % 5 === 0 ? 1 : 0,
          characters: m % 5 === 0 ? 120 : 0,
          screenshots: m % 10 === 0 ? 1 : 0,
          clips: 0,
        });
    }
    for (let s = 1; s <= SOURCES; s++)
      for (let m = 0; m < 8 * 60; m++)
        sources.push({ sourceId: s, minute: day + m * MINUTE, reviewedMs: 45_000 });
    stats.replaceWindow(day, day + DAY, people, sources);
  }
})();
function load(from: number, to: number) {
  const t = performance.now();
  const people = stats.people(from, to, null);
  const sources = stats.sources(from, to);
  const queryMs = performance.now() - t;
  const payload = JSON.stringify({ people, sources });
  const t2 = performance.now();
  personTotals(people, [], from, to);
  const foldMs = performance.now() - t2;
  return { queryMs, foldMs, rows: people.length + sources.length, bytes: payload.length };
}
const dayEdges = Array.from({ length: DAYS + 1 }, (_, d) => seedFrom + d * DAY);
function loadBuckets() {
  const t = performance.now();
  const sums = stats.buckets(dayEdges);
  const queryMs = performance.now() - t;
  return {
    queryMs,
    rows: sums.people.length + sums.sources.length,
    bytes: JSON.stringify(sums).length,
  };
}
const bucketRuns = [0, 1, 2, 3, 4].map(loadBuckets);
const month = [0, 1, 2].map(() => load(seedFrom, seedFrom + DAYS * DAY));
const oneDay = [0, 1, 2, 3, 4].map(() => load(seedFrom, seedFrom + DAY));

// 3. Reports.
const names = (id: number) => `Person ${id}`;
const sourceName = (id: number) => `Source ${id}`;
const notes = (n: number): ReportNote[] =>
  Array.from({ length: n }, (_, i) => ({
    at: seedFrom + i * 17 * MINUTE,
    personId: (i % PEOPLE) + 1,
    sourceId: (i % SOURCES) + 1,
    text: `Note ${i}: the break ran 12 s long; lower third misspelt "Müller"; loudness fine.`,
  }));
const weekPeople = stats.people(seedFrom, seedFrom + 7 * DAY, null);
const weekSources = stats.sources(seedFrom, seedFrom + 7 * DAY);
async function report(n: number, format: 'docx' | 'xlsx' | 'pdf' | 'csv') {
  const t = performance.now();
  const data = buildReportData({
    title: 'Bench',
    zone: 'Europe/Berlin',
    from: seedFrom,
    to: seedFrom + 7 * DAY,
    generatedAt: Date.now(),
    people: weekPeople,
    sources: weekSources,
    notes: notes(n),
    personName: names,
    sourceName,
  });
  const file = await writeReport(data, format);
  return { ms: performance.now() - t, bytes: file.length };
}
async function main() {
  const reports: Record<string, unknown> = {};
  for (const format of ['docx', 'xlsx', 'pdf', 'csv'] as const) {
    const big = await report(1000, format);
    const small = await report(10, format);
    reports[format] = {
      notes1000Ms: round(big.ms),
      notes1000Bytes: big.bytes,
      baselineNotes10Ms: round(small.ms),
    };
  }

  db.close();
  rmSync(dir, { recursive: true, force: true });
  console.log(
    JSON.stringify({
      bench: 'shifts-stats',
      load: loadavg()[0]!.toFixed(1),
      record: {
        events: log.length,
        people: PEOPLE,
        windowMinutes: 60,
        medianMs: round(median(recordRuns)),
        perEventUs: round((median(recordRuns) / log.length) * 1000),
        baselineRawInsertPerEventUs: round((median(rawRuns) / log.length) * 1000),
      },
      teamLoad30x30Buckets: {
        rows: bucketRuns[0]!.rows,
        payloadBytes: bucketRuns[0]!.bytes,
        queryMsMedian: round(median(bucketRuns.map((m) => m.queryMs))),
      },
      teamLoad30x30: {
        rows: month[0]!.rows,
        payloadBytes: month[0]!.bytes,
        queryMsMedian: round(median(month.map((m) => m.queryMs))),
        foldMsMedian: round(median(month.map((m) => m.foldMs))),
        baselineOneDay: {
          rows: oneDay[0]!.rows,
          payloadBytes: oneDay[0]!.bytes,
          queryMsMedian: round(median(oneDay.map((m) => m.queryMs))),
        },
      },
      reports,
    }),
  );
}

void main();
