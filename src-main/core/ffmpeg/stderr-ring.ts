// Keeps only the end of ffmpeg's stderr: a long job logs for hours, but an error report
// needs just the last lines, and memory must stay bounded either way.

export interface StderrRingOptions {
  /** Lines kept (default 200). */
  maxLines?: number;
  /** Bytes (UTF-8) kept across all lines (default 64 KiB); also caps a single long line. */
  maxBytes?: number;
}

export class StderrRing {
  private readonly maxLines: number;
  private readonly maxBytes: number;
  private readonly kept: string[] = [];
  private keptBytes = 0;
  private partial = '';

  constructor(options: StderrRingOptions = {}) {
    this.maxLines = Math.max(1, Math.floor(options.maxLines ?? 200));
    this.maxBytes = Math.max(1, Math.floor(options.maxBytes ?? 64 * 1024));
  }

  /** Adds raw stderr text; returns the complete, non-empty lines it finished. */
  push(chunk: string): string[] {
    const parts = (this.partial + chunk).split('\n');
    this.partial = this.clip(parts.pop() ?? '');
    const finished: string[] = [];
    for (const part of parts) {
      const line = this.clip(part.endsWith('\r') ? part.slice(0, -1) : part);
      if (line.trim() === '') continue;
      this.add(line);
      finished.push(line);
    }
    return finished;
  }

  /** Every kept line, oldest first, including an unterminated last line. */
  lines(): string[] {
    const all = [...this.kept];
    const pending = this.partial.endsWith('\r') ? this.partial.slice(0, -1) : this.partial;
    if (pending.trim() !== '') all.push(pending);
    return all;
  }

  /** The last `n` lines (fewer if fewer were kept). */
  tail(n: number): string[] {
    if (n <= 0) return [];
    return this.lines().slice(-n);
  }

  /** The last `n` lines joined with newlines, for error messages. */
  text(n = this.maxLines): string {
    return this.tail(n).join('\n');
  }

  private add(line: string): void {
    this.kept.push(line);
    this.keptBytes += Buffer.byteLength(line);
    // At most a few hundred entries, so shifting an array is cheaper than it looks and
    // far simpler than index arithmetic.
    while (this.kept.length > this.maxLines || this.keptBytes > this.maxBytes) {
      const dropped = this.kept.shift();
      if (dropped === undefined) break;
      this.keptBytes -= Buffer.byteLength(dropped);
    }
  }

  /** Keeps the end of an over-long line: that is where ffmpeg puts the reason. */
  private clip(line: string): string {
    if (line.length <= this.maxBytes / 4 || Buffer.byteLength(line) <= this.maxBytes) return line;
    // Cutting bytes may split a character; drop the damaged lead so no U+FFFD appears.
    return Buffer.from(line)
      .subarray(-this.maxBytes)
      .toString('utf8')
      .replace(/^\uFFFD+/, '');
  }
}
