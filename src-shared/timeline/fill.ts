import { FRAME_MS } from './frames';
import { seededRandom, shuffle } from './random';

export type FillAsset = { id: number; durationMs: number };
export type FillWindow = { start: number; end: number };
export type FillOrder = 'ordered' | 'shuffled';
export type FillOptions = {
  order: FillOrder;
  /** Same seed, same folder, same windows: the same schedule. */
  seed: number;
  /** An asset does not start again until this long after its previous start. */
  noRepeatWithinMs: number;
  /**
   * A remainder shorter than this is left empty (the playout engine shows the slate there)
   * rather than airing a sliver of a programme. Default: one frame.
   */
  minTailMs?: number;
  /** Recent plays before the windows (from the schedule), so the rule holds across a fill. */
  history?: readonly { assetId: number; startsAt: number }[];
};
export type PlannedItem = { assetId: number; start: number; durationMs: number; trimmed: boolean };
export type FillPlan = {
  items: PlannedItem[];
  /** Remainders shorter than `minTailMs`, left to the slate. */
  unfilled: FillWindow[];
  /** Picks that broke the no-repeat rule because every asset had played within the window. */
  repeats: number;
};

/**
 * Plans items that cover each window exactly: assets play whole, back to back, and the last
 * one is cut at its out point to end exactly at the window's end. No frame rounding happens
 * on that cut: ending on the next item's exact start matters more than a whole frame.
 */
export function planFill(
  windows: readonly FillWindow[],
  assets: readonly FillAsset[],
  options: FillOptions,
): FillPlan {
  const usable = assets.filter((a) => Number.isInteger(a.durationMs) && a.durationMs > 0);
  const plan: FillPlan = { items: [], unfilled: [], repeats: 0 };
  if (usable.length === 0) {
    plan.unfilled.push(...windows.filter((w) => w.end > w.start));
    return plan;
  }
  const minTail = options.minTailMs ?? FRAME_MS;
  const lastStart = new Map<number, number>();
  for (const h of options.history ?? []) {
    lastStart.set(h.assetId, Math.max(lastStart.get(h.assetId) ?? -Infinity, h.startsAt));
  }
  const picker = createPicker(usable, options, lastStart);
  for (const w of [...windows].sort((a, b) => a.start - b.start)) {
    let cursor = w.start;
    while (cursor < w.end) {
      const remaining = w.end - cursor;
      if (remaining < minTail) {
        plan.unfilled.push({ start: cursor, end: w.end });
        break;
      }
      const { asset, repeat } = picker(cursor);
      if (repeat) plan.repeats += 1;
      const durationMs = Math.min(asset.durationMs, remaining);
      plan.items.push({
        assetId: asset.id,
        start: cursor,
        durationMs,
        trimmed: durationMs < asset.durationMs,
      });
      lastStart.set(asset.id, cursor);
      cursor += durationMs;
    }
  }
  return plan;
}

function createPicker(
  assets: readonly FillAsset[],
  options: FillOptions,
  lastStart: Map<number, number>,
): (at: number) => { asset: FillAsset; repeat: boolean } {
  const eligible = (a: FillAsset, at: number) => {
    const last = lastStart.get(a.id);
    return last === undefined || at - last >= options.noRepeatWithinMs;
  };
  // Least recently started first when the rule cannot be kept; never-played counts as oldest.
  const leastRecent = () =>
    [...assets].sort(
      (a, b) => (lastStart.get(a.id) ?? -Infinity) - (lastStart.get(b.id) ?? -Infinity),
    )[0] as FillAsset;

  if (options.order === 'ordered') {
    // Continue after whatever of this folder played most recently, so a day-by-day fill
    // walks the folder instead of restarting it every day.
    let next = 0;
    let latest = -Infinity;
    assets.forEach((a, i) => {
      const t = lastStart.get(a.id);
      if (t !== undefined && t > latest) {
        latest = t;
        next = (i + 1) % assets.length;
      }
    });
    return (at) => {
      for (let k = 0; k < assets.length; k++) {
        const i = (next + k) % assets.length;
        const asset = assets[i] as FillAsset;
        if (eligible(asset, at)) {
          next = (i + 1) % assets.length;
          return { asset, repeat: false };
        }
      }
      const asset = leastRecent();
      next = (assets.indexOf(asset) + 1) % assets.length;
      return { asset, repeat: true };
    };
  }

  const random = seededRandom(options.seed);
  let deck = shuffle(assets, random);
  let position = 0;
  return (at) => {
    if (position >= deck.length) {
      deck = shuffle(assets, random);
      position = 0;
    }
    for (let k = position; k < deck.length; k++) {
      const asset = deck[k] as FillAsset;
      if (eligible(asset, at)) {
        [deck[position], deck[k]] = [asset, deck[position] as FillAsset];
        position += 1;
        return { asset, repeat: false };
      }
    }
    // The rest of this deck played too recently: look at the whole folder before giving in.
    const fresh = assets.find((a) => eligible(a, at));
    if (fresh) return { asset: fresh, repeat: false };
    return { asset: leastRecent(), repeat: true };
  };
}
