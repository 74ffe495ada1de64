import { useStationClock } from './use-station-clock';
import './clock.css';

const SIZE = 240;
const CENTER = SIZE / 2;
const SECOND_RING = 104;
const HOUR_RING = 114;

function pointOnRing(radius: number, fraction: number) {
  const angle = fraction * 2 * Math.PI - Math.PI / 2;
  return { cx: CENTER + radius * Math.cos(angle), cy: CENTER + radius * Math.sin(angle) };
}

const secondDots = Array.from({ length: 60 }, (_, index) => pointOnRing(SECOND_RING, index / 60));
const hourDots = Array.from({ length: 12 }, (_, index) => pointOnRing(HOUR_RING, index / 12));

/**
 * The classic studio clock: a ring of 60 seconds dots around the time, readable from across the
 * gallery. The ring fills with each clockTick, so it counts the core's seconds, not this PC's.
 */
export function StudioClock() {
  const { time, live } = useStationClock();
  const second = time ? Number(time.seconds) : -1;
  return (
    <figure className="studio-clock" data-live={live} aria-label="Station studio clock">
      <svg viewBox={`0 0 ${SIZE} ${SIZE}`} role="img" aria-hidden="true">
        {hourDots.map((dot, index) => (
          <circle key={`h${index}`} {...dot} r={3.6} className="studio-clock__hour" />
        ))}
        {secondDots.map((dot, index) => (
          <circle
            key={`s${index}`}
            {...dot}
            r={3}
            className={index <= second ? 'studio-clock__dot is-lit' : 'studio-clock__dot'}
          />
        ))}
        <text
          x={CENTER}
          y={CENTER + 6}
          className="studio-clock__hm"
          data-testid="studio-clock-time"
        >
          {time ? `${time.hours}:${time.minutes}` : '--:--'}
        </text>
        <text x={CENTER} y={CENTER + 46} className="studio-clock__s">
          {time ? time.seconds : '--'}
          {time?.dayPeriod ? ` ${time.dayPeriod}` : ''}
        </text>
      </svg>
    </figure>
  );
}
