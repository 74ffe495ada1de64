/** Nav icon for chat: a speech bubble. */
export function ChatIcon({ className }: { className?: string }) {
  return (
    <svg className={className} viewBox="0 0 24 24" aria-hidden="true">
      <path d="M4 5.5h16v10H10l-4.5 3.5v-3.5H4z" />
    </svg>
  );
}
