// Pure builders for the demo station's generated clips: ffmpeg lavfi sources made to land on
// the REMUX path of ingest (1280x720, 25 fps, H.264 yuv420p, a keyframe on every 2 s segment
// boundary, AAC stereo 48 kHz), so seeding a demo costs one encode per clip and no transcode.
// No I/O here except `resolveDemoFont`, which only checks which font file exists.
import { existsSync } from 'node:fs';

export const DEMO_WIDTH = 1280;
export const DEMO_HEIGHT = 720;
export const DEMO_FPS = 25;
/** Two seconds at 25 fps: the house segment length, so the muxer cuts on every keyframe. */
export const DEMO_GOP_FRAMES = 50;

export type DemoClipKind = 'programme' | 'ad';

export type DemoClip = {
  /** File name inside `<dataDir>/demo-source/`; also the asset name once imported. */
  file: string;
  title: string;
  kind: DemoClipKind;
  durationS: number;
  background: DemoBackground;
  toneHz: number;
};

/**
 * A lavfi video source (name and its own options, no size/rate) and the size it is rendered
 * at: the costly generators (fractal, automata) draw small and are scaled up, which keeps
 * every background faster than real time on a busy two-core machine.
 */
export type DemoBackground = { source: string; size: string };

const BACKGROUNDS: readonly DemoBackground[] = [
  { source: 'testsrc2', size: '1280x720' },
  { source: 'smptehdbars', size: '1280x720' },
  { source: 'mandelbrot', size: '320x180' },
  { source: 'rgbtestsrc', size: '640x360' },
  { source: 'life=mold=10:ratio=0.2:death_color=#203040:life_color=#f0c040', size: '320x180' },
  { source: 'pal100bars', size: '1280x720' },
  { source: 'cellauto=rule=110', size: '640x360' },
  { source: 'yuvtestsrc', size: '640x360' },
];
const DEFAULT_BACKGROUND: DemoBackground = { source: 'testsrc2', size: '1280x720' };

const PROGRAMME_SECONDS = [15, 20, 25, 30, 40, 45, 50, 60];
const PROGRAMME_TITLES = [
  'Morning Bars',
  'Colour Check',
  'Fractal Hour',
  'Signal Test',
  'Game of Life',
  'PAL Classics',
  'Automata Today',
  'Late Test Card',
];
const AD_SECONDS = [10, 12, 15];
const AD_TITLES = ['Ad: Tone Soda', 'Ad: Pixel Paint', 'Ad: Frame Rate Fitness'];

/**
 * The demo's clip set. `scale` shortens every clip (tests and the e2e run use 6–10 s so a
 * programme boundary comes within seconds); durations stay whole seconds.
 */
export function demoClipSet(scale: 'normal' | 'short' = 'normal'): DemoClip[] {
  const shorten = (s: number, i: number) => (scale === 'short' ? 6 + (i % 5) : s);
  const programmes = PROGRAMME_SECONDS.map((seconds, i): DemoClip => ({
    file: `programme-${String(i + 1).padStart(2, '0')}.mp4`,
    title: PROGRAMME_TITLES[i] ?? `Programme ${i + 1}`,
    kind: 'programme',
    durationS: shorten(seconds, i),
    background: BACKGROUNDS[i % BACKGROUNDS.length] ?? DEFAULT_BACKGROUND,
    // Distinct tones make a seam audible: each programme sings its own note.
    toneHz: 220 + i * 110,
  }));
  const ads = AD_SECONDS.map((seconds, i): DemoClip => ({
    file: `ad-${String(i + 1).padStart(2, '0')}.mp4`,
    title: AD_TITLES[i] ?? `Ad ${i + 1}`,
    kind: 'ad',
    durationS: scale === 'short' ? 6 : seconds,
    background: BACKGROUNDS[(i + 3) % BACKGROUNDS.length] ?? DEFAULT_BACKGROUND,
    toneHz: 1500 + i * 250,
  }));
  return [...programmes, ...ads];
}

/** Where Debian, Fedora, Arch, Alpine and macOS keep a sans font drawtext can load. */
export const DEMO_FONT_CANDIDATES = [
  '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf',
  '/usr/share/fonts/dejavu/DejaVuSans.ttf',
  '/usr/share/fonts/TTF/DejaVuSans.ttf',
  '/usr/share/fonts/dejavu-sans-fonts/DejaVuSans.ttf',
  '/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf',
  '/System/Library/Fonts/Supplemental/Arial.ttf',
  'C:\\Windows\\Fonts\\arial.ttf',
];

