/** The house frame rate. Every trim point lands on a frame so playout never cuts mid-frame. */
export const HOUSE_FPS = 25;
export const FRAME_MS = 1000 / HOUSE_FPS;

/** Nearest frame boundary (ties round up), as integer milliseconds. */
export function snapToFrame(ms: number): number {
  return Math.round(Math.round(ms / FRAME_MS) * FRAME_MS);
}

export function isFrameAligned(ms: number): boolean {
  return snapToFrame(ms) === ms;
}
