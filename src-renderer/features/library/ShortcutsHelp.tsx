import { useEffect, useRef } from 'react';

export const shortcuts: [keys: string, what: string][] = [
  ['Click · Ctrl/⌘+click · Shift+click', 'Select · add or remove · select a range'],
  ['Drag on empty grid space', 'Rubber-band selection (Ctrl adds)'],
  ['↑ ↓ ← →  (Shift extends)', 'Move the cursor'],
  ['Ctrl/⌘+A', 'Select everything listed'],
  ['Esc', 'Clear the selection, close menus'],
  ['Enter', 'Preview'],
  ['F2', 'Rename'],
  ['Delete', 'Delete (asks first)'],
  ['M', 'Move to…'],
  ['T', 'Tags…'],
  ['Shift+F10 · Menu key', 'Context menu'],
  ['Ctrl/⌘+Shift+N', 'New folder'],
  ['/ · Ctrl/⌘+F', 'Search'],
  ['Alt+↑ · Backspace', 'Parent folder'],
  ['Drag onto a folder or breadcrumb', 'Move there'],
  ['Drop files or folders on the window', 'Upload / import'],
  ['Space (player)', 'Play / pause'],
  ['?', 'This list'],
];

/** The "?" popover: every shortcut of the screen. */
export function ShortcutsHelp({ onClose }: { onClose: () => void }) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    ref.current?.focus();
    const onDown = (event: MouseEvent) => {
      const target = event.target as Node;
      if (ref.current && !ref.current.parentElement?.contains(target)) onClose();
    };
    document.addEventListener('mousedown', onDown);
    return () => document.removeEventListener('mousedown', onDown);
  }, [onClose]);
  return (
    <div
      ref={ref}
      className="shortcuts-help"
      role="dialog"
      aria-label="Keyboard shortcuts"
      tabIndex={-1}
      data-testid="shortcuts-help"
      onKeyDown={(event) => {
        if (event.key === 'Escape') {
          event.stopPropagation();
          onClose();
        }
      }}
    >
      <h2 className="eyebrow">Keyboard shortcuts</h2>
      <dl>
        {shortcuts.map(([keys, what]) => (
          <div key={keys} className="shortcuts-help__row">
            <dt>
              <kbd>{keys}</kbd>
            </dt>
            <dd>{what}</dd>
          </div>
        ))}
      </dl>
    </div>
  );
}
