import type { ReactNode } from 'react';

/** A checkbox with its label, as the storage forms lay them out. */
export function CheckField(props: {
  checked: boolean;
  onChange(checked: boolean): void;
  testId?: string;
  wide?: boolean;
  children: ReactNode;
}) {
  return (
    <label
      className={props.wide ? 'storage-form__check storage-form__wide' : 'storage-form__check'}
    >
      <input
        type="checkbox"
        data-testid={props.testId}
        checked={props.checked}
        onChange={(event) => props.onChange(event.target.checked)}
      />
      <span>{props.children}</span>
    </label>
  );
}
