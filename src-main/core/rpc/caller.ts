import { grantSources, type Grant } from '../../../src-shared/contract/permissions';

/** A signed-in person as the dispatcher sees them: who, with which rights, on which session. */
export type Principal = {
  personId: number;
  username: string;
  displayName: string;
  grant: Grant;
  sessionId: number;
};

export type CallerMeta = {
  address: string;
  userAgent: string;
  transport: 'browser' | 'desktop';
};

/**
 * Who is calling. `system` is the core itself and its tests (in-process, never reachable from a
 * transport); `window` is a window of the UI, signed in or not. A desktop window binds a new
 * session when it signs in (the IPC transport keeps it per window).
 */
export type Caller =
  | { kind: 'system' }
  | {
      kind: 'window';
      principal: Principal | null;
      meta: CallerMeta;
      /**
       * The window's connection (a socket, a desktop window), for what lives as long as it
       * does (presence). Absent where a call has no lasting connection.
       */
      connectionId?: string;
      /** Present where the transport can hold a session for the window (desktop IPC). */
      bindSession?: (secret: string | null) => void;
    };

export const SYSTEM: Caller = { kind: 'system' };

/** The signed-in person behind a call, or null (the core itself, a window not signed in). */
export function callerPrincipal(caller: Caller): Principal | null {
  return caller.kind === 'window' ? caller.principal : null;
}

/** The recorded sources a caller may review, or null for all (not limited, or the core). */
export function reviewableSources(caller: Caller): ReadonlySet<number> | null {
  const principal = callerPrincipal(caller);
  return principal ? grantSources(principal.grant, 'review.read') : null;
}
