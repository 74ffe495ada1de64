import { useShallow } from 'zustand/react/shallow';
import { Dialog } from './Dialog';
import { displayKeys, GLOBAL_SCREEN, shortcutsFor } from './shortcut-registry';
import { setShortcutHelpOpen, useShortcutStore, useShortcuts } from './shortcuts';

const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform);

/**
 * "?" on any screen: every shortcut the screen has registered, read from the same registry
 * that runs them. The shell mounts it once.
 */
export function ShortcutsOverlay({ screenLabel }: { screenLabel: string }) {
  const { open, registrations, screen } = useShortcutStore(
    useShallow((s) => ({ open: s.helpOpen, registrations: s.registrations, screen: s.screen })),
  );
  useShortcuts(GLOBAL_SCREEN, [
    {
      keys: '?',
      label: 'Show the keyboard shortcuts',
      run: () => setShortcutHelpOpen(!useShortcutStore.getState().helpOpen),
    },
  ]);
  if (!open) return null;
  const groups = shortcutsFor(registrations, screen);
  return (
    <Dialog
      title={`Keyboard shortcuts — ${screenLabel}`}
      testId="shortcuts-help"
      onClose={() => setShortcutHelpOpen(false)}
      size="wide"
    >
      {groups.map((group) => (
        <section key={group.screen} className="ui-shortcuts__group">
          <h3 className="eyebrow">{group.screen === GLOBAL_SCREEN ? 'Everywhere' : screenLabel}</h3>
          <dl className="ui-shortcuts">
            {group.shortcuts.map((s) => (
              <div key={`${s.keys}|${s.label}`} className="ui-shortcuts__row">
                <dt>
                  <kbd>{s.display ?? displayKeys(s.keys, isMac)}</kbd>
                </dt>
                <dd>{s.label}</dd>
              </div>
            ))}
          </dl>
        </section>
      ))}
    </Dialog>
  );
}
