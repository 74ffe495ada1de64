// The station slate is a dark card with no sound: black, still and silent. On a channel, a
// condition is an alarm only where the timeline plans a programme; while it plans slate (a gap,
// a break, a hold, slate standing in for missing media) the condition is what was asked for.
//
// This sits in front of a ConditionDebouncer on the stream's timeline. Planned slate begins:
// an alarm up starts its clear delay, a condition still pending is forgotten. Slate ends with
// the condition still there: it starts afresh, so the set delay counts from the programme start.
import type { ConditionDebouncer, Delays, Transition } from './condition-debouncer';

/** What the plan says at a stream instant: slate or not, and until when (stream ms) it says so. */
export type PlannedStretch = { slate: boolean; until: number };

/** The plan at a stream instant; null when unknown (judged as a programme). */
export type StreamPlan = (streamMs: number) => PlannedStretch | null;

/** More plan boundaries than this in one step means a broken plan: stop walking. */
const MAX_STEPS = 10_000;

export class SlateMaskedCondition {
  /** The detection filter says the condition holds (whatever the plan). */
  private detected = false;
  private masked = false;
  /** Stream time the plan has been walked to, and where it may change next (null: ask again). */
  private cursor: number | null = null;
  private until: number | null = null;

  constructor(
    private readonly debouncer: ConditionDebouncer,
    private readonly plan: StreamPlan,
  ) {}

  get raised(): boolean {
    return this.debouncer.raised;
  }

  get present(): boolean {
    return this.debouncer.present;
  }

  setDelays(delays: Delays): void {
    this.debouncer.setDelays(delays);
  }

  /** The stream-to-air mapping changed (a new run): ask the plan again from where we are. */
  replan(): void {
    this.until = this.cursor;
  }

  start(atMs: number): Transition[] {
    const out: Transition[] = [];
    const late = this.cursor !== null && atMs < this.cursor;
    if (!late) this.walkTo(atMs, out);
    if (this.detected) return out;
    this.detected = true;
    if (late) out.push(...this.lateStart(atMs, this.cursor!));
    else if (!this.masked) out.push(...this.debouncer.start(atMs));
    return out;
  }

  end(atMs: number): Transition[] {
    const out: Transition[] = [];
    this.walkTo(atMs, out);
    this.detected = false;
    out.push(...this.debouncer.end(atMs));
    return out;
  }

  advance(nowMs: number): Transition[] {
    const out: Transition[] = [];
    this.walkTo(nowMs, out);
    out.push(...this.debouncer.advance(nowMs));
    return out;
  }

  reset(atMs: number): Transition[] {
    this.detected = false;
    return this.debouncer.reset(atMs);
  }

  /** Plan boundaries from the cursor to `to`, in order, applied to what is detected. */
  private walkTo(to: number, out: Transition[]): void {
    if (this.cursor !== null && to <= this.cursor) return;
    if (this.cursor === null || this.until === null) {
      // Nothing known ahead: what the plan says now holds from now.
      const stretch = this.plan(to);
      this.cursor = to;
      this.until = stretch ? Math.max(stretch.until, to + 1) : null;
      this.apply(stretch?.slate ?? false, to, out);
      return;
    }
    for (let step = 0; this.until !== null && this.until <= to && step < MAX_STEPS; step++) {
      const at: number = this.until;
      const stretch = this.plan(at);
      this.until = stretch ? Math.max(stretch.until, at + 1) : null;
      this.apply(stretch?.slate ?? false, at, out);
    }
    this.cursor = to;
  }

  private apply(masked: boolean, at: number, out: Transition[]): void {
    if (masked === this.masked) return;
    this.masked = masked;
    if (masked) {
      // Whatever came due before the slate is judged first.
      out.push(...this.debouncer.advance(at));
      if (this.debouncer.raised) out.push(...this.debouncer.end(at));
      else this.debouncer.reset(at);
    } else if (this.detected) out.push(...this.debouncer.start(at));
  }

  /**
   * A start reported after the plan was walked past it (silence is reported once it has
   * lasted the minimum): replay the stretch from `from` to `to` with the condition held. The
   * debouncer's clock is already at `to`, so a piece that slate cut short of the set delay is
   * never started (it would be raised at once), and one that lasted is raised and ended.
   */
  private lateStart(from: number, to: number): Transition[] {
    const out: Transition[] = [];
    const held = (a: number, b: number) => {
      if (b - a >= this.debouncer.setDelayMs)
        out.push(...this.debouncer.start(a), ...this.debouncer.end(b));
    };
    let pieceFrom: number | null = null;
    let at = from;
    for (let step = 0; at < to && step < MAX_STEPS; step++) {
      const stretch = this.plan(at);
      const slate = stretch?.slate ?? false;
      if (!slate && pieceFrom === null) pieceFrom = at;
      else if (slate && pieceFrom !== null) {
        held(pieceFrom, at);
        pieceFrom = null;
      }
      at = stretch ? Math.max(stretch.until, at + 1) : to;
    }
    if (pieceFrom !== null) {
      if (this.masked) held(pieceFrom, to);
      else out.push(...this.debouncer.start(pieceFrom));
    }
    return out;
  }
}
