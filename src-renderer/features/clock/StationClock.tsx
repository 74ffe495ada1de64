import { useStationClock } from './use-station-clock';
import './clock.css';

/** The top bar's clock: HH:MM:SS in the station's zone, the date and zone underneath. */
export function StationClock() {
  const { time, coreNow, timeZone, live } = useStationClock();
  return (
    <div className="station-clock" data-live={live}>
      <time
        className="station-clock__time"
        data-testid="station-clock"
        data-time-zone={timeZone ?? undefined}
        dateTime={coreNow === null ? undefined : new Date(coreNow).toISOString()}
      >
        {time ? (
          <>
            {time.hours}:{time.minutes}
            <span className="station-clock__seconds">:{time.seconds}</span>
            {time.dayPeriod && <span className="station-clock__period"> {time.dayPeriod}</span>}
          </>
        ) : (
          '--:--:--'
        )}
      </time>
      <div className="station-clock__date" data-testid="station-date">
        {time ? time.date : 'Waiting for the core clock…'}
        {timeZone && (
          <span className="station-clock__zone" data-testid="station-zone">
            {timeZone}
            {time && time.zoneName !== timeZone ? ` · ${time.zoneName}` : ''}
          </span>
        )}
      </div>
    </div>
  );
}
