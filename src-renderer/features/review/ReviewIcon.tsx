/** Nav icon for the review desk: a monitor with a fast-forward mark. */
export function ReviewIcon({ className }: { className?: string }) {
  return (
    <svg className={className} viewBox="0 0 24 24" aria-hidden="true">
      <rect x="2.5" y="4" width="19" height="13" rx="1.5" />
      <path d="M8 8l4 2.5L8 13zM12.5 8l4 2.5-4 2.5z" />
      <path d="M7 20.5h10" />
    </svg>
  );
}
