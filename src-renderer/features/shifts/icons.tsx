/** Nav icon for shifts: a calendar page with a person's block across it. */
export function ShiftsIcon({ className }: { className?: string }) {
  return (
    <svg className={className} viewBox="0 0 24 24" aria-hidden="true">
      <rect x="3" y="4.5" width="18" height="16" rx="1.5" />
      <path d="M3 9h18M8 2.5v4M16 2.5v4M6 13h12v4H6z" />
    </svg>
  );
}

/** Nav icon for the team: bars of a chart under two heads. */
export function TeamIcon({ className }: { className?: string }) {
  return (
    <svg className={className} viewBox="0 0 24 24" aria-hidden="true">
      <circle cx="8" cy="6" r="2.5" />
      <circle cx="16" cy="6" r="2.5" />
      <path d="M4 21v-6M9 21v-9M14 21v-4M19 21v-8" />
    </svg>
  );
}

/** Nav icon for reports: a page with lines and a folded corner. */
export function ReportsIcon({ className }: { className?: string }) {
  return (
    <svg className={className} viewBox="0 0 24 24" aria-hidden="true">
      <path d="M6 2.5h8l4 4v15H6z M14 2.5v4h4 M9 11h6M9 14.5h6M9 18h4" />
    </svg>
  );
}
