// Who is signed in and on which screen: one entry per open window (a socket, a desktop
// window), in memory only. A window enters when it reports its screen and leaves when its
// connection closes or its session ends, so the list never outlives the windows it describes.
import type { PresenceEntry } from '../../../src-shared/contract';
import type { Principal } from '../rpc/caller';

type WindowPresence = {
  personId: number;
  username: string;
  displayName: string;
  sessionId: number;
  screen: string;
  since: number;
};

export type Presence = {
  set(connectionId: string, principal: Principal, screen: string): void;
  /** A window closed (socket closed, desktop window destroyed). */
  disconnect(connectionId: string): void;
  /** Sessions ended (signed out, revoked, expired, account disabled or deleted). */
  endSessions(sessionIds: readonly number[]): void;
  list(): PresenceEntry[];
};

/** `onChange` gets the new list whenever what people see of it changes. */
export function createPresence(
  now: () => number,
  onChange: (people: PresenceEntry[]) => void,
): Presence {
  const windows = new Map<string, WindowPresence>();
  let last = '[]';

  function list(): PresenceEntry[] {
    const byPerson = new Map<number, PresenceEntry>();
    for (const w of windows.values()) {
      const entry = byPerson.get(w.personId);
      if (!entry) {
        byPerson.set(w.personId, {
          personId: w.personId,
          username: w.username,
          displayName: w.displayName,
          screens: [w.screen],
          since: w.since,
        });
        continue;
      }
      if (!entry.screens.includes(w.screen)) entry.screens.push(w.screen);
      entry.since = Math.min(entry.since, w.since);
    }
    const people = [...byPerson.values()];
    for (const p of people) p.screens.sort();
    return people.sort(
      (a, b) => a.displayName.localeCompare(b.displayName) || a.personId - b.personId,
    );
  }

  // Announce only real changes: a window re-reporting the same screen sends nothing.
  function announce() {
    const people = list();
    const text = JSON.stringify(people);
    if (text === last) return;
    last = text;
    onChange(people);
  }

  return {
    set(connectionId, principal, screen) {
      const before = windows.get(connectionId);
      const samePerson = before?.sessionId === principal.sessionId;
      windows.set(connectionId, {
        personId: principal.personId,
        username: principal.username,
        displayName: principal.displayName,
        sessionId: principal.sessionId,
        screen,
        since: samePerson ? before.since : now(),
      });
      announce();
    },
    disconnect(connectionId) {
      if (windows.delete(connectionId)) announce();
    },
    endSessions(sessionIds) {
      const ended = new Set(sessionIds);
      let changed = false;
      for (const [id, w] of windows)
        if (ended.has(w.sessionId)) {
          windows.delete(id);
          changed = true;
        }
      if (changed) announce();
    },
    list,
  };
}
