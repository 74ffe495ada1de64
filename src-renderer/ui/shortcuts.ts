import { useEffect, useRef } from 'react';
import { create } from 'zustand';
import {
  findShortcut,
  GLOBAL_SCREEN,
  type KeyEventLike,
  type Registration,
  type Shortcut,
} from './shortcut-registry';

type ShortcutState = {
  registrations: Registration[];
  /** The screen whose shortcuts answer and are listed; the shell sets it. */
  screen: string;
  helpOpen: boolean;
};

export const useShortcutStore = create<ShortcutState>(() => ({
  registrations: [],
  screen: GLOBAL_SCREEN,
  helpOpen: false,
}));

let nextId = 1;

export function registerShortcuts(screen: string, shortcuts: readonly Shortcut[]): () => void {
  const id = nextId++;
  useShortcutStore.setState((s) => ({
    registrations: [...s.registrations, { id, screen, shortcuts }],
  }));
  return () =>
    useShortcutStore.setState((s) => ({
      registrations: s.registrations.filter((r) => r.id !== id),
    }));
}

export function setShortcutScreen(screen: string) {
  useShortcutStore.setState({ screen });
}
export function setShortcutHelpOpen(helpOpen: boolean) {
  useShortcutStore.setState({ helpOpen });
}
export function toggleShortcutHelp() {
  useShortcutStore.setState((s) => ({ helpOpen: !s.helpOpen }));
}

/**
 * Registers a screen's shortcuts while the component is mounted. The list may be a new array
 * every render: the registration only changes when keys or labels do, and `run` always calls
 * the latest closure.
 */
export function useShortcuts(screen: string, shortcuts: readonly Shortcut[]) {
  const latest = useRef(shortcuts);
  useEffect(() => {
    latest.current = shortcuts;
  });
  const signature = shortcuts
    .map((s) =>
      [s.keys, s.label, s.run ? 1 : 0, s.inFields ? 1 : 0, s.display ?? ''].join('\u0001'),
    )
    .join('\u0002');
  useEffect(() => {
    const stable = latest.current.map((s, i) => ({
      ...s,
      run: s.run && ((event: KeyEventLike) => latest.current[i]?.run?.(event)),
    }));
    return registerShortcuts(screen, stable);
    // `signature` stands for the list's content; `latest` keeps the closures fresh.
  }, [screen, signature]);
}

export function isTypingTarget(target: EventTarget | null): boolean {
  return (
    target instanceof HTMLElement &&
    (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))
  );
}

/**
 * The one keydown listener behind every registered shortcut. A dialog or menu stops its keys
 * from reaching it, so the screen behind never reacts to typing in a dialog.
 */
export function useShortcutDispatcher(screen: string) {
  useEffect(() => {
    setShortcutScreen(screen);
  }, [screen]);
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.repeat) return;
      const { registrations, screen: current } = useShortcutStore.getState();
      const found = findShortcut(registrations, current, event, isTypingTarget(event.target));
      if (!found?.run) return;
      event.preventDefault();
      found.run(event);
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);
}
