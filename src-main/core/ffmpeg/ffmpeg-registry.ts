// Knows every ffmpeg child the core started, so shutdown can end them all and the dashboard
// can list them. One registry per core instance (create it, pass it down): tests get their
// own and never see each other's children.

export interface RegistryProcess {
  readonly pid: number | undefined;
  readonly args: readonly string[];
  /** Ends the process (and its group); resolves once it has exited. */
  cancel(): Promise<void>;
}

export interface RegistryStoppable {
  /** Ends whatever it runs and prevents it from starting anything new. */
  stop(): Promise<void>;
}

export interface FfmpegProcessInfo {
  pid: number;
  args: string[];
  /** Epoch milliseconds. */
  startedAt: number;
  label: string;
}

interface Entry {
  proc: RegistryProcess;
  label: string;
  startedAt: number;
}

export class FfmpegRegistry {
  private readonly processes = new Set<Entry>();
  private readonly stoppables = new Set<RegistryStoppable>();

  /** Tracks a running child; call the returned function once it has exited. */
  add(proc: RegistryProcess, label: string): () => void {
    const entry: Entry = { proc, label, startedAt: Date.now() };
    this.processes.add(entry);
    return () => {
      this.processes.delete(entry);
    };
  }

  /** Tracks something that starts children on its own (a supervisor), so killAll stops it first. */
  addStoppable(stoppable: RegistryStoppable): () => void {
    this.stoppables.add(stoppable);
    return () => {
      this.stoppables.delete(stoppable);
    };
  }

  list(): FfmpegProcessInfo[] {
    const out: FfmpegProcessInfo[] = [];
    for (const { proc, label, startedAt } of this.processes) {
      if (proc.pid === undefined) continue;
      out.push({ pid: proc.pid, args: [...proc.args], startedAt, label });
    }
    return out;
  }

  get size(): number {
    return this.processes.size;
  }

  /** Ends every child and supervisor; resolves when all children have exited. */
  async killAll(): Promise<void> {
    // Supervisors first, or they would restart the children we are about to end. Loop in
    // case something registered while we were waiting.
    for (let round = 0; round < 10; round++) {
      if (this.stoppables.size === 0 && this.processes.size === 0) return;
      const stoppables = [...this.stoppables];
      await Promise.allSettled(stoppables.map((s) => s.stop()));
      for (const s of stoppables) this.stoppables.delete(s);
      await Promise.allSettled([...this.processes].map((e) => e.proc.cancel()));
    }
  }
}

export function createFfmpegRegistry(): FfmpegRegistry {
  return new FfmpegRegistry();
}
