import type { Role } from '../../src-shared/contract';
import type { Principal } from '../../src-main/core/rpc/caller';
import type { IpcSessions } from '../../src-main/core/rpc/ipc-adapter';

/** A signed-in person of `role` for dispatcher and transport tests. */
export function testPrincipal(role: Role, channels: number[] | null = null): Principal {
  return {
    personId: 1,
    username: role,
    displayName: `Test ${role}`,
    grant: { role, scope: { channels, sources: null }, disabled: false },
    sessionId: 1,
  };
}

/** Desktop window sessions where every window is signed in as `principal`. */
export function fixedSessions(principal: Principal | null = testPrincipal('admin')): IpcSessions {
  return { principal: () => principal, bind: () => {}, share: () => {}, drop: () => {} };
}
