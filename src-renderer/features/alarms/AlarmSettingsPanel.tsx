import { useState } from 'react';
import {
  ALARM_KINDS,
  AlarmsSettingsSchema,
  type AlarmKind,
  type AlarmsSettings,
  type AlarmSeverity,
  type AlarmThresholds,
} from '../../../src-shared/contract';
import { Panel } from '../station/Panel';
import { kindLabels } from './format';
import { useAlarmsSettings, useSaveAlarmsSettings } from './queries';

const SEVERITIES: AlarmSeverity[] = ['info', 'warning', 'critical'];
const seconds = (ms: number) => String(ms / 1000);
const toMs = (text: string) => Math.round(Number(text) * 1000);
const DELAYS = [
  { key: 'setDelayMs', label: 'set delay' },
  { key: 'clearDelayMs', label: 'clear delay' },
] as const;

type ThresholdField = {
  key: keyof AlarmThresholds;
  label: string;
  unit: 's' | 'dB' | 'ratio' | 'min';
};
const THRESHOLDS: ThresholdField[] = [
  { key: 'detectMinMs', label: 'Shortest black / freeze / silence', unit: 's' },
  { key: 'blackPictureRatio', label: 'Black: share of dark pixels', unit: 'ratio' },
  { key: 'blackPixelLevel', label: 'Black: pixel level', unit: 'ratio' },
  { key: 'freezeNoiseDb', label: 'Freeze: noise tolerance', unit: 'dB' },
  { key: 'silenceNoiseDb', label: 'Silence: below', unit: 'dB' },
  { key: 'stalledAfterMs', label: 'Stalled after no media for', unit: 's' },
  { key: 'mediaNotReadyHorizonMs', label: 'Media not ready: look ahead', unit: 'min' },
];

function shown(field: ThresholdField, value: number): string {
  if (field.unit === 's') return seconds(value);
  if (field.unit === 'min') return String(value / 60_000);
  return String(value);
}
function parsed(field: ThresholdField, text: string): number {
  if (field.unit === 's') return toMs(text);
  if (field.unit === 'min') return Math.round(Number(text) * 60_000);
  return Number(text);
}

/** Per kind: on/off, severity, set and clear delays; detection thresholds; cap and sound. */
export function AlarmSettingsPanel() {
  const settings = useAlarmsSettings();
  const save = useSaveAlarmsSettings();
  // Null while not editing: the panel shows the core's settings, changed by any window.
  const [edited, setDraft] = useState<AlarmsSettings | null>(null);
  const draft = edited ?? settings.data;
  if (!draft) return <Panel title="Alarm settings">{null}</Panel>;

  const check = AlarmsSettingsSchema.safeParse(draft);
  const problem = check.success
    ? null
    : check.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
  const setKind = (kind: AlarmKind, patch: Partial<AlarmsSettings['kinds'][AlarmKind]>) =>
    setDraft({ ...draft, kinds: { ...draft.kinds, [kind]: { ...draft.kinds[kind], ...patch } } });
  const dirty = edited !== null && JSON.stringify(edited) !== JSON.stringify(settings.data);

  return (
    <Panel
      title="Alarm settings"
      testId="alarms-settings"
      aside={
        <button
          type="button"
          className="button button--primary"
          data-testid="alarms-settings-save"
          disabled={!dirty || problem !== null || save.isPending}
          onClick={() => save.mutate(draft, { onSuccess: () => setDraft(null) })}
        >
          Save
        </button>
      }
    >
      <table className="ui-table alarms-settings" aria-label="Alarm settings by kind">
        <thead>
          <tr>
            <th>Kind</th>
            <th>On</th>
            <th>Severity</th>
            <th>Set delay (s)</th>
            <th>Clear delay (s)</th>
          </tr>
        </thead>
        <tbody>
          {ALARM_KINDS.map((kind) => {
            const k = draft.kinds[kind];
            return (
              <tr key={kind} data-testid="alarm-kind-settings" data-kind={kind}>
                <td>{kindLabels[kind]}</td>
                <td>
                  <input
                    type="checkbox"
                    aria-label={`${kindLabels[kind]} on`}
                    checked={k.enabled}
                    onChange={(e) => setKind(kind, { enabled: e.target.checked })}
                  />
                </td>
                <td>
                  <select
                    aria-label={`${kindLabels[kind]} severity`}
                    value={k.severity}
                    onChange={(e) => setKind(kind, { severity: e.target.value as AlarmSeverity })}
                  >
                    {SEVERITIES.map((s) => (
                      <option key={s}>{s}</option>
                    ))}
                  </select>
                </td>
                {DELAYS.map(({ key, label }) => (
                  <td key={key}>
                    <input
                      type="number"
                      min={0}
                      step={0.5}
                      aria-label={`${kindLabels[kind]} ${label}`}
                      value={seconds(k[key])}
                      onChange={(e) => setKind(kind, { [key]: toMs(e.target.value) })}
                    />
                  </td>
                ))}
              </tr>
            );
          })}
        </tbody>
      </table>
      <div className="alarms-thresholds">
        {THRESHOLDS.map((field) => (
          <label key={field.key} className="field">
            <span className="field__hint">
              {field.label} ({field.unit})
            </span>
            <input
              type="number"
              step="any"
              value={shown(field, draft.thresholds[field.key])}
              onChange={(e) =>
                setDraft({
                  ...draft,
                  thresholds: { ...draft.thresholds, [field.key]: parsed(field, e.target.value) },
                })
              }
            />
          </label>
        ))}
        <label className="field">
          <span className="field__hint">Channels monitored at most</span>
          <input
            type="number"
            min={0}
            max={256}
            value={draft.monitoredChannelsCap}
            onChange={(e) =>
              setDraft({ ...draft, monitoredChannelsCap: Math.round(Number(e.target.value)) })
            }
          />
        </label>
        <label className="alarms-sound">
          <input
            type="checkbox"
            data-testid="alarms-sound"
            checked={draft.sound}
            onChange={(e) => setDraft({ ...draft, sound: e.target.checked })}
          />
          Sound while an alarm is not acknowledged
        </label>
      </div>
      {problem && <p className="form-error">{problem}</p>}
      {save.isError && <p className="form-error">{save.error.message}</p>}
    </Panel>
  );
}
