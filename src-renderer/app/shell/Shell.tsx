import { ConnectionBanner } from '../../features/connection/ConnectionBanner';
import { ShortcutsOverlay, Toaster, TooltipProvider, useShortcutDispatcher } from '../../ui';
import { usePresenceReport } from '../../features/chat/queries';
import { useAuthStore } from '../../features/auth/store';
import { useOpenDeskOnShift } from '../../features/review/use-shift-desk';
import { useCurrentScreen } from '../routing/use-current-screen';
import { NavRail } from './NavRail';
import { TopBar } from './TopBar';
import './shell.css';

export function Shell() {
  const screen = useCurrentScreen();
  // One keydown listener for every screen's registered shortcuts; "?" lists them.
  useShortcutDispatcher(screen.id);
  // Who is on which screen: reported as the route changes (see features/chat).
  usePresenceReport(screen.id);
  // An editor signing in during a shift lands on the review desk with that shift's sources.
  useOpenDeskOnShift(useAuthStore((s) => s.permissions.has('review.read')));
  return (
    <TooltipProvider>
      <div className="shell">
        <TopBar />
        <NavRail current={screen} />
        {/* Keyed by screen so each screen opens scrolled to its top. */}
        <main key={screen.id} className="shell__main" aria-label={screen.label}>
          <ConnectionBanner />
          <screen.Component />
        </main>
      </div>
      <ShortcutsOverlay screenLabel={screen.label} />
      <Toaster />
    </TooltipProvider>
  );
}
