import type { ReactNode } from 'react';

/** The card every station panel sits in: a caption line and a body. */
export function Panel({
  title,
  aside,
  testId,
  className,
  children,
}: {
  title: string;
  aside?: ReactNode;
  testId?: string;
  className?: string;
  children: ReactNode;
}) {
  return (
    <section className={`panel ${className ?? ''}`} data-testid={testId}>
      <header className="panel__header">
        <h2 className="panel__title">{title}</h2>
        {aside}
      </header>
      <div className="panel__body">{children}</div>
    </section>
  );
}

/** One labelled value in a panel; values are large enough to read across the room. */
export function Readout({
  label,
  value,
  detail,
  testId,
}: {
  label: string;
  value: ReactNode;
  detail?: ReactNode;
  testId?: string;
}) {
  return (
    <div className="readout" data-testid={testId}>
      <div className="readout__label">{label}</div>
      <div className="readout__value">{value}</div>
      {detail && <div className="readout__detail">{detail}</div>}
    </div>
  );
}
