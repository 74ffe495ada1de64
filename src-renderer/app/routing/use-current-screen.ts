import { useEffect, useSyncExternalStore } from 'react';
import { rememberScreen, useUiPrefs } from '../../features/ui-prefs/store';
import { useScreens, type Screen } from './screens';

/**
 * A hash router is all a single-window control room needs: `#/settings` survives reloads, works
 * under app:// and `serve` alike, and needs no server routes.
 */
function subscribe(onChange: () => void) {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}

const readHashPath = () => window.location.hash.replace(/^#\/?/, '');

export function navigate(screenId: string) {
  window.location.hash = `/${screenId}`;
}

export function useCurrentScreen(): Screen {
  const path = useSyncExternalStore(subscribe, readHashPath);
  const screens = useScreens();
  const lastScreen = useUiPrefs((prefs) => prefs.lastScreen);
  const byId = (id: string | null) => screens.find((screen) => screen.id === id);
  // The address wins; an empty one reopens where this operator left off.
  const screen = byId(path) ?? byId(lastScreen) ?? screens[0];
  const screenId = screen?.id;
  useEffect(() => {
    if (screenId) rememberScreen(screenId);
  }, [screenId]);
  if (!screen) throw new Error('No screen is available');
  return screen;
}
