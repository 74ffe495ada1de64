// A client of /api/v1 as a partner writes one: bearer key, JSON bodies, and an SSE reader that
// parses frames off a fetch body stream.
import type { ApiKeyCreate } from '../../src-shared/contract';
import type { ServedCore } from './served-core';

export type ApiAnswer = {
  status: number;
  headers: Headers;
  type: string;
  body: unknown;
};

export async function apiRequest(
  baseUrl: string,
  key: string | null,
  method: string,
  path: string,
  options: { body?: unknown; headers?: Record<string, string> } = {},
): Promise<ApiAnswer> {
  const response = await fetch(new URL(path, baseUrl), {
    method,
    headers: {
      ...(key ? { authorization: `Bearer ${key}` } : {}),
      ...(options.body !== undefined ? { 'content-type': 'application/json' } : {}),
      ...options.headers,
    },
    ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    type: response.headers.get('content-type') ?? '',
    body: text ? (JSON.parse(text) as unknown) : null,
  };
}

/** Issues a key as the core itself would for an admin; returns the secret. */
export async function issueKey(served: ServedCore, request: ApiKeyCreate) {
  const { key, secret } = await served.call('apiKeyCreate', request);
  return { key, secret };
}

export type SseEvent = { id: number | null; event: string; data: unknown };

/** An open event stream: frames as they arrive, and whether the server closed it. */
export class SseClient {
  readonly events: SseEvent[] = [];
  closed = false;
  status = 0;
  private readonly abort = new AbortController();

  static async open(url: string, key: string, lastEventId?: number): Promise<SseClient> {
    const client = new SseClient();
    const response = await fetch(url, {
      headers: {
        authorization: `Bearer ${key}`,
        accept: 'text/event-stream',
        ...(lastEventId !== undefined ? { 'last-event-id': String(lastEventId) } : {}),
      },
      signal: client.abort.signal,
    });
    client.status = response.status;
    if (response.status !== 200 || !response.body) {
      client.closed = true;
      await response.text().catch(() => '');
      return client;
    }
    void client.read(response.body);
    return client;
  }

  private async read(body: ReadableStream<Uint8Array>): Promise<void> {
    const decoder = new TextDecoder();
    let buffer = '';
    const reader = body.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        let end: number;
        while ((end = buffer.indexOf('\n\n')) >= 0) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          let id: number | null = null;
          let event = 'message';
          const data: string[] = [];
          for (const line of block.split('\n')) {
            if (line.startsWith('id: ')) id = Number(line.slice(4));
            else if (line.startsWith('event: ')) event = line.slice(7);
            else if (line.startsWith('data: ')) data.push(line.slice(6));
          }
          if (data.length > 0) this.events.push({ id, event, data: JSON.parse(data.join('\n')) });
        }
      }
    } catch {
      // aborted by close()
    }
    this.closed = true;
  }

  close(): void {
    this.abort.abort();
  }
}
