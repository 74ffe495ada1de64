import {
  AuthStatusSchema,
  type AirdeckBridge,
  type AuthStatus,
  type ContractError,
  type SetupRequest,
  type SignInRequest,
} from '../../../src-shared/contract';

/** A refusal the form shows as it is (wrong password, too many attempts, a taken name). */
export class AuthError extends Error {
  constructor(
    readonly code: ContractError['code'],
    message: string,
  ) {
    super(message);
  }
}

export type AuthClient = {
  status(): Promise<AuthStatus>;
  signIn(request: SignInRequest): Promise<AuthStatus>;
  setup(request: SetupRequest & { code?: string | undefined }): Promise<AuthStatus>;
  signOut(): Promise<void>;
};

async function post(path: string, body: unknown): Promise<AuthStatus> {
  const response = await fetch(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    credentials: 'same-origin',
    body: JSON.stringify(body),
  });
  const data: unknown = await response.json().catch(() => null);
  if (!response.ok) {
    const error = data as Partial<ContractError> | null;
    const retry = response.headers.get('retry-after');
    throw new AuthError(
      error?.code ?? 'internal',
      error?.message ??
        (retry
          ? `Too many attempts; try again in ${retry} s.`
          : `Sign-in failed (${response.status}).`),
    );
  }
  return AuthStatusSchema.parse(data);
}

/** Browsers sign in over HTTP: the server sets an HttpOnly cookie the page never sees. */
export const httpAuthClient: AuthClient = {
  async status() {
    const response = await fetch('/api/auth/status', { credentials: 'same-origin' });
    if (!response.ok) throw new AuthError('unavailable', `The core answered ${response.status}.`);
    return AuthStatusSchema.parse(await response.json());
  },
  signIn: (request) => post('/api/auth/sign-in', request),
  setup: (request) => post('/api/auth/setup', request),
  async signOut() {
    await fetch('/api/auth/sign-out', { method: 'POST', credentials: 'same-origin' });
  },
};

/** The desktop window signs in over IPC; main keeps the session for this window. */
export function ipcAuthClient(bridge: AirdeckBridge): AuthClient {
  const unwrap = async <T>(
    promise: Promise<{ ok: true; result: T } | { ok: false; error: ContractError }>,
  ) => {
    const result = await promise;
    if (!result.ok) throw new AuthError(result.error.code, result.error.message);
    return result.result;
  };
  return {
    status: () => unwrap(bridge.calls.authStatus({})),
    signIn: (request) => unwrap(bridge.calls.authSignIn(request)),
    setup: ({ code: _code, ...request }) => unwrap(bridge.calls.authSetup(request)),
    async signOut() {
      await bridge.calls.authSignOut({});
    },
  };
}
