// Where a child process of ours (a push, a detector) reads a channel output from our own HTTP
// server. No imports, so outputs/ and monitor/ can both use it without a cycle.

/**
 * `channels/<slug>/<file>` on our own server, with the output key when one is required. An
 * unspecified listen address (0.0.0.0, ::) is not somewhere to connect to everywhere, so the
 * URL points at loopback instead.
 */
export function ownChannelUrl(
  baseUrl: string,
  slug: string,
  file: string,
  key: string | null,
): string {
  const base = new URL(baseUrl.endsWith('/') ? baseUrl : `${baseUrl}/`);
  if (base.hostname === '0.0.0.0') base.hostname = '127.0.0.1';
  else if (base.hostname === '[::]') base.hostname = '[::1]';
  const url = new URL(`channels/${encodeURIComponent(slug)}/${file}`, base);
  if (key !== null) url.searchParams.set('key', key);
  return url.href;
}
