import type { AirdeckBridge } from '../../../src-shared/contract';

/**
 * Everything that turns a core media path (`/media/{id}/proxy/index.m3u8`, a poster, a
 * filmstrip, the upload endpoint) into something the browser can fetch, in one place.
 *
 * - `serve` (browser): same origin, so the HttpOnly session cookie authorises every request by
 *   itself; URLs carry no secret.
 * - Desktop (window.airdeck): the page is app:// and the core's HTTP server listens on the
 *   loopback interface, where no cookie reaches: `mediaAccess` hands a short-lived ticket that
 *   goes as an `authorization: Bearer` header (hls.js, XHR) or `?ticket=` (for <img> and CSS
 *   backgrounds, which cannot send headers). The session renews it before it lapses.
 */
let sessionToken: string | null = null;
let baseUrl: string | null = null;

/** Called by the session when it opens (null for the desktop IPC session). */
export function setMediaToken(token: string | null): void {
  sessionToken = token;
}

/** Desktop: where the core's HTTP server answers (from `mediaAccess`). */
export function setMediaAccess(access: { baseUrl: string | null; token: string | null }): void {
  baseUrl = access.baseUrl;
  sessionToken = access.token;
}

function origin(): string {
  return baseUrl ?? window.location.origin;
}

export function isDesktop(): boolean {
  return Boolean((window as Window & { airdeck?: AirdeckBridge }).airdeck);
}

/** Absolute URL of a core path, for fetches that send the token as a header. */
export function mediaUrl(path: string): string {
  return new URL(path, origin()).toString();
}

/** URL for elements that cannot send headers (<img>, CSS `background-image`, <video src>). */
export function mediaUrlWithToken(path: string): string {
  const url = new URL(path, origin());
  if (sessionToken) url.searchParams.set('ticket', sessionToken);
  return url.toString();
}

/** Headers that authorise a media or upload request made with XHR/fetch. */
export function mediaAuthHeaders(): Record<string, string> {
  return sessionToken ? { authorization: `Bearer ${sessionToken}` } : {};
}

/** `PUT` target of a browser upload into a folder (serve only). */
export function uploadUrl(folderId: number, name: string): string {
  const params = new URLSearchParams({ folderId: String(folderId), name });
  return mediaUrl(`/api/library/upload?${params.toString()}`);
}
