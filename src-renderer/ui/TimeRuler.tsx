import { useRef, useState, type KeyboardEvent, type PointerEvent } from 'react';

export type RulerSpan = { from: number; to: number };
export type RulerGap = RulerSpan & { label: string };
export type RulerMark = {
  /** Instant (UTC ms), or the start of a range when `to` is set. */
  at: number;
  to?: number;
  /** Drawn as a letter as well as a colour: N note, C clip, S screenshot, M marker, I/O points. */
  kind: 'note' | 'clip' | 'screenshot' | 'marker' | 'in' | 'out';
  label: string;
};

const LETTER: Record<RulerMark['kind'], string> = {
  note: 'N',
  clip: 'C',
  screenshot: 'S',
  marker: 'M',
  in: 'I',
  out: 'O',
};

/** Tick steps to choose from, so a window of any width shows a handful of labelled ticks. */
const STEPS_MS = [
  5_000, 10_000, 30_000, 60_000, 120_000, 300_000, 600_000, 900_000, 1_800_000, 3_600_000,
  7_200_000, 10_800_000, 21_600_000, 43_200_000,
];

export function tickInstants(from: number, to: number, maxTicks = 8): number[] {
  const width = to - from;
  const step = STEPS_MS.find((s) => width / s <= maxTicks) ?? 86_400_000;
  const ticks: number[] = [];
  for (let t = Math.ceil(from / step) * step; t <= to; t += step) ticks.push(t);
  return ticks;
}

export type TimeRulerProps = {
  /** The window shown (UTC ms). */
  from: number;
  to: number;
  /** What is recorded (solid) and the outages (hatched, with their reason). */
  spans: readonly RulerSpan[];
  gaps: readonly RulerGap[];
  marks: readonly RulerMark[];
  playhead: number | null;
  /** Station time of an instant, e.g. "14:05:09". */
  formatTime(at: number): string;
  onSeek(at: number): void;
  label: string;
  /** Arrow keys move the playhead by this much (Shift: ten times as far). */
  keyStepMs?: number;
  testId?: string;
};

/**
 * A time ruler in station time: recorded spans, gaps, marks and ranges, with a playhead. Click
 * or drag to seek (the seek lands when the pointer is let go; the playhead follows the drag);
 * focused, it is a slider: arrows step, Home/End go to the window's ends.
 */
export function TimeRuler(props: TimeRulerProps) {
  const { from, to, playhead, formatTime, keyStepMs = 10_000 } = props;
  const trackRef = useRef<HTMLDivElement>(null);
  const [dragAt, setDragAt] = useState<number | null>(null);
  const width = Math.max(1, to - from);
  const pct = (at: number) => `${(Math.min(Math.max(at - from, 0), width) / width) * 100}%`;
  const widthPct = (a: number, b: number) =>
    `${((Math.min(b, to) - Math.max(a, from)) / width) * 100}%`;
  const shown = dragAt ?? playhead;

  const atPointer = (event: PointerEvent<HTMLDivElement>) => {
    const rect = trackRef.current!.getBoundingClientRect();
    const ratio = Math.min(Math.max((event.clientX - rect.left) / rect.width, 0), 1);
    return Math.round(from + ratio * width);
  };
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const base = playhead ?? from;
    const step = event.shiftKey ? keyStepMs * 10 : keyStepMs;
    const target =
      event.key === 'ArrowLeft'
        ? base - step
        : event.key === 'ArrowRight'
          ? base + step
          : event.key === 'Home'
            ? from
            : event.key === 'End'
              ? to
              : null;
    if (target === null) return;
    event.preventDefault();
    event.stopPropagation();
    props.onSeek(Math.min(Math.max(target, from), to));
  };

  return (
    <div className="time-ruler" data-testid={props.testId}>
      <div
        ref={trackRef}
        className="time-ruler__track"
        role="slider"
        tabIndex={0}
        aria-label={props.label}
        aria-valuemin={from}
        aria-valuemax={to}
        aria-valuenow={Math.round(shown ?? from)}
        aria-valuetext={shown === null ? 'No position' : formatTime(shown)}
        aria-keyshortcuts="ArrowLeft ArrowRight Home End"
        data-from={from}
        data-to={to}
        onKeyDown={onKeyDown}
        onPointerDown={(event) => {
          if (event.button !== 0) return;
          event.currentTarget.setPointerCapture(event.pointerId);
          setDragAt(atPointer(event));
        }}
        onPointerMove={(event) => {
          if (dragAt !== null) setDragAt(atPointer(event));
        }}
        onPointerUp={(event) => {
          if (dragAt === null) return;
          const at = atPointer(event);
          setDragAt(null);
          props.onSeek(at);
        }}
        onPointerCancel={() => setDragAt(null)}
      >
        <div className="time-ruler__lane time-ruler__lane--spans">
          {props.spans
            .filter((s) => s.to > from && s.from < to)
            .map((s) => (
              <span
                key={`s${s.from}`}
                className="time-ruler__span"
                data-testid="ruler-span"
                style={{ left: pct(s.from), width: widthPct(s.from, s.to) }}
                title={`Recorded ${formatTime(s.from)}–${formatTime(s.to)}`}
              />
            ))}
          {props.gaps
            .filter((g) => g.to > from && g.from < to)
            .map((g) => (
              <span
                key={`g${g.from}`}
                className="time-ruler__gap"
                data-testid="ruler-gap"
                style={{ left: pct(g.from), width: widthPct(g.from, g.to) }}
                title={`Gap ${formatTime(g.from)}–${formatTime(g.to)}: ${g.label}`}
              />
            ))}
        </div>
        <div className="time-ruler__lane time-ruler__lane--marks">
          {props.marks
            .filter((m) => (m.to ?? m.at) >= from && m.at <= to)
            .map((m, i) =>
              m.to !== undefined ? (
                <span
                  key={`r${m.kind}${m.at}-${i}`}
                  className={`time-ruler__range time-ruler__range--${m.kind}`}
                  data-testid={`ruler-${m.kind}`}
                  style={{ left: pct(m.at), width: widthPct(m.at, m.to) }}
                  title={m.label}
                >
                  {LETTER[m.kind]}
                </span>
              ) : (
                <span
                  key={`m${m.kind}${m.at}-${i}`}
                  className={`time-ruler__mark time-ruler__mark--${m.kind}`}
                  data-testid={`ruler-${m.kind}`}
                  style={{ left: pct(m.at) }}
                  title={m.label}
                >
                  {LETTER[m.kind]}
                </span>
              ),
            )}
        </div>
        {shown !== null && shown >= from && shown <= to && (
          <span className="time-ruler__playhead" style={{ left: pct(shown) }} />
        )}
      </div>
      <div className="time-ruler__ticks" aria-hidden="true">
        {tickInstants(from, to).map((t) => (
          <span key={t} className="time-ruler__tick" style={{ left: pct(t) }}>
            {formatTime(t)}
          </span>
        ))}
      </div>
    </div>
  );
}
