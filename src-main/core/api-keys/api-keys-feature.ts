// API keys as a core feature: the admin's contract methods over the keys service.
import type { CoreContext, Feature } from '../core-context';
import { callerPrincipal } from '../rpc/caller';
import { createApiEventLog, type ApiEventLog } from './api-event-log';
import { createApiKeysService, type ApiKeysService } from './api-keys-service';
import { createWebhooksService } from './webhooks';

export type ApiKeysMethod =
  | 'apiKeysList'
  | 'apiKeyCreate'
  | 'apiKeyRevoke'
  | 'apiKeyUsage'
  | 'apiWebhooksList'
  | 'apiWebhookAdd'
  | 'apiWebhookRemove'
  | 'apiWebhookTest'
  | 'apiWebhookDeliveries';

export function createApiKeysFeature(
  context: CoreContext,
  options: { eventRetentionMs?: number } = {},
): Feature<ApiKeysMethod> & { apiKeys: ApiKeysService; apiEvents: ApiEventLog } {
  const apiKeys = createApiKeysService({
    db: context.db,
    bus: context.bus,
    now: () => context.clock.now(),
  });
  const apiEvents = createApiEventLog({
    db: context.db,
    bus: context.bus,
    now: () => context.clock.now(),
    ...(options.eventRetentionMs ? { retentionMs: options.eventRetentionMs } : {}),
  });
  const webhooks = createWebhooksService({
    db: context.db,
    keys: apiKeys,
    events: apiEvents,
    now: () => context.clock.now(),
    logger: context.logger,
    allowPrivate: () => context.settings.get().webhooksAllowPrivate,
  });
  return {
    apiKeys,
    apiEvents,
    async close() {
      await webhooks.close();
      apiEvents.close();
      apiKeys.close();
    },
    handlers: {
      apiKeysList: () => ({ keys: apiKeys.list() }),
      apiKeyCreate: (request, caller) => apiKeys.create(request, callerPrincipal(caller)),
      apiKeyRevoke: ({ id }) => apiKeys.revoke(id),
      apiKeyUsage: ({ id, days }) => ({ days: apiKeys.usage(id, days) }),
      apiWebhooksList: ({ keyId }) => ({ webhooks: webhooks.list(keyId) }),
      apiWebhookAdd: ({ keyId, url }) => webhooks.add(keyId, url),
      apiWebhookRemove: ({ id }) => {
        webhooks.remove(id);
        return { id };
      },
      apiWebhookTest: ({ id }) => webhooks.sendTest(id),
      apiWebhookDeliveries: ({ webhookId, limit }) => ({
        deliveries: webhooks.deliveries(webhookId, limit),
      }),
    },
  };
}
