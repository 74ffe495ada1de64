import { StudioClock } from '../clock/StudioClock';
import { AppInfoPanel } from './AppInfoPanel';
import { HealthPanel } from './HealthPanel';
import { StationIdentity } from './StationIdentity';
import './station.css';

/** The station at a glance: its clock, who it is, and whether the core is healthy. */
export function StationScreen() {
  return (
    <div className="station-screen">
      <div className="station-hero">
        <StudioClock />
        <StationIdentity />
      </div>
      <HealthPanel />
      <AppInfoPanel />
    </div>
  );
}
