import type { ConnectionState } from '../../app/api/transport';

export type ConnectionTone = 'ok' | 'warn' | 'idle';

/** The words and colour of the connection indicator, one place for the top bar and the prompt. */
export function describeConnection(
  state: ConnectionState,
  secondsToRetry: number | null,
): { label: string; tone: ConnectionTone } {
  switch (state.kind) {
    case 'open':
      return { label: 'Connected', tone: 'ok' };
    case 'connecting':
      return { label: 'Connecting…', tone: 'idle' };
    case 'reconnecting': {
      const retry = secondsToRetry ? `retry in ${secondsToRetry}s` : 'retrying now';
      return { label: `Reconnecting… (attempt ${state.attempt}, ${retry})`, tone: 'warn' };
    }
    case 'unauthorized':
      return { label: 'Signed out', tone: 'warn' };
  }
}
