// The decisions behind the Electron security baseline, as pure functions (no electron import)
// so they are unit-tested. security.ts wires them to sessions and webContents.
import { isAppOriginUrl } from '../core/rpc/ipc-adapter';

/**
 * Permissions the UI may use; everything else is denied.
 * - `fullscreen`: the multiview wall and the players go fullscreen (Element.requestFullscreen).
 * - `clipboard-sanitized-write`: "copy timecode / copy link" buttons (write-only, sanitised).
 * Not granted: `media` (camera/microphone; playback of HLS does not need it), notifications,
 * geolocation, devices (HID/serial/USB), display capture, openExternal (goes through our helper).
 */
export const ALLOWED_PERMISSIONS: ReadonlySet<string> = new Set([
  'fullscreen',
  'clipboard-sanitized-write',
]);

/** A permission is granted only if it is on the list and asked for by our own page. */
export function isPermissionAllowed(
  permission: string,
  requestingUrl: string | undefined,
): boolean {
  return (
    ALLOWED_PERMISSIONS.has(permission) &&
    typeof requestingUrl === 'string' &&
    isAppOriginUrl(requestingUrl)
  );
}

/** Our page may navigate within our own origin (reloads, in-app links); nothing else. */
export function isNavigationAllowed(url: string): boolean {
  return isAppOriginUrl(url);
}

/**
 * The only URLs handed to the operating system: http(s) with a host and no credentials.
 * Returns the normalised URL, or null (file:, javascript:, smb:, custom protocol handlers…).
 */
export function externalUrl(url: unknown): string | null {
  if (typeof url !== 'string' || url.length > 2048) return null;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return null;
  if (parsed.hostname === '' || parsed.username !== '' || parsed.password !== '') return null;
  return parsed.href;
}
