import { Toast } from 'radix-ui';
import { dismissToast, useToastStore, type ToastTone } from './toast-store';

const TONE_WORD: Record<ToastTone, string> = { info: 'Note', ok: 'Done', error: 'Failed' };
/** Errors wait for the operator; news leaves after a while (paused while hovered or focused). */
const DURATION_MS: Record<ToastTone, number> = { info: 6000, ok: 5000, error: 1_000_000_000 };

/** The one toaster of the window; the shell mounts it once. F8 jumps to it. */
export function Toaster() {
  const toasts = useToastStore((s) => s.toasts);
  return (
    <Toast.Provider swipeDirection="right" label="Notifications">
      {toasts.map((t) => (
        <Toast.Root
          key={t.id}
          className="ui-toast"
          data-tone={t.tone}
          data-testid={t.testId ?? 'toast'}
          duration={DURATION_MS[t.tone]}
          type={t.tone === 'error' ? 'foreground' : 'background'}
          onOpenChange={(open) => !open && dismissToast(t.id)}
        >
          {/* The tone in words as well as colour. */}
          <span className="ui-toast__tone">{TONE_WORD[t.tone]}</span>
          <Toast.Description className="ui-toast__text">{t.text}</Toast.Description>
          <Toast.Close className="ui-toast__close" aria-label="Dismiss">
            <span aria-hidden="true">×</span>
          </Toast.Close>
        </Toast.Root>
      ))}
      <Toast.Viewport className="ui-toast__viewport" />
    </Toast.Provider>
  );
}
