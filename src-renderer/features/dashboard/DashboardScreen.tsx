import { alarmNeedsAttention } from '../../../src-shared/contract';
import { useMemo } from 'react';
import type { Zone } from '../channels-control/format';
import { useClockStore } from '../clock/store';
import { useSettings } from '../settings/queries';
import { Panel, Readout } from '../station/Panel';
import { formatBytes, formatLoad } from '../station/format';
import { ActiveAlarmsPanel } from '../alarms/ActiveAlarmsPanel';
import { useAlarmSound } from '../alarms/alarm-sound';
import { useActiveAlarmList, useAlarmEvents, useAlarmsSettings } from '../alarms/queries';
import { useCan } from '../auth/store';
import { AudiencePanel } from './AudiencePanel';
import { ChannelTable } from './ChannelTable';
import { useDashboard } from './queries';
import '../station/station.css';
import '../channels-control/channels-control.css';
import '../alarms/alarms.css';
import './dashboard.css';

/** The station at work: channels on air, viewers, ingest, disk, ffmpeg, CPU, memory, alarms. All live, nothing polled. */
export function DashboardScreen() {
  useAlarmEvents();
  const dashboard = useDashboard();
  const active = useActiveAlarmList();
  const alarmSettings = useAlarmsSettings();
  const settings = useSettings().data;
  const now = useClockStore((store) => store.coreNow) ?? 0;
  const alarms = useMemo(() => active.data ?? [], [active.data]);
  const canSeeAudience = useCan('audience.read');
  useAlarmSound(Boolean(alarmSettings.data?.sound) && alarms.some(alarmNeedsAttention));
  const viewers = useMemo(
    () => new Map((dashboard.data?.figures.viewers ?? []).map((v) => [v.channelId, v.viewers])),
    [dashboard.data?.figures.viewers],
  );
  if (!dashboard.data || !settings) {
    return dashboard.isError ? <p className="form-error">{String(dashboard.error)}</p> : null;
  }
  const { figures, channels } = dashboard.data;
  const zone: Zone = { timeZone: settings.timeZone, clockFormat: settings.clockFormat };
  const onAir = channels.filter((c) => c.onAir).length;
  const diskShare =
    figures.disk.totalBytes > 0 ? figures.disk.freeBytes / figures.disk.totalBytes : 1;

  return (
    <div className="dash-screen" data-testid="dashboard-screen">
      <div className="dash-figures">
        <Panel title="Channels">
          <Readout
            label="On air"
            value={<span className="readout__big">{onAir}</span>}
            detail={`of ${channels.length}`}
          />
          <Readout
            label="Viewers"
            value={<span data-testid="dash-viewers-total">{figures.viewersTotal}</span>}
            detail="distinct players, last 30 s"
          />
        </Panel>
        <Panel title="Alarms">
          <Readout
            label="Active"
            value={
              <span
                data-tone={figures.alarms.active > 0 ? 'warn' : 'ok'}
                data-testid="dash-alarms-active"
              >
                {figures.alarms.active}
              </span>
            }
            detail={`${figures.alarms.unacknowledged} not acknowledged`}
          />
          <Readout
            label="Detectors"
            value={figures.detectors.length}
            detail={figures.detectors.filter((d) => d.state !== 'running').length + ' not running'}
          />
        </Panel>
        <Panel title="Ingest">
          <Readout label="Queued" value={figures.ingest.queued} />
          <Readout label="Running" value={figures.ingest.running} />
          <Readout
            label="Failed"
            value={
              <span data-tone={figures.ingest.failed > 0 ? 'warn' : 'ok'}>
                {figures.ingest.failed}
              </span>
            }
          />
        </Panel>
        <Panel title="Storage">
          <Readout
            label="Disk free"
            value={
              <span data-tone={diskShare < 0.1 ? 'warn' : 'ok'} data-testid="dash-disk-free">
                {formatBytes(figures.disk.freeBytes)}
              </span>
            }
            detail={`of ${formatBytes(figures.disk.totalBytes)}`}
          />
          {figures.cache && (
            <Readout
              label="Media cache"
              value={formatBytes(figures.cache.usedBytes)}
              detail={
                figures.cache.limitBytes === null
                  ? 'no limit'
                  : `of ${formatBytes(figures.cache.limitBytes)}`
              }
            />
          )}
        </Panel>
        <Panel title="Core">
          <Readout
            label="CPU"
            value={
              <span data-testid="dash-cpu">{`${figures.process.cpuPercent.toFixed(0)} %`}</span>
            }
            detail={`${figures.process.cores} cores · load ${formatLoad(figures.process.load)}`}
          />
          <Readout
            label="Memory"
            value={formatBytes(figures.process.rssBytes)}
            detail={`heap ${formatBytes(figures.process.heapUsedBytes)}`}
          />
          <Readout
            label="ffmpeg"
            value={<span data-testid="dash-ffmpeg">{figures.ffmpeg.children}</span>}
            detail={
              figures.ffmpeg.byLabel.map((l) => `${l.label} ${l.count}`).join(' · ') ||
              'none running'
            }
          />
        </Panel>
      </div>
      {alarms.length > 0 && <ActiveAlarmsPanel alarms={alarms} zone={zone} now={now} />}
      <Panel title="Channels on air">
        <ChannelTable channels={channels} viewers={viewers} alarms={alarms} zone={zone} now={now} />
      </Panel>
      {canSeeAudience && (
        <AudiencePanel channels={channels} timeZone={settings.timeZone} now={now} />
      )}
    </div>
  );
}
