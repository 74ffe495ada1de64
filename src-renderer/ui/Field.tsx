import {
  cloneElement,
  isValidElement,
  useId,
  type ReactElement,
  type ReactNode,
  type InputHTMLAttributes,
} from 'react';

type ControlProps = {
  id?: string;
  'aria-describedby'?: string;
  'aria-invalid'?: boolean;
};

/**
 * A labelled form control with its hint and error. The control (one input, select or textarea
 * element) gets the id the label points at, `aria-describedby` naming the hint and the error,
 * and `aria-invalid` while there is an error, so a screen reader says all three.
 */
export function Field({
  label,
  hint,
  error,
  children,
  className,
  testId,
}: {
  label: ReactNode;
  hint?: ReactNode;
  error?: ReactNode;
  children: ReactElement<ControlProps>;
  className?: string;
  testId?: string;
}) {
  const auto = useId();
  const controlId = (isValidElement(children) && children.props.id) || `${auto}-control`;
  const hintId = hint ? `${auto}-hint` : undefined;
  const errorId = error ? `${auto}-error` : undefined;
  const describedBy =
    [children.props['aria-describedby'], hintId, errorId].filter(Boolean).join(' ') || undefined;
  const control = cloneElement(children, {
    id: controlId,
    'aria-describedby': describedBy,
    'aria-invalid': error ? true : children.props['aria-invalid'],
  });
  return (
    <div className={`field${className ? ` ${className}` : ''}`} data-testid={testId}>
      <label className="field__label" htmlFor={controlId}>
        {label}
      </label>
      {control}
      {hint && (
        <p id={hintId} className="field__hint">
          {hint}
        </p>
      )}
      {error && <FieldError id={errorId}>{error}</FieldError>}
    </div>
  );
}

/** An error under a field or at the foot of a form; announced when it appears. */
export function FieldError({
  id,
  children,
  testId,
}: {
  id?: string;
  children: ReactNode;
  testId?: string;
}) {
  if (!children) return null;
  return (
    <p id={id} className="form-error" role="alert" data-testid={testId}>
      {/* The word as well as the colour. */}
      <span className="visually-hidden">Error: </span>
      {children}
    </p>
  );
}

/** A checkbox with its label beside it (the label is the click target too). */
export function CheckField({
  label,
  hint,
  className,
  ...input
}: Omit<InputHTMLAttributes<HTMLInputElement>, 'type'> & {
  label: ReactNode;
  hint?: ReactNode;
}) {
  const auto = useId();
  const hintId = hint ? `${auto}-hint` : undefined;
  return (
    <div className={`field field--check${className ? ` ${className}` : ''}`}>
      <label className="field__check">
        <input type="checkbox" aria-describedby={hintId} {...input} />
        <span>{label}</span>
      </label>
      {hint && (
        <p id={hintId} className="field__hint">
          {hint}
        </p>
      )}
    </div>
  );
}
