import { useShallow } from 'zustand/react/shallow';
import { describeConnection } from './describe-connection';
import { useConnectionStore } from './store';
import { useSecondsUntil } from './use-seconds-until';
import './connection.css';

/** Lamp + words: green when the core is reachable, amber while it is not. */
export function ConnectionStatus() {
  const { state, transportKind } = useConnectionStore(
    useShallow((store) => ({ state: store.state, transportKind: store.transportKind })),
  );
  const secondsToRetry = useSecondsUntil(state.kind === 'reconnecting' ? state.retryAt : null);
  const { label, tone } = describeConnection(state, secondsToRetry);
  return (
    <div className="connection-status" data-tone={tone} role="status">
      <span className="connection-status__lamp" aria-hidden="true" />
      <span className="connection-status__text">
        <span data-testid="connection-status">{label}</span>
        <span className="connection-status__via">
          {transportKind === 'ipc' ? 'Desktop core' : 'Core via WebSocket'}
        </span>
      </span>
    </div>
  );
}
