// The cut preparer's scan of one channel's coming six hours, on the demo station's plan (500
// channels, stand-in ready assets; see playout-bench-station). Each scan is one synchronous
// block of the event loop, so its CPU time is how long a playlist request can wait behind it:
//   - "full": a channel's whole horizon read (at start, after an edit, a hold or new media);
//   - "slide": the scan every half hour as the clock moves on, which reads only the part of
//     the horizon that came into reach since the last one.
// Cuts are "made" by recording them (no ffmpeg); `ready` checks a file as the real cache does.
// One JSON line.
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import type { CutCache, CutSource } from '../src-main/core/playout/cut-cache';
import { createCutPreparer } from '../src-main/core/playout/cut-preparer';
import type { Variant } from '../src-main/core/playout/media-tables';
import { START, createBenchStation } from './playout-bench-station';

const CHANNELS = Number(process.env.PLAYOUT_CHANNELS ?? 500);
const SLIDES = 4;
const HALF_HOUR = 30 * 60_000;

const cpuMs = (from: NodeJS.CpuUsage) => {
  const d = process.cpuUsage(from);
  return (d.user + d.system) / 1000;
};
const summary = (blocks: number[]) => {
  const sorted = [...blocks].sort((a, b) => a - b);
  const at = (p: number) =>
    sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
  const r = (x: number) => Math.round(x * 100) / 100;
  return { n: sorted.length, p50Ms: r(at(50)), p99Ms: r(at(99)), maxMs: r(sorted.at(-1) ?? NaN) };
};

function main() {
  // Eight hours planned: the last slide's horizon (2 h + 6 h) still has programmes.
  const station = createBenchStation(CHANNELS, 8);
  try {
    const made = new Set<string>();
    const path = (s: CutSource, v: Variant) =>
      join(
        station.mediaDir,
        String(s.assetId),
        'cuts',
        `${v}_${s.seq}_${s.cut.fromMs}_${s.cut.toMs}.ts`,
      );
    const cuts = {
      ready: (s: CutSource, v: Variant) => made.has(path(s, v)) || existsSync(path(s, v)),
      prepare: (s: CutSource, v: Variant) => void made.add(path(s, v)),
    } as unknown as CutCache;
    const preparer = createCutPreparer({ context: station.context, engine: station.engine, cuts });
    // Past the demo's stagger: every channel has started.
    let now = START + 11 * 60_000;
    station.clock.at = now;
    const full: number[] = [];
    for (let c = 1; c <= CHANNELS; c += 1) {
      const a = process.cpuUsage();
      preparer.prepare(c, now);
      full.push(cpuMs(a));
    }
    const cutsAfterFull = made.size;
    const slide: number[] = [];
    for (let s = 0; s < SLIDES; s += 1) {
      now += HALF_HOUR;
      station.clock.at = now;
      for (let c = 1; c <= CHANNELS; c += 1) {
        const a = process.cpuUsage();
        preparer.prepare(c, now);
        slide.push(cpuMs(a));
      }
    }
    process.stdout.write(
      `${JSON.stringify({
        bench: 'playout-prepare',
        channels: CHANNELS,
        full: summary(full),
        slide: summary(slide),
        cutsQueued: { full: cutsAfterFull, slides: made.size - cutsAfterFull },
        loadavg: loadavg().map((x) => x.toFixed(1)),
      })}\n`,
    );
  } finally {
    station.close();
  }
}

main();
