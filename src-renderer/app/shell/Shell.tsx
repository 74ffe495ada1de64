import { ConnectionBanner } from '../../features/connection/ConnectionBanner';
import { useCurrentScreen } from '../routing/use-current-screen';
import { NavRail } from './NavRail';
import { TopBar } from './TopBar';
import './shell.css';

export function Shell() {
  const screen = useCurrentScreen();
  return (
    <div className="shell">
      <TopBar />
      <NavRail current={screen} />
      {/* Keyed by screen so each screen opens scrolled to its top. */}
      <main key={screen.id} className="shell__main" aria-label={screen.label}>
        <ConnectionBanner />
        <screen.Component />
      </main>
    </div>
  );
}
