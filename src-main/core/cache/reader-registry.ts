/**
 * Who is reading which cached file right now (ingest's ffmpeg, a media route). A file with
 * readers is never purged, whatever its age or the size cap. Releases are idempotent so a
 * `finally` that runs twice cannot free somebody else's hold.
 */
export class ReaderRegistry {
  private readonly counts = new Map<number, number>();

  acquire(entryId: number): () => void {
    this.counts.set(entryId, (this.counts.get(entryId) ?? 0) + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.counts.get(entryId) ?? 1) - 1;
      if (left <= 0) this.counts.delete(entryId);
      else this.counts.set(entryId, left);
    };
  }

  isOpen(entryId: number): boolean {
    return this.counts.has(entryId);
  }

  /** Distinct files being read. */
  get openCount(): number {
    return this.counts.size;
  }
}
