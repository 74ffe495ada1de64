// Set and clear delays on top of a detected condition, on an injected clock: a condition
// becomes an alarm once it has held `setDelayMs`, and the alarm clears once the condition has
// been gone `clearDelayMs`. A blip shorter than the set delay raises nothing; a gap shorter
// than the clear delay keeps the alarm up.
//
// The clock may be a stream's own timeline (ffmpeg reports black/freeze/silence in stream
// time, possibly a little after the fact) or the wall clock (stalled, offline). Every
// transition carries the exact instant it happened on that clock, however late it was noticed.

export type Delays = { setDelayMs: number; clearDelayMs: number };

export type Transition = { type: 'raise' | 'clear'; atMs: number };

type State =
  | { kind: 'idle' }
  /** `endedAt`: gone since then, resumes if it comes back within the clear delay. */
  | { kind: 'pending'; since: number; endedAt: number | null }
  | { kind: 'raised' }
  | { kind: 'clearing'; since: number };

export class ConditionDebouncer {
  private state: State = { kind: 'idle' };
  private clock = Number.NEGATIVE_INFINITY;

  constructor(private delays: Delays) {}

  /** New delays apply to what is pending from now on. */
  setDelays(delays: Delays): void {
    this.delays = delays;
  }

  /** How long a condition must hold before it is raised. */
  get setDelayMs(): number {
    return this.delays.setDelayMs;
  }

  /** Whether an alarm is up (raised, or raised and waiting out its clear delay). */
  get raised(): boolean {
    return this.state.kind === 'raised' || this.state.kind === 'clearing';
  }

  /** Whether the condition holds now (pending or raised, not clearing). */
  get present(): boolean {
    return (
      (this.state.kind === 'pending' && this.state.endedAt === null) || this.state.kind === 'raised'
    );
  }

  /** The condition began at `atMs` (a second start while it holds is ignored). */
  start(atMs: number): Transition[] {
    const out = this.dueBy(atMs);
    const state = this.state;
    if (state.kind === 'idle') this.state = { kind: 'pending', since: atMs, endedAt: null };
    else if (state.kind === 'clearing') this.state = { kind: 'raised' };
    else if (state.kind === 'pending' && state.endedAt !== null) {
      if (atMs >= state.since + this.delays.setDelayMs) {
        // It would have been raised during the gap had it not gone: it is up from now.
        out.push({ type: 'raise', atMs });
        this.state = { kind: 'raised' };
      } else this.state = { kind: 'pending', since: state.since, endedAt: null };
    }
    out.push(...this.dueBy(this.clock));
    return out;
  }

  /** The condition ended at `atMs`. */
  end(atMs: number): Transition[] {
    const out = this.dueBy(atMs);
    if (this.state.kind === 'pending' && this.state.endedAt === null)
      this.state = { kind: 'pending', since: this.state.since, endedAt: atMs };
    else if (this.state.kind === 'raised') this.state = { kind: 'clearing', since: atMs };
    out.push(...this.dueBy(this.clock));
    return out;
  }

  /**
   * The clock has reached `nowMs` (never goes back: an earlier value is ignored). Returns
   * the transitions due by then, in order.
   */
  advance(nowMs: number): Transition[] {
    if (nowMs > this.clock) this.clock = nowMs;
    return this.dueBy(this.clock);
  }

  /** Transitions due by `t` (an event's own time: a late event is judged when it happened). */
  private dueBy(t: number): Transition[] {
    if (t > this.clock) this.clock = t;
    const out: Transition[] = [];
    if (this.state.kind === 'pending') {
      if (this.state.endedAt === null && t >= this.state.since + this.delays.setDelayMs) {
        out.push({ type: 'raise', atMs: this.state.since + this.delays.setDelayMs });
        this.state = { kind: 'raised' };
      } else if (
        this.state.endedAt !== null &&
        t >= this.state.endedAt + this.delays.clearDelayMs
      ) {
        this.state = { kind: 'idle' };
      }
    }
    if (this.state.kind === 'clearing' && t >= this.state.since + this.delays.clearDelayMs) {
      out.push({ type: 'clear', atMs: this.state.since + this.delays.clearDelayMs });
      this.state = { kind: 'idle' };
    }
    return out;
  }

  /** Forget everything (the source is no longer watched); returns a clear if one was up. */
  reset(atMs: number): Transition[] {
    const wasRaised = this.raised;
    this.state = { kind: 'idle' };
    return wasRaised ? [{ type: 'clear', atMs }] : [];
  }
}
