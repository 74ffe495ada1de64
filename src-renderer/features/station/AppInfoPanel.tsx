import { clockText, formatStationTime } from '../clock/format-station-time';
import { useSettings } from '../settings/queries';
import { Panel, Readout } from './Panel';
import { useAppInfo } from './queries';

/** Which build is running where: what support asks first. */
export function AppInfoPanel() {
  const { data: info } = useAppInfo();
  const settings = useSettings().data;
  if (!info) return null;
  const started = settings
    ? formatStationTime(info.startedAt, settings.timeZone, settings.clockFormat)
    : null;
  return (
    <Panel title="Application" testId="app-info" className="app-info">
      <div className="readout-row readout-row--wide">
        <Readout label="Version" value={`${info.name} ${info.version}`} testId="app-version" />
        <Readout
          label="Mode"
          value={info.mode === 'desktop' ? 'Desktop' : 'Headless (serve)'}
          testId="app-mode"
        />
        <Readout label="Platform" value={info.platform} detail={`Node ${info.nodeVersion}`} />
        <Readout
          label="Core started"
          value={started ? clockText(started) : '—'}
          detail={started?.date}
        />
        <Readout
          label="Data folder"
          value={<span className="mono">{info.dataDir}</span>}
          testId="app-data-dir"
        />
      </div>
    </Panel>
  );
}
