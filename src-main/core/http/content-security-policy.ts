/**
 * The one Content-Security-Policy of the UI, sent by the headless server and by the desktop
 * app's app:// handler alike. The desktop page loads media (posters, HLS) from the core's own
 * HTTP server on the loopback interface, hence the loopback sources.
 *
 * Two entries are wider than the rest, on purpose:
 * - `connect-src` takes any http(s) origin because the multiview wall plays outside broadcasts
 *   straight from their own servers (hls.js fetches them); proxying every outside stream
 *   through the station server would cost it the bandwidth of the whole wall.
 * - `style-src 'unsafe-inline'`: the accessible primitives (dialogs' scroll lock) insert
 *   `<style>` elements at run time. Scripts stay `'self'` only, which is what stops injection.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob: http://127.0.0.1:* http://localhost:*",
  "media-src 'self' blob: http://127.0.0.1:* http://localhost:*",
  "worker-src 'self' blob:",
  "connect-src 'self' ws: wss: http: https:",
  "object-src 'none'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
].join('; ');
