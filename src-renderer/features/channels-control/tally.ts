import type { PlayoutStatus } from '../../../src-shared/contract';
import type { TallyState } from '../../ui';

export function tallyOf(status: PlayoutStatus | undefined): TallyState {
  if (!status?.onAir) return 'off';
  return status.held ? 'held' : 'on-air';
}
