import { useConnectionStore } from './store';
import './connection.css';

/**
 * Shown while a window that was connected has lost the core. It says the one thing an operator
 * needs to know: nothing to do, it comes back by itself.
 */
export function ConnectionBanner() {
  const state = useConnectionStore((store) => store.state);
  if (state.kind !== 'reconnecting') return null;
  return (
    <div className="connection-banner" role="alert" data-testid="connection-banner">
      <strong>The Airdeck core is unreachable.</strong> This window will reconnect by itself as soon
      as the core is back — no need to reload.
      <span className="connection-banner__detail">Last error: {state.lastError}</span>
    </div>
  );
}
