import type { PlayoutStatus } from '../../../src-shared/contract';

export type TallyState = 'on-air' | 'held' | 'off';

export function tallyOf(status: PlayoutStatus | undefined): TallyState {
  if (!status?.onAir) return 'off';
  return status.held ? 'held' : 'on-air';
}

const labels: Record<TallyState, string> = { 'on-air': 'ON AIR', held: 'HELD', off: 'OFF' };

/** Red = on air, amber = held on slate, grey = off air. */
export function Tally({
  state,
  testId,
  large,
}: {
  state: TallyState;
  testId?: string;
  large?: boolean;
}) {
  return (
    <span
      className={`cc-tally cc-tally--${state}${large ? ' cc-tally--large' : ''}`}
      data-testid={testId}
      data-state={state}
    >
      {labels[state]}
    </span>
  );
}
