import { Dialog as RadixDialog } from 'radix-ui';
import { useEffect, useState, type FormEvent, type ReactNode } from 'react';
import { Button } from './Button';
import { focusOrigin, returnFocus } from './focus-return';

export type DialogProps = {
  title: ReactNode;
  /** Read after the title by screen readers; a plain sentence. */
  description?: ReactNode;
  testId?: string;
  children?: ReactNode;
  onClose: () => void;
  /** With `onSubmit` the body is a form: Enter in a field submits, and a confirm button shows. */
  onSubmit?: () => void;
  submitLabel?: string;
  submitDisabled?: boolean;
  submitTestId?: string;
  cancelLabel?: string;
  cancelTestId?: string;
  busy?: boolean;
  tone?: 'danger';
  size?: 'md' | 'wide';
  /** Replaces the standard Cancel / confirm row. */
  footer?: ReactNode;
  /** Extra buttons before Cancel. */
  actions?: ReactNode;
  className?: string;
  /** Which element takes focus when the dialog opens; default: the first field, else confirm. */
  initialFocus?: string;
  role?: 'dialog' | 'alertdialog';
};

/**
 * The modal dialog of every screen. Focus stays inside while it is open and goes back where it
 * came from when it closes; Escape or a click on the backdrop closes it, Enter submits it.
 * A feature mounts it to open it and unmounts it to close it.
 */
export function Dialog({
  title,
  description,
  testId,
  children,
  onClose,
  onSubmit,
  submitLabel = 'OK',
  submitDisabled,
  submitTestId,
  cancelLabel,
  cancelTestId,
  busy,
  tone,
  size = 'md',
  footer,
  actions,
  className,
  initialFocus,
  role = 'dialog',
}: DialogProps) {
  // Read during the first render, while the trigger (or the menu it came from) still has focus.
  const [origin] = useState(focusOrigin);
  useInertBehind();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    event.stopPropagation();
    if (!submitDisabled && !busy) onSubmit?.();
  };
  const body = (
    <>
      <RadixDialog.Title className="ui-dialog__title">{title}</RadixDialog.Title>
      {description ? (
        <RadixDialog.Description className="ui-dialog__description">
          {description}
        </RadixDialog.Description>
      ) : null}
      {children}
      {footer ?? (
        <div className="ui-dialog__buttons">
          {actions}
          <Button onClick={onClose} data-testid={cancelTestId}>
            {cancelLabel ?? (onSubmit ? 'Cancel' : 'Close')}
          </Button>
          {onSubmit && (
            <Button
              type="submit"
              variant={tone === 'danger' ? 'danger' : 'primary'}
              disabled={submitDisabled || busy}
              data-testid={submitTestId}
              data-dialog-confirm=""
            >
              {busy ? 'Working…' : submitLabel}
            </Button>
          )}
        </div>
      )}
    </>
  );
  return (
    <RadixDialog.Root open onOpenChange={(open) => !open && onClose()}>
      <RadixDialog.Portal>
        <RadixDialog.Overlay className="ui-dialog__backdrop" />
        <RadixDialog.Content
          className={`ui-dialog ui-dialog--${size}${tone ? ` ui-dialog--${tone}` : ''}${className ? ` ${className}` : ''}`}
          data-testid={testId}
          role={role}
          // Without a description Radix would warn; the title alone names the dialog.
          {...(description ? {} : { 'aria-describedby': undefined })}
          onOpenAutoFocus={(event) => {
            const content = event.currentTarget as HTMLElement;
            const first =
              (initialFocus && content.querySelector<HTMLElement>(initialFocus)) ||
              content.querySelector<HTMLElement>(
                '[data-autofocus], input:not([type="hidden"]):not(:disabled), select, textarea',
              ) ||
              content.querySelector<HTMLElement>('[data-dialog-confirm]:not(:disabled)');
            if (!first) return;
            event.preventDefault();
            first.focus();
            if (first instanceof HTMLInputElement && first.type === 'text') first.select();
          }}
          onCloseAutoFocus={(event) => {
            if (returnFocus(origin)) event.preventDefault();
          }}
          onKeyDown={(event) => {
            // The screen's shortcuts stay out of a dialog (Escape is Radix's own, captured first).
            if (event.key !== 'Escape') event.stopPropagation();
          }}
        >
          {onSubmit ? (
            <form className="ui-dialog__form" onSubmit={submit} noValidate>
              {body}
            </form>
          ) : (
            <div className="ui-dialog__form">{body}</div>
          )}
        </RadixDialog.Content>
      </RadixDialog.Portal>
    </RadixDialog.Root>
  );
}

export type ConfirmDialogProps = {
  title: ReactNode;
  children?: ReactNode;
  confirmLabel: string;
  onConfirm: () => void;
  onClose: () => void;
  tone?: 'danger';
  testId?: string;
  confirmTestId?: string;
  cancelTestId?: string;
  busy?: boolean;
  confirmDisabled?: boolean;
};

/**
 * "Are you sure?" — an alert dialog (role alertdialog) whose confirm button has focus, so Enter confirms and
 * Escape cancels, as everywhere else.
 */
export function ConfirmDialog({
  title,
  children,
  confirmLabel,
  onConfirm,
  onClose,
  tone,
  testId,
  confirmTestId,
  cancelTestId,
  busy,
  confirmDisabled,
}: ConfirmDialogProps) {
  return (
    <Dialog
      title={title}
      testId={testId}
      onClose={onClose}
      onSubmit={onConfirm}
      submitLabel={confirmLabel}
      submitTestId={confirmTestId}
      cancelTestId={cancelTestId}
      submitDisabled={confirmDisabled}
      busy={busy}
      tone={tone}
      className="ui-dialog--confirm"
      initialFocus="[data-dialog-confirm]:not(:disabled)"
      role="alertdialog"
    >
      {children}
    </Dialog>
  );
}

/**
 * While a dialog is open Radix hides the rest of the page from assistive technology with
 * aria-hidden, but that page stays focusable, which screen readers handle badly. Making the
 * same elements inert takes them out of the tab order and the accessibility tree together.
 */
function useInertBehind() {
  useEffect(() => {
    const marked = new Set<HTMLElement>();
    const sync = (element: HTMLElement) => {
      const hidden =
        element.getAttribute('aria-hidden') === 'true' && element.hasAttribute('data-aria-hidden');
      if (hidden && !element.inert) {
        element.inert = true;
        marked.add(element);
      } else if (!hidden && marked.has(element)) {
        element.inert = false;
        marked.delete(element);
      }
    };
    const observer = new MutationObserver((records) => {
      for (const record of records) if (record.target instanceof HTMLElement) sync(record.target);
    });
    observer.observe(document.body, {
      subtree: true,
      attributes: true,
      attributeFilter: ['aria-hidden'],
    });
    return () => {
      observer.disconnect();
      for (const element of marked) element.inert = false;
    };
  }, []);
}
