// Webhooks of an API key: signed in the Standard Webhooks format (verified here with the
// reference library), sent for the key's events and on "send test event", retried after a
// failure with the same message id, each attempt in the delivery log.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiRequest, issueKey } from '../helpers/api-client';
import { startServedCore, waitFor, type ServedCore } from '../helpers/served-core';
import { makeTempDir } from '../helpers/temp-dir';

type Received = { headers: IncomingHttpHeaders; body: string };

describe('API key webhooks', () => {
  let dir: ReturnType<typeof makeTempDir>;
  let served: ServedCore;
  let receiver: Server;
  let url: string;
  const received: Received[] = [];
  let failNext = 0;

  beforeAll(async () => {
    dir = makeTempDir();
    served = await startServedCore(dir.path);
    receiver = createServer((request, response) => {
      let body = '';
      request.setEncoding('utf8');
      request.on('data', (chunk: string) => (body += chunk));
      request.on('end', () => {
        received.push({ headers: request.headers, body });
        response.statusCode = failNext > 0 ? 500 : 204;
        if (failNext > 0) failNext -= 1;
        response.end();
      });
    });
    await new Promise<void>((done) => receiver.listen(0, '127.0.0.1', done));
    url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
  });
  afterAll(async () => {
    await served.close();
    await new Promise((done) => receiver.close(done));
    dir.remove();
  });

  it('signs what it sends so the standardwebhooks library verifies it', async () => {
    const channelId = (await served.call('channelCreate', { name: 'One', number: 1, slug: 'one' }))
      .id;
    const { key, secret: apiKey } = await issueKey(served, {
      name: 'Hooked',
      scopes: ['schedule:read', 'schedule:write'],
      plan: { requestsPerMinute: 100, eventStreams: 1, webhookEndpoints: 1 },
    });
    const { webhook, secret } = await served.call('apiWebhookAdd', { keyId: key.id, url });
    expect(secret).toMatch(/^whsec_/);
    // The plan allows one endpoint.
    await expect(served.call('apiWebhookAdd', { keyId: key.id, url })).rejects.toThrow(/conflict/);

    await served.call('apiWebhookTest', { id: webhook.id });
    const test = await waitFor('the test event', () => received[0], 20_000);
    const verified = new Webhook(secret).verify(test.body, {
      'webhook-id': String(test.headers['webhook-id']),
      'webhook-timestamp': String(test.headers['webhook-timestamp']),
      'webhook-signature': String(test.headers['webhook-signature']),
    });
    expect(verified).toMatchObject({ type: 'webhook.test' });
    // A wrong secret does not verify.
    expect(() =>
      new Webhook(`whsec_${Buffer.from('x'.repeat(24)).toString('base64')}`).verify(test.body, {
        'webhook-id': String(test.headers['webhook-id']),
        'webhook-timestamp': String(test.headers['webhook-timestamp']),
        'webhook-signature': String(test.headers['webhook-signature']),
      }),
    ).toThrow();

    // A change the key makes comes back as an event; a failed attempt is retried.
    failNext = 1;
    const at = Date.now() + 86_400_000;
    const change = await apiRequest(
      served.server.url,
      apiKey,
      'POST',
      `/api/v1/channels/${channelId}/schedule/batch`,
      {
        body: {
          ops: [
            { op: 'create', item: { channelId, kind: 'break', startsAt: at, durationMs: 60_000 } },
          ],
        },
      },
    );
    expect(change.status).toBe(200);
    const attempts = await waitFor(
      'the retried event',
      () => {
        const hits = received.filter((r) => r.body.includes('"schedule.changed"'));
        return hits.length >= 2 && hits;
      },
      30_000,
    );
    expect(attempts[0]!.headers['webhook-id']).toBe(attempts[1]!.headers['webhook-id']);
    const event = new Webhook(secret).verify(attempts[1]!.body, {
      'webhook-id': String(attempts[1]!.headers['webhook-id']),
      'webhook-timestamp': String(attempts[1]!.headers['webhook-timestamp']),
      'webhook-signature': String(attempts[1]!.headers['webhook-signature']),
    });
    expect(event).toMatchObject({ type: 'schedule.changed', data: { channelId } });

    const log = await served.call('apiWebhookDeliveries', { webhookId: webhook.id });
    const scheduled = log.deliveries.find((d) => d.type === 'schedule.changed')!;
    expect(scheduled).toMatchObject({ status: 'delivered', attempts: 2, lastCode: 204 });
    expect(log.deliveries.find((d) => d.type === 'webhook.test')).toMatchObject({
      status: 'delivered',
      attempts: 1,
    });
  });
});
