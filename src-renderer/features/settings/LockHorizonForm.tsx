import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useState, type FormEvent } from 'react';
import type { ScheduleSettings } from '../../../src-shared/contract';
import { useApi } from '../../app/api/use-api';

const scheduleSettingsKey = ['settings', 'schedule'] as const;

/** How close to air an item stops being editable by drag and drop (aired items never are). */
export function LockHorizonForm() {
  const api = useApi();
  const queryClient = useQueryClient();
  const { data } = useQuery({
    queryKey: scheduleSettingsKey,
    queryFn: () => api.call('scheduleSettingsGet', {}),
  });
  const [minutes, setMinutes] = useState<string | null>(null);

  useEffect(
    () =>
      api.on('scheduleSettingsChanged', (settings) =>
        queryClient.setQueryData<ScheduleSettings>(scheduleSettingsKey, settings),
      ),
    [api, queryClient],
  );

  const save = useMutation({
    mutationFn: (lockHorizonMs: number) => api.call('scheduleSettingsSet', { lockHorizonMs }),
    onSuccess: (settings) => {
      queryClient.setQueryData(scheduleSettingsKey, settings);
      setMinutes(null);
    },
  });
  if (!data) return null;
  const shown = minutes ?? String(data.lockHorizonMs / 60_000);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    // Whole seconds are enough for a lock; the core checks the range.
    save.mutate(Math.round(Number(shown) * 60) * 1000);
  };

  return (
    <form className="settings" onSubmit={submit} noValidate data-testid="lock-horizon-form">
      <header>
        <h2 className="settings__title">Schedule lock</h2>
        <p className="field__hint">
          Items starting sooner than this cannot be moved, trimmed or deleted in the calendar;
          operators change what is on air from the On air screen.
        </p>
      </header>
      <label className="field settings__number">
        <span className="field__label">Lock horizon</span>
        <span className="settings__number-input">
          <input
            type="number"
            min={0}
            step={0.5}
            data-testid="lock-horizon-minutes"
            value={shown}
            onChange={(event) => {
              save.reset();
              setMinutes(event.target.value);
            }}
          />
          <span className="muted">minutes before air</span>
        </span>
      </label>
      <div className="settings__actions">
        <button
          type="submit"
          className="button button--primary"
          data-testid="lock-horizon-save"
          disabled={minutes === null || save.isPending}
        >
          Save lock horizon
        </button>
        {save.isError && (
          <p className="form-error" role="alert">
            {save.error.message}
          </p>
        )}
      </div>
    </form>
  );
}
