import { StationClock } from '../../features/clock/StationClock';
import { ConnectionStatus } from '../../features/connection/ConnectionStatus';
import { useSettings } from '../../features/settings/queries';
import { PersonBadge } from '../../features/auth/PersonBadge';
import '../../features/auth/auth.css';

export function TopBar() {
  const stationName = useSettings().data?.stationName;
  return (
    <header className="top-bar">
      <div className="top-bar__station">
        <span className="brand-mark">AIRDECK</span>
        <span className="top-bar__station-name" data-testid="station-name">
          {stationName ?? '…'}
        </span>
      </div>
      <StationClock />
      <div className="top-bar__end">
        <ConnectionStatus />
        <PersonBadge />
      </div>
    </header>
  );
}
