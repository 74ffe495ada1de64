import { dismissToast, useScheduleUi } from './store';

export function Toasts() {
  const toasts = useScheduleUi((s) => s.toasts);
  return (
    <div className="sch-toasts" role="status" aria-live="polite">
      {toasts.map((t) => (
        <div key={t.id} className="sch-toast" data-tone={t.tone} data-testid="schedule-toast">
          <span>{t.text}</span>
          <button type="button" aria-label="Dismiss" onClick={() => dismissToast(t.id)}>
            ×
          </button>
        </div>
      ))}
    </div>
  );
}
