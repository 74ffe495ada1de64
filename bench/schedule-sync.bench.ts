// A drag on the calendar: one window moves an item (scheduleMove over the real WebSocket) and
// we time until a second window receives the scheduleChanged event; also the week view over
// the socket as a window opening it would see it.
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import { startHttpServer } from '../src-main/core/http/http-server';
import { silentLogger } from '../src-main/core/logger';
import { DAYS, ITEM_MS, seededCore, summarize, WEEK_START } from './schedule-seed';

// esbuild bundles benches as CommonJS, which has no top-level await.
async function main(): Promise<void> {
  const MOVES = Number(process.env.BENCH_MOVES ?? 200);
  const { core, close } = await seededCore();
  await core.people.ensureAdmin('admin', 'bench-admin-password');
  const server = await startHttpServer({
    core,
    host: '127.0.0.1',
    port: 0,
    rendererDir: '/nonexistent',
    logger: silentLogger,
  });
  const url = `ws://127.0.0.1:${server.port}/api/ws`;
  const signedIn = await fetch(`http://127.0.0.1:${server.port}/api/auth/sign-in`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: 'bench-admin-password' }),
  });
  const cookie = (signedIn.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
  const connect = () =>
    new Promise<WebSocket>((resolve, reject) => {
      const ws = new WebSocket(url, { headers: { cookie } });
      ws.once('open', () => resolve(ws));
      ws.once('error', reject);
    });
  const [editor, watcher] = await Promise.all([connect(), connect()]);
  let nextId = 1;
  type Frame = {
    id?: number;
    ok?: boolean;
    result?: unknown;
    error?: { message: string };
    event?: string;
    data?: unknown;
  };
  const call = (method: string, params: unknown) =>
    new Promise<Frame>((resolve) => {
      const id = nextId++;
      const onMessage = (raw: WebSocket.RawData) => {
        const frame = JSON.parse(raw.toString()) as Frame;
        if (frame.id === id) {
          editor.off('message', onMessage);
          resolve(frame);
        }
      };
      editor.on('message', onMessage);
      editor.send(JSON.stringify({ id, method, params }));
    });

  const weekMs: number[] = [];
  for (let i = 0; i < 10; i++) {
    const start = performance.now();
    const frame = await call('scheduleRange', {
      from: WEEK_START,
      to: WEEK_START + DAYS * 86_400_000,
    });
    if (!frame.ok) throw new Error(frame.error?.message);
    weekMs.push(performance.now() - start);
  }

  // The last item of channel 1 moves back and forth by one item length (into empty air).
  const range = await call('scheduleRange', {
    channelIds: [1],
    from: WEEK_START + (DAYS * 86_400_000 - ITEM_MS),
    to: WEEK_START + DAYS * 86_400_000,
  });
  let item = (range.result as { items: { id: number; version: number }[] }).items.at(-1);
  if (!item) throw new Error('no item to move');
  const commitMs: number[] = [];
  const otherWindowMs: number[] = [];
  for (let i = 0; i < MOVES; i++) {
    const current: { id: number; version: number } = item;
    const start = performance.now();
    const seen = new Promise<number>((resolve) => {
      const onMessage = (raw: WebSocket.RawData) => {
        const frame = JSON.parse(raw.toString()) as Frame & {
          data?: { changed?: { id: number; version: number }[] };
        };
        if (
          frame.event === 'scheduleChanged' &&
          frame.data?.changed?.some((c) => c.id === current.id && c.version === current.version + 1)
        ) {
          watcher.off('message', onMessage);
          resolve(performance.now() - start);
        }
      };
      watcher.on('message', onMessage);
    });
    const reply = await call('scheduleMove', {
      items: [{ id: current.id, version: current.version }],
      deltaMs: i % 2 === 0 ? ITEM_MS : -ITEM_MS,
    });
    commitMs.push(performance.now() - start);
    if (!reply.ok) throw new Error(reply.error?.message);
    otherWindowMs.push(await seen);
    item = { id: current.id, version: current.version + 1 };
  }

  editor.close();
  watcher.close();
  await server.close();
  await close();
  console.log(
    JSON.stringify({
      bench: 'schedule-sync',
      weekViewOverWebSocketMs: summarize(weekMs),
      moveCommittedMs: summarize(commitMs),
      moveVisibleInOtherWindowMs: summarize(otherWindowMs),
    }),
  );
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
