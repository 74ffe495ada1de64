import { useEffect, useRef, type FormEvent, type ReactNode } from 'react';

/** A dialog of the schedule screen: Escape or a click outside closes it; Enter submits. */
export function Modal({
  title,
  testId,
  children,
  onSubmit,
  onClose,
  submitLabel,
  busy,
  wide,
}: {
  title: string;
  testId: string;
  children: ReactNode;
  onSubmit?: () => void;
  onClose: () => void;
  submitLabel?: string;
  busy?: boolean;
  wide?: boolean;
}) {
  const ref = useRef<HTMLFormElement>(null);
  useEffect(() => {
    ref.current?.querySelector<HTMLElement>('input, select, button')?.focus();
  }, []);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSubmit?.();
  };
  return (
    <div
      className="sch-modal-backdrop"
      onMouseDown={(event) => event.target === event.currentTarget && onClose()}
    >
      <form
        ref={ref}
        className={`sch-modal${wide ? ' sch-modal--wide' : ''}`}
        role="dialog"
        aria-modal="true"
        aria-label={title}
        data-testid={testId}
        onSubmit={submit}
        onKeyDown={(event) => {
          if (event.key === 'Escape') {
            event.stopPropagation();
            onClose();
          }
        }}
      >
        <h2 className="sch-modal__title">{title}</h2>
        {children}
        <div className="sch-modal__buttons">
          <button type="button" className="button" onClick={onClose}>
            {onSubmit ? 'Cancel' : 'Close'}
          </button>
          {onSubmit && (
            <button type="submit" className="button button--primary" disabled={busy}>
              {submitLabel ?? 'OK'}
            </button>
          )}
        </div>
      </form>
    </div>
  );
}

export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
