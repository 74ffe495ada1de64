/** Nav icon for the multiview wall: a 2 × 2 grid of monitors. */
export function WallIcon({ className }: { className?: string }) {
  return (
    <svg className={className} viewBox="0 0 24 24" aria-hidden="true">
      <rect x="2.5" y="3.5" width="8.5" height="7" rx="1" />
      <rect x="13" y="3.5" width="8.5" height="7" rx="1" />
      <rect x="2.5" y="13.5" width="8.5" height="7" rx="1" />
      <rect x="13" y="13.5" width="8.5" height="7" rx="1" />
    </svg>
  );
}
