import { useEffect } from 'react';
import { navigate } from '../../app/routing/use-current-screen';
import { useAuthStore } from '../auth/store';
import { useMyShift } from '../shifts/queries';
import { LAYOUTS, pickSource, setLayout, TILE_COUNT, type DeskLayout } from './desk-store';

/** The smallest layout that shows `count` sources (nine at most). */
export function layoutFor(count: number): DeskLayout {
  return LAYOUTS.find((layout) => layout >= count) ?? LAYOUTS[LAYOUTS.length - 1]!;
}

/** Remembered per person and workstation: which shift's sources were put on the desk. */
const appliedKey = (personId: number) => `airdeck.review.shift-applied.${personId}`;
/** Per browser tab: the desk was opened for this shift already (a later choice is theirs). */
const openedKey = (personId: number) => `airdeck.review.shift-opened.${personId}`;

function readStorage(storage: Storage, key: string): string | null {
  try {
    return storage.getItem(key);
  } catch {
    return null;
  }
}

function writeStorage(storage: Storage, key: string, value: string) {
  try {
    storage.setItem(key, value);
  } catch {
    // Refused storage only means the desk is laid out again next time.
  }
}

/**
 * A shift's sources on the desk: the first time the desk opens during a shift (once per shift,
 * so a reviewer who then rearranges it keeps their own desk), the layout fits the shift's
 * sources and they fill the tiles in order. `ready` waits for the person's saved desk to load,
 * which would otherwise overwrite the picks.
 */
export function useShiftDesk(ready: boolean) {
  const personId = useAuthStore((s) => s.person?.id ?? null);
  const { data } = useMyShift();
  useEffect(() => {
    if (!ready || personId === null || !data?.onShift || !data.shift) return;
    const ids = data.sources.slice(0, TILE_COUNT).map((source) => source.id);
    if (ids.length === 0) return;
    const key = appliedKey(personId);
    if (readStorage(localStorage, key) === data.shift.key) return;
    setLayout(layoutFor(ids.length));
    ids.forEach((id, index) => pickSource(index, id));
    writeStorage(localStorage, key, data.shift.key);
  }, [ready, personId, data]);
  return data;
}

/**
 * Signing in during a shift that assigns sources opens the review desk, once per shift and tab:
 * the editor's work is there. Mounted by the shell for people who may review.
 */
export function useOpenDeskOnShift(enabled: boolean) {
  const personId = useAuthStore((s) => s.person?.id ?? null);
  const { data } = useMyShift();
  useEffect(() => {
    if (!enabled || personId === null || !data?.onShift || !data.shift) return;
    if (data.sources.length === 0) return;
    const key = openedKey(personId);
    if (readStorage(sessionStorage, key) === data.shift.key) return;
    writeStorage(sessionStorage, key, data.shift.key);
    navigate('review');
  }, [enabled, personId, data]);
}
