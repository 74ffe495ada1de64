// The IPTV channel list (M3U with the tvg-* attributes Kodi, Jellyfin, Plex's xTeVe-style
// importers and TiviMate read). Pure: the caller supplies absolute URLs.
import type { OutputChannel } from './output-types';

export type M3uEntry = { channel: OutputChannel; url: string; logoUrl: string | null };

/** Attribute values cannot hold a double quote or a line break in M3U (there is no escaping). */
function attr(value: string): string {
  return value.replace(/["\r\n]+/g, ' ').trim();
}

/** Channel names end the #EXTINF line after the comma: a line break would start a new entry. */
function title(value: string): string {
  return value.replace(/[\r\n]+/g, ' ').trim();
}

/** The XMLTV channel id of a channel: the same in the M3U (tvg-id) and the EPG. */
export function tvgId(channel: Pick<OutputChannel, 'slug'>): string {
  return `${channel.slug}.airdeck`;
}

export function buildM3u(entries: readonly M3uEntry[], epgUrl?: string): string {
  const head = epgUrl ? `#EXTM3U url-tvg="${attr(epgUrl)}" x-tvg-url="${attr(epgUrl)}"` : '#EXTM3U';
  const lines = [head];
  for (const { channel, url, logoUrl } of entries) {
    const parts = [
      `tvg-id="${attr(tvgId(channel))}"`,
      `tvg-name="${attr(channel.name)}"`,
      ...(logoUrl ? [`tvg-logo="${attr(logoUrl)}"`] : []),
      `group-title="${attr(channel.group ?? 'Airdeck')}"`,
      `tvg-chno="${channel.number}"`,
      `channel-number="${channel.number}"`,
    ];
    lines.push(`#EXTINF:-1 ${parts.join(' ')},${title(channel.name)}`, url);
  }
  return `${lines.join('\n')}\n`;
}
