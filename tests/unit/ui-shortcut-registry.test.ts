import { describe, expect, it } from 'vitest';
import {
  displayKeys,
  findShortcut,
  GLOBAL_SCREEN,
  matchesKeys,
  parseCombo,
  shortcutsFor,
  type KeyEventLike,
  type Registration,
} from '../../src-renderer/ui/shortcut-registry';

function key(k: string, mods: Partial<KeyEventLike> = {}): KeyEventLike {
  return { key: k, ctrlKey: false, metaKey: false, altKey: false, shiftKey: false, ...mods };
}

describe('matchesKeys', () => {
  it('matches modifiers exactly', () => {
    expect(matchesKeys('Ctrl+Enter', key('Enter', { ctrlKey: true }))).toBe(true);
    expect(matchesKeys('Ctrl+Enter', key('Enter', { ctrlKey: true, shiftKey: true }))).toBe(false);
    expect(matchesKeys('Ctrl+Shift+Enter', key('Enter', { ctrlKey: true, shiftKey: true }))).toBe(
      true,
    );
    expect(matchesKeys('Ctrl+Enter', key('Enter'))).toBe(false);
    expect(matchesKeys('Ctrl+Enter', key('Enter', { ctrlKey: true, metaKey: true }))).toBe(false);
  });

  it('takes Mod as Ctrl or ⌘', () => {
    expect(matchesKeys('Mod+Z', key('z', { ctrlKey: true }))).toBe(true);
    expect(matchesKeys('Mod+Z', key('z', { metaKey: true }))).toBe(true);
    expect(matchesKeys('Mod+Z', key('z'))).toBe(false);
    expect(matchesKeys('Mod+Shift+Z', key('Z', { ctrlKey: true, shiftKey: true }))).toBe(true);
    expect(matchesKeys('Mod+Z', key('Z', { ctrlKey: true, shiftKey: true }))).toBe(false);
  });

  it('matches letters by physical key where Alt changes the character', () => {
    expect(matchesKeys('Alt+S', key('ß', { altKey: true, code: 'KeyS' }))).toBe(true);
    expect(matchesKeys('Alt+S', key('s', { code: 'KeyS' }))).toBe(false);
  });

  it('does not count the Shift a printable symbol needs', () => {
    expect(matchesKeys('?', key('?', { shiftKey: true }))).toBe(true);
    expect(matchesKeys('/', key('/'))).toBe(true);
    expect(matchesKeys('?', key('?', { ctrlKey: true, shiftKey: true }))).toBe(false);
  });

  it('accepts alternatives and aliases', () => {
    expect(matchesKeys('Delete / Backspace', key('Backspace'))).toBe(true);
    expect(matchesKeys('Delete / Backspace', key('Delete'))).toBe(true);
    expect(matchesKeys('Esc', key('Escape'))).toBe(true);
    expect(matchesKeys('Alt+ArrowRight', key('ArrowRight', { altKey: true }))).toBe(true);
    expect(matchesKeys('Alt+ArrowRight', key('ArrowRight', { altKey: true, shiftKey: true }))).toBe(
      false,
    );
  });

  it('parses the plus key', () => {
    expect(parseCombo('Ctrl++')).toMatchObject({ key: '+', ctrl: true });
    expect(parseCombo('+')).toMatchObject({ key: '+', ctrl: false });
    expect(matchesKeys('] / +', key('+', { shiftKey: true }))).toBe(true);
  });
});

describe('registry', () => {
  const run = () => {};
  const regs: Registration[] = [
    { id: 1, screen: GLOBAL_SCREEN, shortcuts: [{ keys: '?', label: 'Help', run }] },
    {
      id: 2,
      screen: 'library',
      shortcuts: [
        { keys: 'F2', label: 'Rename' },
        { keys: 'Mod+F', label: 'Search', run, inFields: true },
        { keys: '/', label: 'Search', run },
      ],
    },
    { id: 3, screen: 'schedule', shortcuts: [{ keys: 'Mod+Z', label: 'Undo', run }] },
    // The same screen mounted twice (StrictMode) lists its keys once.
    { id: 4, screen: 'schedule', shortcuts: [{ keys: 'Mod+Z', label: 'Undo', run }] },
  ];

  it('lists the current screen first, then what works everywhere, without repeats', () => {
    const groups = shortcutsFor(regs, 'schedule');
    expect(groups.map((g) => g.screen)).toEqual(['schedule', GLOBAL_SCREEN]);
    expect(groups[0]!.shortcuts).toHaveLength(1);
    expect(shortcutsFor(regs, 'library')[0]!.shortcuts.map((s) => s.label)).toEqual([
      'Rename',
      'Search',
      'Search',
    ]);
  });

  it('runs only the current screen’s keys and the global ones', () => {
    expect(findShortcut(regs, 'library', key('z', { ctrlKey: true }), false)).toBeUndefined();
    expect(findShortcut(regs, 'schedule', key('z', { ctrlKey: true }), false)?.label).toBe('Undo');
    expect(findShortcut(regs, 'schedule', key('?', { shiftKey: true }), false)?.label).toBe('Help');
  });

  it('leaves typing alone unless a shortcut asks for fields', () => {
    expect(findShortcut(regs, 'library', key('/'), true)).toBeUndefined();
    expect(findShortcut(regs, 'library', key('f', { ctrlKey: true }), true)?.label).toBe('Search');
  });

  it('never runs a row that only documents a key', () => {
    expect(findShortcut(regs, 'library', key('F2'), false)).toBeUndefined();
  });

  it('shows keys as a person reads them', () => {
    expect(displayKeys('Mod+Shift+N / Alt+ArrowUp', false)).toBe('Ctrl+Shift+N · Alt+↑');
    expect(displayKeys('Mod+Z', true)).toBe('⌘+Z');
  });
});
