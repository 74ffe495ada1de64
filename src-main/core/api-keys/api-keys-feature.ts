// API keys as a core feature: the admin's contract methods over the keys service.
import type { CoreContext, Feature } from '../core-context';
import type { Caller } from '../rpc/caller';
import { createApiKeysService, type ApiKeysService } from './api-keys-service';

export type ApiKeysMethod = 'apiKeysList' | 'apiKeyCreate' | 'apiKeyRevoke' | 'apiKeyUsage';

const issuerOf = (caller: Caller) =>
  caller.kind === 'window' && caller.principal ? caller.principal : null;

export function createApiKeysFeature(
  context: CoreContext,
): Feature<ApiKeysMethod> & { apiKeys: ApiKeysService } {
  const apiKeys = createApiKeysService({
    db: context.db,
    bus: context.bus,
    now: () => context.clock.now(),
  });
  return {
    apiKeys,
    async close() {
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
