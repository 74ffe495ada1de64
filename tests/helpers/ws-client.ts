import WebSocket from 'ws';
import type { CallResult } from '../../src-shared/contract';

type Frame = {
  id?: number | null;
  ok?: boolean;
  result?: unknown;
  error?: { code: string; message: string };
  event?: string;
  data?: unknown;
};

/** A minimal contract client over the real WebSocket, as a browser would use it. */
export class TestWsClient {
  private nextId = 1;
  private readonly pending = new Map<number, (r: CallResult<unknown>) => void>();
  readonly frames: Frame[] = [];
  readonly closed: Promise<{ code: number; reason: string }>;

  private constructor(readonly socket: WebSocket) {
    socket.on('message', (raw) => {
      const frame = JSON.parse(raw.toString()) as Frame;
      this.frames.push(frame);
      if (typeof frame.id === 'number' && this.pending.has(frame.id)) {
        const resolve = this.pending.get(frame.id)!;
        this.pending.delete(frame.id);
        resolve(
          frame.ok
            ? { ok: true, result: frame.result }
            : { ok: false, error: frame.error as never },
        );
      }
    });
    this.closed = new Promise((resolve) =>
      socket.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
    );
  }

  static connect(url: string, headers: Record<string, string> = {}): Promise<TestWsClient> {
    const socket = new WebSocket(url, { headers });
    const client = new TestWsClient(socket);
    return new Promise((resolve, reject) => {
      socket.once('open', () => resolve(client));
      socket.once('error', reject);
    });
  }

  call(method: string, params?: unknown): Promise<CallResult<unknown>> {
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.socket.send(JSON.stringify({ id, method, params }));
    });
  }

  sendRaw(data: string): void {
    this.socket.send(data);
  }

  waitForFrame(predicate: (frame: Frame) => boolean, timeoutMs = 10_000): Promise<Frame> {
    const found = this.frames.find(predicate);
    if (found) return Promise.resolve(found);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('timed out waiting for a frame')), timeoutMs);
      const onMessage = () => {
        const hit = this.frames.find(predicate);
        if (hit) {
          clearTimeout(timer);
          this.socket.off('message', onMessage);
          resolve(hit);
        }
      };
      this.socket.on('message', onMessage);
    });
  }

  close(): void {
    this.socket.close();
  }
}
