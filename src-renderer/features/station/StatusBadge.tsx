/** A small lamp with a word: green = OK, amber = needs attention. Red stays reserved for on-air. */
export function StatusBadge({ ok, children }: { ok: boolean; children: string }) {
  return (
    <span className="status-badge" data-tone={ok ? 'ok' : 'warn'}>
      <span className="status-badge__lamp" aria-hidden="true" />
      {children}
    </span>
  );
}
