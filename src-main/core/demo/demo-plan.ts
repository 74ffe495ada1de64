// The demo station's schedule as pure arithmetic: one channel's hours of programmes back to
// back, with ad pods (ad clips), a timeline break, a break inside a programme and one gap an
// hour that the slate fills. Same inputs, same plan: a restart or a test can recompute it.
import { FRAME_MS } from '../../../src-shared/timeline';

export type PlanClip = { assetId: number; durationMs: number; title: string };

export type PlannedBreak = { offsetMs: number; durationMs: number; title: string };

export type PlannedItem = {
  kind: 'asset' | 'break';
  assetId: number | null;
  startsAt: number;
  /** Content played (an asset may be trimmed to fill the hour exactly). */
  durationMs: number;
  title: string;
  category: string;
  /** Breaks inside this programme (its air span grows by their total). */
  breaks: PlannedBreak[];
};

export type ChannelPlanInput = {
  /** 0-based; rotates the programme order and staggers the start. */
  channelIndex: number;
  /** First instant of the channel's first hour (already staggered, frame-aligned). */
  startsAt: number;
  hours: number;
  programmes: readonly PlanClip[];
  ads: readonly PlanClip[];
  /** Short mode (tests, e2e): breaks and gaps shrink with the clips. */
  short: boolean;
};

const HOUR_MS = 3_600_000;
const SEGMENT_MS = 2000;
const MIN_TAIL_MS = 2000;

const floorFrame = (ms: number) => Math.floor(ms / FRAME_MS) * FRAME_MS;

/**
 * Where channel `index` starts relative to the demo's start: 7 s steps over ten minutes (600
 * distinct starts), so boundaries of neighbouring channels do not coincide. Whole seconds keep
 * every boundary on a segment edge of the slate (see `planChannel`).
 */
export function channelStagger(index: number, short: boolean): number {
  return short ? (index % 4) * 1000 : (index * 7000) % 600_000;
}

/**
 * The hourly gap the slate fills: 20–90 s, different per hour and channel (2–5 s in short mode,
 * so a short test still meets one).
 */
export function gapLength(channelIndex: number, hour: number, short: boolean): number {
  if (short) return 2000 + ((channelIndex + hour) % 4) * 1000;
  return 20_000 + ((channelIndex * 37 + hour * 53) % 71) * 1000;
}

/**
 * One channel's plan. Each hour: programmes in rotation; after :10 the next programme gets a
 * break at a segment boundary near its middle; after :20 and :45 an ad pod of two ad clips;
 * after :30 a timeline break; the hour ends with its gap (`gapLength`, up to 1 s more), the last
 * programme cut short on a segment boundary.
 *
 * Everything lands on whole seconds and programmes are only ever cut on their own 2 s segment
 * edges: the playout engine then serves every item from its ingested segments, and the only
 * cut it has to make (with ffmpeg, once, shared by all channels) is a 1 s piece of slate.
 */
export function planChannel(input: ChannelPlanInput): PlannedItem[] {
  const { programmes, ads, short } = input;
  if (programmes.length === 0) throw new Error('the demo needs at least one programme clip');
  const items: PlannedItem[] = [];
  const innerBreakMs = short ? 2000 : 12_000;
  const timelineBreakMs = short ? 3000 : 30_000;
  let p = input.channelIndex % programmes.length;
  let a = input.channelIndex % Math.max(1, ads.length);

  for (let hour = 0; hour < input.hours; hour += 1) {
    const hourStart = input.startsAt + hour * HOUR_MS;
    const contentEnd = hourStart + HOUR_MS - gapLength(input.channelIndex, hour, short);
    const marks = { innerBreak: 10, podOne: 20, timelineBreak: 30, podTwo: 45 };
    const done = new Set<keyof typeof marks>();
    let at = hourStart;
    /** True once per hour, at the first placement after the mark's minute. */
    const due = (mark: keyof typeof marks) => {
      if (done.has(mark) || at < hourStart + marks[mark] * 60_000) return false;
      done.add(mark);
      return true;
    };
    const push = (item: Omit<PlannedItem, 'startsAt'>) => {
      items.push({ ...item, startsAt: at });
      at += item.durationMs + item.breaks.reduce((sum, b) => sum + b.durationMs, 0);
    };
    const fits = (ms: number) => at + ms <= contentEnd;

    for (;;) {
      if ((due('podOne') || due('podTwo')) && ads.length > 0) {
        for (let n = 0; n < 2; n += 1) {
          const ad = ads[a % ads.length] as PlanClip;
          if (!fits(ad.durationMs)) break;
          a += 1;
          push({
            kind: 'asset',
            assetId: ad.assetId,
            durationMs: floorFrame(ad.durationMs),
            title: ad.title,
            category: 'Advertising',
            breaks: [],
          });
        }
        continue;
      }
      if (due('timelineBreak') && fits(timelineBreakMs)) {
        push({
          kind: 'break',
          assetId: null,
          durationMs: timelineBreakMs,
          title: 'Ad break',
          category: 'Break',
          breaks: [],
        });
        continue;
      }
      const clip = programmes[p % programmes.length] as PlanClip;
      const wantsBreak = due('innerBreak');
      const breaks: PlannedBreak[] = [];
      // A break on a segment boundary near the middle: the programme's own keyframe is there.
      const offset = Math.floor(clip.durationMs / 2 / SEGMENT_MS) * SEGMENT_MS;
      if (wantsBreak && offset > 0) {
        breaks.push({ offsetMs: offset, durationMs: innerBreakMs, title: 'Mid-programme break' });
      }
      const span = floorFrame(clip.durationMs) + (breaks[0]?.durationMs ?? 0);
      if (fits(span)) {
        p += 1;
        push({
          kind: 'asset',
          assetId: clip.assetId,
          durationMs: floorFrame(clip.durationMs),
          title: clip.title,
          category: 'Programme',
          breaks,
        });
        continue;
      }
      if (wantsBreak) done.delete('innerBreak');
      // The hour's last programme is cut short (in at 0, out early) on a segment boundary.
      const tail = Math.floor((contentEnd - at) / SEGMENT_MS) * SEGMENT_MS;
      if (tail >= MIN_TAIL_MS) {
        p += 1;
        push({
          kind: 'asset',
          assetId: clip.assetId,
          durationMs: Math.min(tail, floorFrame(clip.durationMs)),
          title: clip.title,
          category: 'Programme',
          breaks: [],
        });
        // Only its break did not fit: it aired whole, so keep filling the hour.
        if (tail >= floorFrame(clip.durationMs)) continue;
      }
      break;
    }
  }
  return items;
}
