/** Nav icon for the on-air screen: a monitor with a tally light. */
export function ChannelsControlIcon({ className }: { className?: string }) {
  return (
    <svg className={className} viewBox="0 0 24 24" aria-hidden="true">
      <rect x="2.5" y="4.5" width="19" height="12.5" rx="1.5" />
      <path d="M8 20.5h8M12 17v3.5" />
      <circle cx="17.5" cy="8" r="1.2" />
    </svg>
  );
}
