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

export type CheckOption<T> = { value: T; label: ReactNode; testId?: string };

/**
 * A group of checkboxes choosing some of a list (people, sources, channels, scopes): a fieldset
 * named by its legend, one CheckField per option, the chosen values kept in the list's order of
 * ticking. `children` come between the legend and the options (e.g. an "only these" switch).
 */
export function CheckList<T extends string | number>({
  legend,
  options,
  chosen,
  onChange,
  emptyText,
  className,
  legendClassName,
  testId,
  children,
}: {
  legend: ReactNode;
  options: readonly CheckOption<T>[];
  chosen: readonly T[];
  onChange: (next: T[]) => void;
  emptyText?: ReactNode;
  className?: string;
  legendClassName?: string;
  testId?: string;
  children?: ReactNode;
}) {
  return (
    <fieldset className={className} data-testid={testId}>
      <legend className={legendClassName}>{legend}</legend>
      {children}
      {options.length === 0 && emptyText && <p className="muted">{emptyText}</p>}
      {options.map((option) => (
        <CheckField
          key={option.value}
          label={option.label}
          data-testid={option.testId}
          checked={chosen.includes(option.value)}
          onChange={(e) =>
            onChange(
              e.target.checked
                ? [...new Set([...chosen, option.value])]
                : chosen.filter((x) => x !== option.value),
            )
          }
        />
      ))}
    </fieldset>
  );
}
