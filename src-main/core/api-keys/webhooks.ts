// Webhooks per API key: each event the key may read is queued for each of its endpoints and
// POSTed signed in the Standard Webhooks format (`standardwebhooks`: webhook-id,
// webhook-timestamp, webhook-signature), retried with growing waits, every attempt logged.
import { randomBytes } from 'node:crypto';
import type { Database } from 'better-sqlite3';
import { Webhook } from 'standardwebhooks';
import type { ApiWebhook, ApiWebhookDelivery } from '../../../src-shared/contract';
import { AppError } from '../errors';
import type { Logger } from '../logger';
import { eventFor, type ApiEventLog } from './api-event-log';
import { assertPublicUrl, postGuarded, PrivateAddressError } from './webhook-address';
import type { ApiKeysService } from './api-keys-service';

/** Waits before each retry; after the last the message is marked failed. */
export const WEBHOOK_BACKOFF_MS = [5_000, 30_000, 120_000, 600_000, 3_600_000] as const;
const ATTEMPT_TIMEOUT_MS = 10_000;
const PUMP_EVERY_MS = 1000;

type HookRow = {
  id: number;
  key_id: number;
  url: string;
  secret: string;
  enabled: number;
  created_at: number;
};
type DeliveryRow = {
  id: number;
  webhook_id: number;
  message_id: string;
  type: string;
  payload: string;
  attempts: number;
  status: ApiWebhookDelivery['status'];
  last_code: number | null;
  last_error: string | null;
  created_at: number;
  next_at: number | null;
};

const toHook = (row: HookRow): ApiWebhook => ({
  id: row.id,
  keyId: row.key_id,
  url: row.url,
  enabled: row.enabled === 1,
  createdAt: row.created_at,
});
const toDelivery = (row: DeliveryRow): ApiWebhookDelivery => ({
  id: row.id,
  webhookId: row.webhook_id,
  messageId: row.message_id,
  type: row.type,
  attempts: row.attempts,
  status: row.status,
  lastCode: row.last_code,
  lastError: row.last_error,
  createdAt: row.created_at,
  nextAt: row.next_at,
});

export type WebhooksService = {
  list(keyId: number): ApiWebhook[];
  /** Refused when the URL's host is, or resolves to, a private address (webhook-address.ts). */
  add(keyId: number, url: string): Promise<{ webhook: ApiWebhook; secret: string }>;
  remove(id: number): void;
  sendTest(id: number): ApiWebhookDelivery;
  deliveries(webhookId: number, limit: number): ApiWebhookDelivery[];
  /** Attempts what is due now (the pump does this every second). */
  pump(): Promise<void>;
  close(): Promise<void>;
};

