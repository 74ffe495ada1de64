import { ConnectionStatus } from '../../features/connection/ConnectionStatus';
import { ConnectionBanner } from '../../features/connection/ConnectionBanner';
import './shell.css';

/** Before the first contact with the core there is nothing true to show but the attempt. */
export function ConnectingSplash() {
  return (
    <main className="splash">
      <p className="brand-mark">AIRDECK</p>
      <ConnectionStatus />
      <ConnectionBanner />
    </main>
  );
}
