/**
 * The one list of keyboard shortcuts. Screens register what they answer to; the help overlay
 * reads the same list, so what "?" shows cannot drift from what the keys do.
 *
 * Pure: no DOM, no React. `matchesKeys` takes the few fields of a KeyboardEvent it needs.
 */

export type Shortcut = {
  /**
   * One or more key combinations separated by " / ", e.g. "Ctrl+Enter", "Shift+F10 / ContextMenu",
   * "?". "Mod" is Ctrl, or ⌘ on a Mac. Empty when the row only documents a gesture (drag, click)
   * that some component handles itself.
   */
  keys: string;
  label: string;
  /** Absent for rows that only document a key another component handles (arrows in a list). */
  run?: (event: KeyEventLike) => void;
  /** Also fires while typing in a field (e.g. Ctrl+F to search). Off by default. */
  inFields?: boolean;
  /** Shown in the overlay as written instead of `keys` (for gestures like "Drag onto a folder"). */
  display?: string;
};

export type KeyEventLike = {
  key: string;
  code?: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  shiftKey: boolean;
};

export type Registration = { id: number; screen: string; shortcuts: readonly Shortcut[] };

type Combo = { key: string; ctrl: boolean; alt: boolean; shift: boolean; meta: boolean };

const MODIFIERS = new Set(['ctrl', 'control', 'alt', 'option', 'shift', 'meta', 'cmd', 'mod']);

/** "Ctrl+Shift+N" → { key: 'n', ctrl, shift }. "Mod" means Ctrl or ⌘, whichever the user has. */
export function parseCombo(text: string): Combo & { mod: boolean } {
  const parts = text.split('+').map((p) => p.trim());
  // "Ctrl++" names the plus key: the split leaves two empty strings at the end.
  const key = text.endsWith('++') || text === '+' ? '+' : (parts.pop() ?? '');
  const mods = parts.map((p) => p.toLowerCase()).filter((p) => MODIFIERS.has(p));
  return {
    key: key.length === 1 ? key.toLowerCase() : key.toLowerCase(),
    ctrl: mods.includes('ctrl') || mods.includes('control'),
    alt: mods.includes('alt') || mods.includes('option'),
    shift: mods.includes('shift'),
    meta: mods.includes('meta') || mods.includes('cmd'),
    mod: mods.includes('mod'),
  };
}

export function splitKeys(keys: string): string[] {
  return keys
    .split(' / ')
    .map((k) => k.trim())
    .filter(Boolean);
}

const KEY_ALIASES: Record<string, string> = {
  esc: 'escape',
  del: 'delete',
  space: ' ',
  up: 'arrowup',
  down: 'arrowdown',
  left: 'arrowleft',
  right: 'arrowright',
};

/** Whether one event is one of the shortcut's combinations. */
export function matchesKeys(keys: string, event: KeyEventLike): boolean {
  const pressed = event.key.toLowerCase();
  return splitKeys(keys).some((text) => {
    const combo = parseCombo(text);
    const want = KEY_ALIASES[combo.key] ?? combo.key;
    // Letters are matched on the physical key too, so Alt+S still works where Alt changes the
    // character (macOS types "ß").
    const letter = /^[a-z]$/.test(want) && event.code === `Key${want.toUpperCase()}`;
    if (pressed !== want && !letter) return false;
    const ctrlWanted = combo.ctrl || combo.mod;
    const metaWanted = combo.meta;
    if (combo.mod) {
      if (!(event.ctrlKey || event.metaKey)) return false;
    } else {
      if (event.ctrlKey !== ctrlWanted) return false;
      if (event.metaKey !== metaWanted) return false;
    }
    if (event.altKey !== combo.alt) return false;
    // "?" and "/" need Shift on many layouts: a printable key's own Shift is not a modifier.
    const printable = want.length === 1 && !/^[a-z0-9]$/.test(want);
    if (!printable && event.shiftKey !== combo.shift) return false;
    return true;
  });
}

/** The shortcuts shown for a screen: its own, then those every screen has, without repeats. */
export function shortcutsFor(
  registrations: readonly Registration[],
  screen: string,
): { screen: string; shortcuts: Shortcut[] }[] {
  const groups = new Map<string, Shortcut[]>();
  for (const reg of registrations) {
    if (reg.screen !== screen && reg.screen !== GLOBAL_SCREEN) continue;
    const list = groups.get(reg.screen) ?? [];
    for (const shortcut of reg.shortcuts) {
      if (!list.some((s) => s.keys === shortcut.keys && s.label === shortcut.label))
        list.push(shortcut);
    }
    groups.set(reg.screen, list);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => (a === GLOBAL_SCREEN ? 1 : 0) - (b === GLOBAL_SCREEN ? 1 : 0))
    .map(([name, shortcuts]) => ({ screen: name, shortcuts }));
}

/**
 * Which registered shortcut an event triggers on a screen. Later registrations win over earlier
 * ones (a dialog's own keys over its screen's), and the screen's over the global ones.
 */
export function findShortcut(
  registrations: readonly Registration[],
  screen: string,
  event: KeyEventLike,
  typing: boolean,
): Shortcut | undefined {
  const ordered = [
    ...registrations.filter((r) => r.screen === screen).reverse(),
    ...registrations.filter((r) => r.screen === GLOBAL_SCREEN).reverse(),
  ];
  for (const reg of ordered) {
    for (const shortcut of reg.shortcuts) {
      if (!shortcut.run || !shortcut.keys) continue;
      if (typing && !shortcut.inFields) continue;
      if (matchesKeys(shortcut.keys, event)) return shortcut;
    }
  }
  return undefined;
}

/** Registrations under this name apply on every screen (the help overlay's own "?"). */
export const GLOBAL_SCREEN = 'global';

/** "Ctrl+Shift+N / Mod+F" → what a person reads, with Mac symbols where they apply. */
export function displayKeys(keys: string, mac: boolean): string {
  return splitKeys(keys)
    .map((combo) =>
      combo
        .replace(/\bMod\b/g, mac ? '⌘' : 'Ctrl')
        .replace(/\bArrowUp\b/g, '↑')
        .replace(/\bArrowDown\b/g, '↓')
        .replace(/\bArrowLeft\b/g, '←')
        .replace(/\bArrowRight\b/g, '→'),
    )
    .join(' · ');
}
