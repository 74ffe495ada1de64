import { alarmNeedsAttention } from '../../../src-shared/contract';
import type { Zone } from '../channels-control/format';
import { useClockStore } from '../clock/store';
import { useSettings } from '../settings/queries';
import { ActiveAlarmsPanel } from './ActiveAlarmsPanel';
import { AlarmLogPanel } from './AlarmLogPanel';
import { AlarmSettingsPanel } from './AlarmSettingsPanel';
import { useAlarmSound } from './alarm-sound';
import { SourcesPanel } from './SourcesPanel';
import { useActiveAlarmList, useAlarmEvents, useAlarmsSettings } from './queries';
import '../station/station.css';
import './alarms.css';

/** Alarms: what is wrong now (acknowledge), what went wrong (log), what is watched and how. */
export function AlarmsScreen() {
  useAlarmEvents();
  const active = useActiveAlarmList();
  const alarmSettings = useAlarmsSettings();
  const settings = useSettings().data;
  const coreNow = useClockStore((store) => store.coreNow) ?? 0;
  const alarms = active.data ?? [];
  useAlarmSound(Boolean(alarmSettings.data?.sound) && alarms.some(alarmNeedsAttention));
  if (!settings) return null;
  const zone: Zone = { timeZone: settings.timeZone, clockFormat: settings.clockFormat };
  return (
    <div className="alarms-screen" data-testid="alarms-screen">
      <div className="alarms-screen__main">
        <ActiveAlarmsPanel alarms={alarms} zone={zone} now={coreNow} />
        <AlarmLogPanel zone={zone} />
      </div>
      <div className="alarms-screen__side">
        <SourcesPanel />
        <AlarmSettingsPanel />
      </div>
    </div>
  );
}
