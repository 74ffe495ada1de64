export type TallyState = 'on-air' | 'next' | 'held' | 'off';

const LABELS: Record<TallyState, string> = {
  'on-air': 'ON AIR',
  next: 'NEXT',
  held: 'HELD',
  off: 'OFF',
};

/**
 * Red = on air, green = next, amber = held on slate, grey = off. Each state also has its own
 * word and lamp shape (filled disc, ring-and-dot, bars, hollow ring), so it reads without colour.
 */
export function TallyBadge({
  state,
  testId,
  large,
  className,
}: {
  state: TallyState;
  testId?: string;
  large?: boolean;
  className?: string;
}) {
  return (
    <span
      className={`ui-tally ui-tally--${state}${large ? ' ui-tally--large' : ''}${className ? ` ${className}` : ''}`}
      data-testid={testId}
      data-state={state}
    >
      <span className="ui-tally__lamp" aria-hidden="true" />
      {LABELS[state]}
    </span>
  );
}

export function tallyLabel(state: TallyState): string {
  return LABELS[state];
}
