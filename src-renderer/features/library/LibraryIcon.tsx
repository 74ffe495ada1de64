/** Nav icon for the library: a film frame in a folder, drawn like the shell's line icons. */
export function LibraryIcon({ className }: { className?: string }) {
  return (
    <svg className={className} viewBox="0 0 24 24" aria-hidden="true">
      <path d="M3 6.5V18a1.5 1.5 0 0 0 1.5 1.5h15A1.5 1.5 0 0 0 21 18V9a1.5 1.5 0 0 0-1.5-1.5h-8L9.5 5h-5A1.5 1.5 0 0 0 3 6.5Z" />
      <rect x="8" y="10.5" width="8" height="6" rx="1" />
      <path d="M10 10.5v6M14 10.5v6" />
    </svg>
  );
}
