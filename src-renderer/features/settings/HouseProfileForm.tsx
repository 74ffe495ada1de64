import { useState, type FormEvent } from 'react';
import type { HouseProfile, Settings } from '../../../src-shared/contract';
import { useSaveSettings } from './queries';

type NumberField = {
  key: keyof HouseProfile;
  label: string;
  unit: string;
  step?: number;
};

/** The house format every asset is ingested into; grouped as an engineer reads a spec sheet. */
const groups: { title: string; hint: string; fields: NumberField[] }[] = [
  {
    title: 'Air rendition',
    hint: 'Sources already in this format are remuxed in seconds; everything else is transcoded.',
    fields: [
      { key: 'width', label: 'Width', unit: 'px', step: 2 },
      { key: 'height', label: 'Height', unit: 'px', step: 2 },
      { key: 'fps', label: 'Frame rate', unit: 'fps' },
      { key: 'videoBitrateKbps', label: 'Video bitrate', unit: 'kbit/s' },
      { key: 'audioBitrateKbps', label: 'Audio bitrate', unit: 'kbit/s' },
      { key: 'segmentSeconds', label: 'Segment length', unit: 's' },
    ],
  },
  {
    title: 'Loudness',
    hint: 'Integrated loudness every asset is normalised to (EBU R128: −23 LUFS).',
    fields: [{ key: 'loudnessLufs', label: 'Target', unit: 'LUFS', step: 0.5 }],
  },
  {
    title: 'Proxy rendition',
    hint: 'The low-bitrate copy the wall, the preview player and review use.',
    fields: [
      { key: 'proxyWidth', label: 'Width', unit: 'px', step: 2 },
      { key: 'proxyHeight', label: 'Height', unit: 'px', step: 2 },
      { key: 'proxyVideoBitrateKbps', label: 'Video bitrate', unit: 'kbit/s' },
    ],
  },
];

type Draft = { profile: Partial<Record<keyof HouseProfile, string>>; concurrency?: string };

function changedProfile(draft: Draft, saved: HouseProfile): Partial<HouseProfile> {
  const patch: Partial<HouseProfile> = {};
  for (const [key, text] of Object.entries(draft.profile) as [keyof HouseProfile, string][]) {
    const value = Number(text);
    // An empty or non-numeric field is sent as NaN so the core's message names it.
    if (value !== saved[key]) patch[key] = text.trim() === '' ? Number.NaN : value;
  }
  return patch;
}

/** House format and ingest settings; applies to assets ingested after the save. */
export function HouseProfileForm({ saved }: { saved: Settings }) {
  const [draft, setDraft] = useState<Draft>({ profile: {} });
  const save = useSaveSettings();
  const profilePatch = changedProfile(draft, saved.houseProfile);
  const concurrency =
    draft.concurrency !== undefined && Number(draft.concurrency) !== saved.ingestConcurrency
      ? Number(draft.concurrency)
      : undefined;
  const dirty = Object.keys(profilePatch).length > 0 || concurrency !== undefined;

  const submit = (event: FormEvent) => {
    event.preventDefault();
    save.mutate(
      {
        ...(Object.keys(profilePatch).length > 0 ? { houseProfile: profilePatch } : {}),
        ...(concurrency !== undefined ? { ingestConcurrency: concurrency } : {}),
      },
      { onSuccess: () => setDraft({ profile: {} }) },
    );
  };
  const editProfile = (key: keyof HouseProfile, text: string) => {
    save.reset();
    setDraft((current) => ({ ...current, profile: { ...current.profile, [key]: text } }));
  };

  return (
    <form className="settings" onSubmit={submit} noValidate data-testid="house-profile-form">
      <header>
        <h2 className="settings__title">House format and ingest</h2>
        <p className="field__hint">
          Applies to assets ingested after you save; assets already on air keep their renditions.
        </p>
      </header>
      {groups.map((group) => (
        <fieldset key={group.title} className="field">
          <legend className="field__label">{group.title}</legend>
          <div className="settings__grid">
            {group.fields.map((field) => (
              <label key={field.key} className="settings__number">
                <span>{field.label}</span>
                <span className="settings__number-input">
                  <input
                    type="number"
                    inputMode="decimal"
                    step={field.step ?? 1}
                    data-testid={`house-${field.key}`}
                    value={draft.profile[field.key] ?? String(saved.houseProfile[field.key])}
                    onChange={(event) => editProfile(field.key, event.target.value)}
                  />
                  <span className="muted">{field.unit}</span>
                </span>
              </label>
            ))}
          </div>
          <p className="field__hint">{group.hint}</p>
        </fieldset>
      ))}
      <label className="field settings__number">
        <span className="field__label">Ingest jobs at once</span>
        <input
          type="number"
          min={1}
          max={8}
          data-testid="ingest-concurrency"
          value={draft.concurrency ?? String(saved.ingestConcurrency)}
          onChange={(event) => {
            save.reset();
            setDraft((current) => ({ ...current, concurrency: event.target.value }));
          }}
        />
        <span className="field__hint">
          Each ffmpeg already uses every core; raise this only on machines with many cores.
        </span>
      </label>
      <div className="settings__actions">
        <button
          type="submit"
          className="button button--primary"
          data-testid="house-save"
          disabled={!dirty || save.isPending}
        >
          {save.isPending ? 'Saving…' : 'Save house format'}
        </button>
        {save.isError && (
          <p className="form-error" role="alert" data-testid="house-error">
            {save.error.message}
          </p>
        )}
        {save.isSuccess && !dirty && (
          <p className="form-ok" role="status" data-testid="house-saved">
            Saved. New ingests use this format.
          </p>
        )}
      </div>
    </form>
  );
}
