import { create } from 'zustand';
import { createJSONStorage, persist } from 'zustand/middleware';

/**
 * Preferences of this operator's window. Only UI choices live here: station data comes from
 * the core and is never written to localStorage.
 */
type UiPrefs = {
  lastScreen: string | null;
};

export const useUiPrefs = create<UiPrefs>()(
  persist((): UiPrefs => ({ lastScreen: null }), {
    name: 'airdeck.ui-prefs',
    version: 1,
    storage: createJSONStorage(() => localStorage),
  }),
);

export function rememberScreen(screen: string) {
  if (useUiPrefs.getState().lastScreen !== screen) useUiPrefs.setState({ lastScreen: screen });
}
