/** Nav icon for the schedule: a calendar page with programme blocks. */
export function ScheduleIcon({ className }: { className?: string }) {
  return (
    <svg className={className} viewBox="0 0 24 24" aria-hidden="true">
      <rect x="3" y="4.5" width="18" height="16" rx="1.5" />
      <path d="M3 9h18M8 2.5v4M16 2.5v4M6.5 12.5h5M6.5 16h9" />
    </svg>
  );
}
