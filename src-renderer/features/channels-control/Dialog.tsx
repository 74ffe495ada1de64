import { useEffect, useRef, type ReactNode } from 'react';

/** A modal of this screen: Escape or a click outside closes it; Enter submits. */
export function Dialog({
  title,
  testId,
  children,
  onSubmit,
  onClose,
  submitLabel,
  submitDisabled,
  danger,
  submitTestId,
}: {
  title: string;
  testId: string;
  children: ReactNode;
  onSubmit: () => void;
  onClose: () => void;
  submitLabel: string;
  submitDisabled?: boolean;
  danger?: boolean;
  submitTestId?: string;
}) {
  const ref = useRef<HTMLFormElement>(null);
  useEffect(() => {
    ref.current?.querySelector<HTMLElement>('[data-autofocus], input, button')?.focus();
  }, []);
  return (
    <div
      className="cc-dialog-backdrop"
      onMouseDown={(event) => event.target === event.currentTarget && onClose()}
    >
      <form
        ref={ref}
        className="cc-dialog"
        role="dialog"
        aria-modal="true"
        aria-label={title}
        data-testid={testId}
        onSubmit={(event) => {
          event.preventDefault();
          if (!submitDisabled) onSubmit();
        }}
        onKeyDown={(event) => {
          // Shortcuts of the screen stay out of a dialog.
          event.stopPropagation();
          if (event.key === 'Escape') onClose();
        }}
      >
        <h2 className="cc-dialog__title">{title}</h2>
        {children}
        <div className="cc-dialog__buttons">
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button
            type="submit"
            className={`button ${danger ? 'cc-button--danger' : 'button--primary'}`}
            disabled={submitDisabled}
            data-testid={submitTestId}
          >
            {submitLabel}
          </button>
        </div>
      </form>
    </div>
  );
}
