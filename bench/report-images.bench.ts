// Report generation with screenshots inline (issue 15): 1,000 notes of which 200 carry a
// screenshot (200 distinct 1280×720 PNG frames made by ffmpeg, as the recorder writes them),
// over a week of 30 people's statistics, written as DOCX, XLSX and PDF. Baseline in the same
// run: the same notes and statistics without screenshots. A third case is what the station
// writes: the same screenshots shrunk to print width as JPEG by ffmpeg. Runs alternate (with,
// shrunk, without) so a change in the machine's load hits all three. Prints one JSON line.
//   BENCH_REPORT_RUNS  runs per format and case (default 1; the median is reported)
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createFfmpegRegistry, resolveFfmpeg } from '../src-main/core/ffmpeg/index';
import { buildReportData, type ReportNote } from '../src-main/core/reports/report-data';
import { writeReport } from '../src-main/core/reports/report-files';
import { createImageShrinker } from '../src-main/core/reports/shrink-image';
import type { PersonMinute } from '../src-shared/contract';

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;
const PEOPLE = 30;
const SOURCES = 10;
const NOTES = 1000;
const SHOTS = 200;
const RUNS = Number(process.env.BENCH_REPORT_RUNS ?? 1);
const T0 = Date.UTC(2026, 10, 3);
const round = (ms: number) => Math.round(ms);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const dir = mkdtempSync(join(tmpdir(), 'airdeck-bench-report-images-'));
// Moving test pattern with light noise: frames that compress like broadcast pictures do, not
// like flat colour.
execFileSync(resolveFfmpeg().ffmpeg.path, [
  '-hide_banner',
  '-v',
  'error',
  '-f',
  'lavfi',
  '-i',
  'testsrc2=size=1280x720:rate=25',
  '-vf',
  'noise=alls=6:allf=t',
  '-frames:v',
  String(SHOTS),
  join(dir, 'shot-%03d.png'),
]);
const shots = readdirSync(dir)
  .filter((f) => f.endsWith('.png'))
  .sort()
  .map((f) => join(dir, f));
const shotBytes = shots.reduce((sum, f) => sum + statSync(f).size, 0);

// A week of 8-hour shifts for 30 people, as the shifts-stats bench lays them out.
const people: PersonMinute[] = [];
for (let d = 0; d < 7; d++)
  for (let p = 1; p <= PEOPLE; p++) {
    const start = T0 + d * DAY + (p % 3) * 8 * 60 * MINUTE;
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
const sources = Array.from({ length: SOURCES }, (_, s) => ({
  sourceId: s + 1,
  minute: T0,
  reviewedMs: 45_000,
}));

const notes = (withShots: boolean): ReportNote[] =>
  Array.from({ length: NOTES }, (_, i) => ({
    at: T0 + i * 10 * MINUTE,
    personId: (i % PEOPLE) + 1,
    sourceId: (i % SOURCES) + 1,
    text: `Note ${i}: the break ran 12 s long; lower third misspelt "Müller"; loudness fine.`,
    // Every fifth note has a screenshot: 200 of 1,000.
    screenshots: withShots && i % 5 === 0 ? [shots[i / 5]!] : [],
  }));

const shrink = createImageShrinker({ binaries: resolveFfmpeg(), registry: createFfmpegRegistry() });

async function report(withShots: boolean, format: 'docx' | 'xlsx' | 'pdf', shrunk = false) {
  const t = performance.now();
  const data = buildReportData({
    title: 'Bench',
    zone: 'Europe/Berlin',
    from: T0,
    to: T0 + 7 * DAY,
    generatedAt: Date.now(),
    people,
    sources,
    notes: notes(withShots),
    personName: (id) => `Person ${id}`,
    sourceName: (id) => `Source ${id}`,
  });
  const file = await writeReport(data, format, undefined, shrunk ? shrink : undefined);
  return { ms: performance.now() - t, bytes: file.length };
}

async function main() {
  const loadBefore = loadavg().map((l) => l.toFixed(1));
  const results: Record<string, unknown> = {};
  for (const format of ['docx', 'xlsx', 'pdf'] as const) {
    const withShots: { ms: number; bytes: number }[] = [];
    const without: { ms: number; bytes: number }[] = [];
    const shrunk: { ms: number; bytes: number }[] = [];
    for (let r = 0; r < RUNS; r++) {
      withShots.push(await report(true, format));
      shrunk.push(await report(true, format, true));
      without.push(await report(false, format));
    }
    results[format] = {
      with200ShotsMs: round(median(withShots.map((x) => x.ms))),
      with200ShotsBytes: withShots[0]!.bytes,
      shrunkShotsMs: round(median(shrunk.map((x) => x.ms))),
      shrunkShotsBytes: shrunk[0]!.bytes,
      baselineNoShotsMs: round(median(without.map((x) => x.ms))),
      baselineNoShotsBytes: without[0]!.bytes,
      runsWithMs: withShots.map((x) => round(x.ms)),
      runsBaselineMs: without.map((x) => round(x.ms)),
    };
  }
  rmSync(dir, { recursive: true, force: true });
  console.log(
    JSON.stringify({
      bench: 'report-images',
      notes: NOTES,
      screenshots: SHOTS,
      screenshotBytesTotal: shotBytes,
      statisticsRows: people.length,
      runs: RUNS,
      loadBefore,
      loadAfter: loadavg().map((l) => l.toFixed(1)),
      ...results,
    }),
  );
}

void main();
