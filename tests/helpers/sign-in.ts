// Signing in as a browser does: POST the form, keep the session cookie, open the socket with it.
import { WS_PATH } from '../../src-shared/contract';
import { TestWsClient } from './ws-client';

export const TEST_ADMIN = { username: 'admin', password: 'admin-password-for-tests' } as const;

/** The `airdeck_session=…` cookie for `username`, or throws with the server's answer. */
export async function signIn(
  baseUrl: string,
  username: string = TEST_ADMIN.username,
  password: string = TEST_ADMIN.password,
): Promise<string> {
  const response = await fetch(new URL('/api/auth/sign-in', baseUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (response.status !== 200)
    throw new Error(`sign-in as ${username}: ${response.status} ${await response.text()}`);
  const cookie = response.headers.get('set-cookie') ?? '';
  const pair = cookie.split(';')[0] ?? '';
  if (!pair.startsWith('airdeck_session=')) throw new Error(`no session cookie: ${cookie}`);
  return pair;
}

/** A contract client on the server's socket with the given session cookie. */
export function connectWs(baseUrl: string, cookie: string): Promise<TestWsClient> {
  const url = new URL(WS_PATH, baseUrl);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return TestWsClient.connect(url.toString(), { cookie });
}

/** Signs in and opens a socket in one step. */
export async function signedInWs(
  baseUrl: string,
  username?: string,
  password?: string,
): Promise<TestWsClient> {
  return connectWs(baseUrl, await signIn(baseUrl, username, password));
}
