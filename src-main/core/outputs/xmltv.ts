// The programme guide as XMLTV, built from the same timeline as the playlists.
//
// XMLTV times are whole seconds, while programmes start on frame boundaries (every 40 ms at
// 25 fps), so a programme starting at 20:00:00.960 cannot be written exactly. Every boundary
// is rounded to the nearest second (half up) by the same function, so the stop of one
// programme stays equal to the start of the next (a guide shows no gaps or overlaps) and each
// time is within half a second of EXT-X-PROGRAM-DATE-TIME; boundaries on a whole second, which
// the schedule editor produces by default, are exact. A piece shorter than that rounding (it
// would collapse to zero length) is left out.
import { tvgId } from './m3u';
import type { OutputChannel, OutputProgramme } from './output-types';

export type XmltvChannel = {
  channel: OutputChannel;
  logoUrl: string | null;
  programmes: readonly OutputProgramme[];
};

export const DEFAULT_EPG_PAST_HOURS = 6;
export const DEFAULT_EPG_HOURS = 48;

const XML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};

/** Escapes markup and drops characters XML 1.0 cannot carry at all (control characters). */
export function xmlEscape(value: string): string {
  let clean = '';
  for (const ch of value) {
    const code = ch.codePointAt(0)!;
    const allowed =
      code === 0x09 ||
      code === 0x0a ||
      code === 0x0d ||
      (code >= 0x20 && code !== 0xfffe && code !== 0xffff);
    if (allowed) clean += ch;
  }
  return clean.replace(/[&<>"']/g, (c) => XML_ESCAPES[c]!);
}

/** Nearest whole second, halves up (see the note at the top). */
export function roundToSecond(ms: number): number {
  return Math.floor((ms + 500) / 1000) * 1000;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** `YYYYMMDDhhmmss +0000` of an instant (already rounded). */
export function xmltvTime(ms: number): string {
  const d = new Date(ms);
  return (
    `${pad(d.getUTCFullYear(), 4)}${pad(d.getUTCMonth() + 1)}${pad(d.getUTCDate())}` +
    `${pad(d.getUTCHours())}${pad(d.getUTCMinutes())}${pad(d.getUTCSeconds())} +0000`
  );
}

/**
 * The guide for `channels`. A channel with nothing in the range gets one programme spanning
 * `range` under its own name: guides (and tv_validate_file) treat a channel without any
 * programme as broken, and such a channel airs the station slate anyway.
 */
export function buildXmltv(
  channels: readonly XmltvChannel[],
  generator = 'Airdeck',
  range?: { from: number; to: number },
): string {
  const out = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<!DOCTYPE tv SYSTEM "xmltv.dtd">',
    `<tv generator-info-name="${xmlEscape(generator)}">`,
  ];
  // Sorted by id, as the DTD suggests, so two answers diff cleanly.
  const sorted = [...channels].sort((a, b) =>
    tvgId(a.channel) < tvgId(b.channel) ? -1 : tvgId(a.channel) > tvgId(b.channel) ? 1 : 0,
  );
  for (const { channel, logoUrl } of sorted) {
    out.push(`  <channel id="${xmlEscape(tvgId(channel))}">`);
    out.push(`    <display-name>${xmlEscape(channel.name)}</display-name>`);
    // The DTD has no <lcn>; the number as a second display name is what guides match on.
    out.push(`    <display-name>${channel.number}</display-name>`);
    if (logoUrl) out.push(`    <icon src="${xmlEscape(logoUrl)}" />`);
    out.push('  </channel>');
  }
  for (const { channel, programmes } of sorted) {
    const id = xmlEscape(tvgId(channel));
    const list: OutputProgramme[] =
      programmes.length === 0 && range
        ? [
            {
              title: channel.name,
              startsAt: range.from,
              endsAt: range.to,
              kind: 'slate',
              category: null,
            },
          ]
        : [...programmes];
    for (const p of list.sort((a, b) => a.startsAt - b.startsAt)) {
      const start = roundToSecond(p.startsAt);
      const stop = roundToSecond(p.endsAt);
      if (stop <= start) continue;
      out.push(
        `  <programme start="${xmltvTime(start)}" stop="${xmltvTime(stop)}" channel="${id}">`,
      );
      out.push(`    <title>${xmlEscape(p.title || channel.name)}</title>`);
      if (p.category) out.push(`    <category>${xmlEscape(p.category)}</category>`);
      out.push('  </programme>');
    }
  }
  out.push('</tv>');
  return `${out.join('\n')}\n`;
}
