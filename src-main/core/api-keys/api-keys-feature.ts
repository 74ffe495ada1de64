// API keys as a core feature: the admin's contract methods over the keys service.
import type { CoreContext, Feature } from '../core-context';
import type { Caller } from '../rpc/caller';
import { createApiEventLog, type ApiEventLog } from './api-event-log';
import { createApiKeysService, type ApiKeysService } from './api-keys-service';

export type ApiKeysMethod = 'apiKeysList' | 'apiKeyCreate' | 'apiKeyRevoke' | 'apiKeyUsage';

const issuerOf = (caller: Caller) =>
  caller.kind === 'window' && caller.principal ? caller.principal : null;

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
  return {
    apiKeys,
    apiEvents,
    async close() {
      apiEvents.close();
      apiKeys.close();
    },
    handlers: {
      apiKeysList: () => ({ keys: apiKeys.list() }),
      apiKeyCreate: (request, caller) => apiKeys.create(request, issuerOf(caller)),
      apiKeyRevoke: ({ id }) => apiKeys.revoke(id),
      apiKeyUsage: ({ id, days }) => ({ days: apiKeys.usage(id, days) }),
    },
  };
}
