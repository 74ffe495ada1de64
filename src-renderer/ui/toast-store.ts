import { create } from 'zustand';

export type ToastTone = 'info' | 'ok' | 'error';
export type ToastItem = { id: number; text: string; tone: ToastTone; testId?: string };

type ToastState = { toasts: ToastItem[] };

export const useToastStore = create<ToastState>(() => ({ toasts: [] }));

let nextId = 1;
/** At most this many stay on screen; an old one gives way to a new one. */
const LIMIT = 4;

/**
 * Tells the operator what happened, from anywhere (an action, a mutation's callback). Errors
 * stay until dismissed; the rest leave on their own.
 */
export function toast(
  text: string,
  tone: ToastTone = 'info',
  options: { testId?: string; replace?: boolean } = {},
) {
  const id = nextId++;
  useToastStore.setState((s) => {
    // A screen's running status line ("Importing…", then "Imported") replaces its last one
    // instead of stacking up.
    const kept =
      options.replace && options.testId
        ? s.toasts.filter((t) => t.testId !== options.testId)
        : s.toasts;
    return { toasts: [...kept, { id, text, tone, testId: options.testId }].slice(-LIMIT) };
  });
  return id;
}

export function dismissToast(id: number) {
  useToastStore.setState((s) => ({ toasts: s.toasts.filter((t) => t.id !== id) }));
}

export function clearToasts() {
  useToastStore.setState({ toasts: [] });
}
