/**
 * The `serve` access token. It arrives once in the link printed by `airdeck serve`, is kept in
 * localStorage so a reload or a bookmark of `/` still connects, and is removed from the visible
 * URL so it does not end up in screenshots, screen shares or the browser history.
 */
const TOKEN_KEY = 'airdeck.token';

export function takeTokenFromUrl(): string | null {
  const url = new URL(window.location.href);
  const token = url.searchParams.get('token')?.trim();
  if (!url.searchParams.has('token')) return null;
  url.searchParams.delete('token');
  window.history.replaceState(window.history.state, '', `${url.pathname}${url.search}${url.hash}`);
  if (!token) return null;
  saveToken(token);
  return token;
}

export function loadStoredToken(): string | null {
  try {
    return localStorage.getItem(TOKEN_KEY) || null;
  } catch {
    // Storage can be disabled by browser policy; the prompt still works for this tab.
    return null;
  }
}

export function saveToken(token: string): void {
  try {
    localStorage.setItem(TOKEN_KEY, token);
  } catch {
    // See loadStoredToken.
  }
}

/** Forgets a token the core refused, but never a newer one another tab stored meanwhile. */
export function forgetToken(token: string): void {
  try {
    if (localStorage.getItem(TOKEN_KEY) === token) localStorage.removeItem(TOKEN_KEY);
  } catch {
    // See loadStoredToken.
  }
}
