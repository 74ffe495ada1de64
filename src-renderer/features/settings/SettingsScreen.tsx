import { useState, type FormEvent } from 'react';
import type { Settings, SettingsPatch } from '../../../src-shared/contract';
import { clockText, formatStationTime } from '../clock/format-station-time';
import { useClockStore } from '../clock/store';
import { useSaveSettings, useSettings } from './queries';
import { HouseProfileForm } from './HouseProfileForm';
import { LockHorizonForm } from './LockHorizonForm';
import { WatchFoldersPanel } from './WatchFoldersPanel';
import { ApiKeysPanel } from './ApiKeysPanel';
import { SubscribersPanel } from './SubscribersPanel';
import { CachePanel } from '../storage/CachePanel';
import { StorageLocationsPanel } from '../storage/StorageLocationsPanel';
import { TimeZonePicker } from './TimeZonePicker';
import './settings.css';

/** Only the fields this operator touched; the rest keep following other windows' changes. */
type Draft = SettingsPatch;

function changedFields(draft: Draft, saved: Settings): Draft {
  return Object.fromEntries(
    Object.entries(draft).filter(([key, value]) => saved[key as keyof Settings] !== value),
  );
}

function ClockPreview({ settings }: { settings: Settings }) {
  const coreNow = useClockStore((store) => store.coreNow);
  if (coreNow === null) return null;
  const time = formatStationTime(coreNow, settings.timeZone, settings.clockFormat);
  return (
    <p className="settings__preview" data-testid="settings-preview">
      The station clock will read <strong>{clockText(time)}</strong> ({time.zoneName})
    </p>
  );
}

function SettingsForm({ saved }: { saved: Settings }) {
  const [draft, setDraft] = useState<Draft>({});
  const save = useSaveSettings();
  const shown: Settings = { ...saved, ...draft } as Settings;
  const patch = changedFields(draft, saved);
  const dirty = Object.keys(patch).length > 0;

  const edit = (change: Draft) => {
    save.reset();
    setDraft((current) => ({ ...current, ...change }));
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    // The core validates; its message is shown as is, so the rules live in one place.
    save.mutate(patch, { onSuccess: () => setDraft({}) });
  };

  return (
    <form className="settings" onSubmit={submit} noValidate>
      <div className="field">
        <label className="field__label" htmlFor="station-name">
          Station name
        </label>
        <input
          id="station-name"
          data-testid="station-name-input"
          value={shown.stationName}
          maxLength={80}
          onChange={(event) => edit({ stationName: event.target.value })}
        />
        <p className="field__hint">Shown in the top bar of every window.</p>
      </div>

      <div className="field">
        <span className="field__label">Time zone</span>
        <TimeZonePicker value={shown.timeZone} onChange={(timeZone) => edit({ timeZone })} />
      </div>

      <fieldset className="field">
        <legend className="field__label">Clock format</legend>
        <div className="segmented">
          {(['24h', '12h'] as const).map((format) => (
            <label key={format} className="segmented__option">
              <input
                type="radio"
                name="clock-format"
                data-testid={`clock-format-${format}`}
                checked={shown.clockFormat === format}
                onChange={() => edit({ clockFormat: format })}
              />
              <span>{format === '24h' ? '24-hour' : '12-hour (AM/PM)'}</span>
            </label>
          ))}
        </div>
      </fieldset>

      <ClockPreview settings={shown} />

      <div className="field">
        <label className="field__label" htmlFor="public-base-url">
          Public address
        </label>
        <input
          id="public-base-url"
          data-testid="public-base-url-input"
          type="url"
          inputMode="url"
          placeholder="https://tv.example.org"
          value={shown.publicBaseUrl ?? ''}
          maxLength={2000}
          onChange={(event) => edit({ publicBaseUrl: event.target.value.trim() || null })}
        />
        <p className="field__hint">
          Where players and tuners reach this station: the M3U, HDHomeRun and guide links are built
          on it. Empty: the address the server listens on.
        </p>
      </div>

      <div className="settings__actions">
        <button
          type="submit"
          className="button button--primary"
          data-testid="settings-save"
          disabled={!dirty || save.isPending}
        >
          {save.isPending ? 'Saving…' : 'Save'}
        </button>
        <button
          type="button"
          className="button"
          disabled={!dirty || save.isPending}
          onClick={() => {
            save.reset();
            setDraft({});
          }}
        >
          Discard changes
        </button>
        {save.isError && (
          <p className="form-error" role="alert" data-testid="settings-error">
            {save.error.message}
          </p>
        )}
        {save.isSuccess && !dirty && (
          <p className="form-ok" role="status" data-testid="settings-saved">
            Saved. Every connected window shows the change.
          </p>
        )}
      </div>
    </form>
  );
}

/** Station-wide settings; a save reaches every window through `settingsChanged`. */
export function SettingsScreen() {
  const { data: saved, error } = useSettings();
  return (
    <div className="settings-screen">
      <header className="section-header">
        <h1>Settings</h1>
        <p className="muted">Station-wide: they apply to every window connected to this core.</p>
      </header>
      {error && <p className="form-error">Settings are unavailable: {error.message}</p>}
      {saved ? (
        <>
          <SettingsForm saved={saved} />
          <HouseProfileForm saved={saved} />
          <WatchFoldersPanel />
          <StorageLocationsPanel />
          <CachePanel />
          <LockHorizonForm />
          <ApiKeysPanel />
          <SubscribersPanel />
        </>
      ) : (
        !error && <p className="muted">Loading…</p>
      )}
    </div>
  );
}
