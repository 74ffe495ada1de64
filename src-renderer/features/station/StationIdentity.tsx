import { clockText, formatStationTime, zoneOffsetLabel } from '../clock/format-station-time';
import { useClockStore } from '../clock/store';
import { useStationClock } from '../clock/use-station-clock';
import { useSettings } from '../settings/queries';
import { formatOffset } from './format';
import { Readout } from './Panel';

const workstationZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
/** Beyond this the workstation clock is visibly wrong against the station; NTP needs a look. */
const DRIFT_WARNING_MS = 2000;

function hms(epochMs: number, timeZone: string, clockFormat: '24h' | '12h') {
  return clockText(formatStationTime(epochMs, timeZone, clockFormat));
}

/** Station name and zone, with UTC and this workstation's time next to the station time. */
export function StationIdentity() {
  const settings = useSettings().data;
  const { time, coreNow } = useStationClock();
  const offsetMs = useClockStore((store) => store.offsetMs);
  if (!settings) return null;
  const clockFormat = settings.clockFormat;
  const drifting = Math.abs(offsetMs) > DRIFT_WARNING_MS;
  return (
    <section className="station-identity" aria-label="Station">
      <p className="eyebrow">Station</p>
      <h1 className="station-identity__name" data-testid="station-screen-name">
        {settings.stationName}
      </h1>
      <p className="station-identity__zone">
        {settings.timeZone}
        <span className="muted">
          {' '}
          · {coreNow === null ? '' : zoneOffsetLabel(settings.timeZone, coreNow)}
        </span>
      </p>
      <p className="station-identity__date">{time?.date ?? ''}</p>
      <div className="readout-row">
        <Readout label="UTC" value={coreNow === null ? '--:--:--' : hms(coreNow, 'UTC', '24h')} />
        <Readout
          label={`Workstation · ${workstationZone}`}
          value={
            coreNow === null ? '--:--:--' : hms(coreNow - offsetMs, workstationZone, clockFormat)
          }
        />
        <Readout
          label="Workstation vs core"
          value={<span data-tone={drifting ? 'warn' : 'ok'}>{formatOffset(offsetMs)}</span>}
          detail={drifting ? 'Check this machine’s time sync (NTP)' : 'Includes network delay'}
        />
      </div>
    </section>
  );
}
