import { StationClock } from '../../features/clock/StationClock';
import { ConnectionStatus } from '../../features/connection/ConnectionStatus';
import { useSettings } from '../../features/settings/queries';

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
      <ConnectionStatus />
    </header>
  );
}