export function createWebhooksService(deps: {
  db: Database;
  keys: ApiKeysService;
  events: ApiEventLog;
  now: () => number;
  logger: Logger;
  /** The station allows webhook URLs on private, loopback and link-local addresses. */
  allowPrivate: () => boolean;
}): WebhooksService {
  const { db, keys, now } = deps;
  const q = {
    byKey: db.prepare<[number], HookRow>('SELECT * FROM api_webhooks WHERE key_id = ? ORDER BY id'),
    byId: db.prepare<[number], HookRow>('SELECT * FROM api_webhooks WHERE id = ?'),
    enabled: db.prepare<[], HookRow>('SELECT * FROM api_webhooks WHERE enabled = 1'),
    insert: db.prepare<[number, string, string, number], { id: number }>(
      'INSERT INTO api_webhooks (key_id, url, secret, created_at) VALUES (?, ?, ?, ?) RETURNING id',
    ),
    remove: db.prepare<[number]>('DELETE FROM api_webhooks WHERE id = ?'),
    queue: db.prepare<[number, string, string, string, number, number], { id: number }>(
      `INSERT INTO api_webhook_deliveries (webhook_id, message_id, type, payload, status, created_at, next_at)
       VALUES (?, ?, ?, ?, 'pending', ?, ?) RETURNING id`,
    ),
    delivery: db.prepare<[number], DeliveryRow>(
      'SELECT * FROM api_webhook_deliveries WHERE id = ?',
    ),
    due: db.prepare<[number], DeliveryRow>(
      `SELECT * FROM api_webhook_deliveries WHERE status = 'pending' AND next_at <= ?
       ORDER BY next_at LIMIT 20`,
    ),
    settle: db.prepare<[number, string, number | null, string | null, number | null, number]>(
      `UPDATE api_webhook_deliveries SET attempts = ?, status = ?, last_code = ?, last_error = ?,
         next_at = ? WHERE id = ?`,
    ),
    log: db.prepare<[number, number], DeliveryRow>(
      'SELECT * FROM api_webhook_deliveries WHERE webhook_id = ? ORDER BY id DESC LIMIT ?',
    ),
  };

  function queue(hook: HookRow, type: string, data: unknown): ApiWebhookDelivery {
    const at = now();
    const messageId = `msg_${randomBytes(12).toString('hex')}`;
    const payload = JSON.stringify({ type, timestamp: new Date(at).toISOString(), data });
    const { id } = q.queue.get(hook.id, messageId, type, payload, at, at)!;
    wake();
    return toDelivery(q.delivery.get(id)!);
  }

  // Every event a key may read goes to each of its endpoints (live keys: this core's events).
  const unsubscribe = deps.events.subscribe((event) => {
    for (const hook of q.enabled.all()) {
      const key = keys.get(hook.key_id);
      if (!key || key.revokedAt !== null || key.mode !== 'live') continue;
      if (key.expiresAt !== null && key.expiresAt <= now()) continue;
      const shown = eventFor(event, key);
      if (!shown) continue;
      queue(hook, shown.type, {
        eventId: shown.id,
        channelId: shown.channelId,
        ...(Array.isArray(shown.data) ? { items: shown.data } : (shown.data as object)),
      });
    }
  });

  const inFlight = new Set<number>();
  async function attempt(row: DeliveryRow): Promise<void> {
    const hook = q.byId.get(row.webhook_id);
    if (!hook) return;
    const attempts = row.attempts + 1;
    let code: number | null = null;
    let error: string;
    try {
      const timestamp = new Date(now());
      const signature = new Webhook(hook.secret).sign(row.message_id, timestamp, row.payload);
      // Redirects are not followed (a 3xx is an answer like any other non-2xx).
      const response = await postGuarded(
        hook.url,
        {
          'content-type': 'application/json',
          'user-agent': 'Airdeck-Webhooks/1',
          'webhook-id': row.message_id,
          'webhook-timestamp': String(Math.floor(timestamp.getTime() / 1000)),
          'webhook-signature': signature,
        },
        row.payload,
        { allowPrivate: deps.allowPrivate, timeoutMs: ATTEMPT_TIMEOUT_MS },
      );
      code = response.status;
      if (code >= 200 && code < 300) {
        q.settle.run(attempts, 'delivered', code, null, null, row.id);
        return;
      }
      error = `answered ${code}`;
    } catch (failure) {
      error = failure instanceof Error ? failure.message : String(failure);
    }
    const wait = WEBHOOK_BACKOFF_MS[attempts - 1];
    if (wait === undefined) q.settle.run(attempts, 'failed', code, error, null, row.id);
    else q.settle.run(attempts, 'pending', code, error, now() + wait, row.id);
  }

  let pumping: Promise<void> | null = null;
  async function pump(): Promise<void> {
    const due = q.due.all(now()).filter((row) => !inFlight.has(row.id));
    await Promise.all(
      due.map(async (row) => {
        inFlight.add(row.id);
        try {
          await attempt(row);
        } catch (error) {
          deps.logger.error('webhook delivery failed', error);
        } finally {
          inFlight.delete(row.id);
        }
      }),
    );
  }
  const run = () => {
    pumping ??= pump().finally(() => (pumping = null));
    return pumping;
  };
  function wake() {
    setImmediate(() => void run());
  }
  const timer = setInterval(() => void run(), PUMP_EVERY_MS);
  timer.unref();

  return {
    list: (keyId) => q.byKey.all(keyId).map(toHook),
    async add(keyId, url) {
      try {
        await assertPublicUrl(url, deps.allowPrivate());
      } catch (error) {
        throw new AppError(
          'invalid_request',
          error instanceof PrivateAddressError
            ? `The webhook URL is refused: ${error.message}.`
            : `The webhook host cannot be resolved (${error instanceof Error ? error.message : String(error)}).`,
        );
      }
      const key = keys.get(keyId);
      if (!key) throw new AppError('not_found', `No API key ${keyId}.`);
      if (key.revokedAt !== null) throw new AppError('conflict', 'This key was revoked.');
      if (q.byKey.all(keyId).length >= key.plan.webhookEndpoints)
        throw new AppError(
          'conflict',
          `This key's plan allows ${key.plan.webhookEndpoints} webhook endpoints.`,
        );
      const secret = `whsec_${randomBytes(24).toString('base64')}`;
      const { id } = q.insert.get(keyId, url, secret, now())!;
      return { webhook: toHook(q.byId.get(id)!), secret };
    },
    remove(id) {
      if (q.remove.run(id).changes === 0) throw new AppError('not_found', `No webhook ${id}.`);
    },
    sendTest(id) {
      const hook = q.byId.get(id);
      if (!hook) throw new AppError('not_found', `No webhook ${id}.`);
      return queue(hook, 'webhook.test', { message: 'A test event from Airdeck.' });
    },
    deliveries: (webhookId, limit) => q.log.all(webhookId, limit).map(toDelivery),
    pump: run,
    async close() {
      clearInterval(timer);
      unsubscribe();
      await pumping;
    },
  };
}
