import { create } from 'zustand';
import type { AuthStatus, Person } from '../../../src-shared/contract';
import type { Permission } from '../../../src-shared/contract/permissions';

/**
 * - `checking`: asking the core who this window is.
 * - `setup`: no account exists yet; the first-run form creates the first admin.
 * - `signedOut`: the sign-in form (with a notice when a session just ended).
 * - `signedIn`: the shell, with the person's permissions.
 */
export type AuthPhase = 'checking' | 'setup' | 'signedOut' | 'signedIn';

type AuthStore = {
  phase: AuthPhase;
  person: Person | null;
  permissions: ReadonlySet<string>;
  /** Why the sign-in form is shown again ("your session has ended"). */
  notice: string | null;
  /** The one-time code from the set-up link `serve` printed (`?setup=`), kept in memory only. */
  setupCode: string | null;
  lastUsername: string | null;
};

export const useAuthStore = create<AuthStore>()(() => ({
  phase: 'checking',
  person: null,
  permissions: new Set(),
  notice: null,
  setupCode: null,
  lastUsername: null,
}));

export function applyAuthStatus(status: AuthStatus, notice: string | null = null): void {
  useAuthStore.setState({
    phase: status.person ? 'signedIn' : status.needsSetup ? 'setup' : 'signedOut',
    person: status.person,
    permissions: new Set(status.permissions),
    notice: status.person ? null : notice,
    ...(status.person ? { lastUsername: status.person.username } : {}),
  });
}

export function signedOut(notice: string | null): void {
  useAuthStore.setState({ phase: 'signedOut', person: null, permissions: new Set(), notice });
}

/** Whether the signed-in person has a permission (hides what they may not use). */
export function useCan(permission: Permission): boolean {
  return useAuthStore((store) => store.permissions.has(permission));
}
