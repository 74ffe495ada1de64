/** Nav icon for the dashboard: a gauge. */
export function DashboardIcon({ className }: { className?: string }) {
  return (
    <svg className={className} viewBox="0 0 24 24" aria-hidden="true">
      <path d="M3.5 17a8.5 8.5 0 1 1 17 0" />
      <path d="M12 17l4-5.5" />
      <circle cx="12" cy="17" r="1.2" />
    </svg>
  );
}
