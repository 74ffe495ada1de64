// Webhooks of an API key: signed in the Standard Webhooks format (verified here with the
// reference library), sent for the key's events and on "send test event", retried after a
// failure with the same message id, each attempt in the delivery log. Private, loopback and
// link-local addresses are refused unless the station allows them (the receiver here is on
// 127.0.0.1, so the station allows them for the rest of the file).
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
    await served.call('settingsSet', { webhooksAllowPrivate: true });
  });
  afterAll(async () => {
    await served.close();
    await new Promise((done) => receiver.close(done));
    dir.remove();
  });

  it('refuses private, loopback and link-local webhook URLs unless the station allows them', async () => {
    const port = (receiver.address() as AddressInfo).port;
    const { key } = await issueKey(served, {
      name: 'Inward',
      scopes: ['schedule:read'],
      plan: { requestsPerMinute: 100, eventStreams: 1, webhookEndpoints: 3 },
    });
    await served.call('settingsSet', { webhooksAllowPrivate: false });
    try {
      for (const [target, range] of [
        [url, 'loopback'],
        [`http://localhost:${port}/hooks`, 'loopback'],
        ['http://[::1]/hooks', 'loopback'],
        ['http://[::ffff:127.0.0.1]/hooks', 'loopback'],
        ['http://169.254.169.254/latest/meta-data', 'linkLocal'],
        ['http://10.1.2.3/hooks', 'private'],
        ['http://192.168.0.10/hooks', 'private'],
      ] as const) {
        await expect(
          served.call('apiWebhookAdd', { keyId: key.id, url: target }),
          target,
        ).rejects.toThrow(
          new RegExp(
            `invalid_request: The webhook URL is refused: .* \\(${range}\\), not a public address`,
          ),
        );
      }
      expect((await served.call('apiWebhooksList', { keyId: key.id })).webhooks).toEqual([]);

      // Allowed by the station: added and delivered.
      await served.call('settingsSet', { webhooksAllowPrivate: true });
      const { webhook } = await served.call('apiWebhookAdd', { keyId: key.id, url });
      const sent = await served.call('apiWebhookTest', { id: webhook.id });
      await waitFor('the delivery', async () => {
        const log = await served.call('apiWebhookDeliveries', { webhookId: webhook.id });
        return log.deliveries.find((d) => d.id === sent.id)?.status === 'delivered';
      });

      // Taken back: the next attempt is refused at connection time (the lookup is checked).
      await served.call('settingsSet', { webhooksAllowPrivate: false });
      const refused = await served.call('apiWebhookTest', { id: webhook.id });
      const attempt = await waitFor('the refused attempt', async () => {
        const log = await served.call('apiWebhookDeliveries', { webhookId: webhook.id });
        const row = log.deliveries.find((d) => d.id === refused.id);
        return row && row.attempts >= 1 && row;
      });
      expect(attempt.status).toBe('pending');
      expect(attempt.lastCode).toBeNull();
      expect(attempt.lastError).toMatch(/127\.0\.0\.1 \(loopback\), not a public address/);
      await served.call('apiWebhookRemove', { id: webhook.id });
    } finally {
      await served.call('settingsSet', { webhooksAllowPrivate: true });
      received.length = 0;
    }
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