/** The first font that exists, or null (the clips are then made without captions). */
export function resolveDemoFont(candidates: readonly string[] = DEMO_FONT_CANDIDATES) {
  return candidates.find((path) => existsSync(path)) ?? null;
}

/**
 * Escapes a value for a filtergraph option written inside single quotes: a quote cannot be
 * escaped inside quotes, so it closes the quote, adds an escaped quote and reopens.
 */
function quoteOption(value: string): string {
  return `'${value.replaceAll("'", "'\\''")}'`;
}

/** drawtext expands `%{…}` and reads `\` itself; titles are ours, but stay safe anyway. */
function drawtextLiteral(text: string): string {
  return text.replaceAll('\\', '\\\\').replaceAll('%', '\\%').replaceAll(':', '\\:');
}

function fontPathOption(font: string): string {
  // Windows drive letters hold a ':' which the filtergraph parser would split on.
  return quoteOption(font.replaceAll('\\', '/').replaceAll(':', '\\:'));
}

/** The video filter chain: background, pixel format, then title and running timecode. */
export function demoVideoSource(clip: DemoClip, font: string | null): string {
  const { source, size } = clip.background;
  // Not every generator takes `duration` (mandelbrot, life, cellauto do not): `-t` ends them.
  const chain = [`${source}${source.includes('=') ? ':' : '='}size=${size}:rate=${DEMO_FPS}`];
  if (size !== `${DEMO_WIDTH}x${DEMO_HEIGHT}`) chain.push(`scale=${DEMO_WIDTH}:${DEMO_HEIGHT}`);
  chain.push('format=yuv420p');
  if (font !== null) {
    const box = 'box=1:boxcolor=black@0.6:boxborderw=16:fontcolor=white';
    chain.push(
      `drawtext=fontfile=${fontPathOption(font)}:text=${quoteOption(drawtextLiteral(clip.title))}:fontsize=64:x=(w-text_w)/2:y=h*0.12:${box}`,
      `drawtext=fontfile=${fontPathOption(font)}:timecode='00\\:00\\:00\\:00':rate=${DEMO_FPS}:fontsize=56:x=(w-text_w)/2:y=h*0.78:${box}`,
      `drawtext=fontfile=${fontPathOption(font)}:text=${quoteOption(drawtextLiteral(`${clip.durationS} s · ${clip.kind}`))}:fontsize=32:x=w-text_w-40:y=40:${box}`,
    );
  }
  return chain.join(',');
}

/**
 * ffmpeg arguments (after the binary) that write one demo clip as MP4. The keyframes are
 * forced on every 50th frame with scene cuts off, which is what ingest's remux check needs.
 */
export function buildDemoClipArgs(clip: DemoClip, output: string, font: string | null): string[] {
  if (output === '' || output.startsWith('-')) {
    throw new RangeError(`output must be a file path, got "${output}"`);
  }
  if (!Number.isInteger(clip.durationS) || clip.durationS <= 0) {
    throw new RangeError(`durationS must be a positive whole number: ${clip.durationS}`);
  }
  const gop = String(DEMO_GOP_FRAMES);
  return [
    '-y',
    '-f',
    'lavfi',
    '-i',
    demoVideoSource(clip, font),
    '-f',
    'lavfi',
    '-i',
    `sine=frequency=${clip.toneHz}:sample_rate=48000:duration=${clip.durationS}`,
    '-map',
    '0:v:0',
    '-map',
    '1:a:0',
    '-c:v',
    'libx264',
    '-preset',
    'veryfast',
    '-b:v',
    '2500k',
    '-maxrate',
    '3000k',
    '-bufsize',
    '3000k',
    '-pix_fmt',
    'yuv420p',
    '-r',
    String(DEMO_FPS),
    '-g',
    gop,
    '-keyint_min',
    gop,
    '-sc_threshold',
    '0',
    '-force_key_frames',
    `expr:eq(mod(n,${gop}),0)`,
    '-c:a',
    'aac',
    '-b:a',
    '128k',
    '-ac',
    '2',
    '-ar',
    '48000',
    '-t',
    String(clip.durationS),
    '-movflags',
    '+faststart',
    '-f',
    'mp4',
    output,
  ];
}
