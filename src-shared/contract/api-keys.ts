import { z } from 'zod';
import { Id } from './library';

/**
 * Keys for integrators (`/api/v1`). A key is shown once when issued (`ak_live_…` reaches the
 * station, `ak_test_…` the sandbox); the core keeps only its SHA-256 and a visible prefix.
 * Scopes say what a key may do, `channels` where (null: every channel), the plan how much.
 */
export const apiScopes = [
  'schedule:read',
  'schedule:write',
  'breaks:write',
  'events:read',
  'recordings:read',
  'viewers:read',
  /** Scrape `/metrics` (a Prometheus sends the key as its bearer credential). */
  'metrics:read',
] as const;
export const ApiScopeSchema = z.enum(apiScopes);
export type ApiScope = z.infer<typeof ApiScopeSchema>;

export const ApiKeyMode = z.enum(['live', 'test']);
export type ApiKeyMode = z.infer<typeof ApiKeyMode>;

export const ApiPlanSchema = z
  .object({
    requestsPerMinute: z.number().int().min(1).max(100_000),
    eventStreams: z.number().int().min(0).max(100),
    webhookEndpoints: z.number().int().min(0).max(50),
  })
  .strict();
export type ApiPlan = z.infer<typeof ApiPlanSchema>;

export const DEFAULT_API_PLAN: ApiPlan = {
  requestsPerMinute: 120,
  eventStreams: 2,
  webhookEndpoints: 2,
};

export const ApiKeySchema = z.object({
  id: Id,
  name: z.string(),
  mode: ApiKeyMode,
  /** The first characters of the key, enough to recognise it in a list or a log. */
  prefix: z.string(),
  scopes: z.array(ApiScopeSchema),
  channels: z.array(Id).nullable(),
  plan: ApiPlanSchema,
  expiresAt: z.number().int().nullable(),
  createdAt: z.number().int(),
  createdBy: z.string(),
  lastUsedAt: z.number().int().nullable(),
  revokedAt: z.number().int().nullable(),
});
export type ApiKey = z.infer<typeof ApiKeySchema>;

export const ApiKeyUsageDaySchema = z.object({
  /** UTC day, YYYY-MM-DD. */
  day: z.string(),
  requests: z.number().int(),
  /** Answered 429 (over the plan's rate). */
  limited: z.number().int(),
});
export type ApiKeyUsageDay = z.infer<typeof ApiKeyUsageDaySchema>;

export const ApiKeyCreateSchema = z
  .object({
    name: z.string().trim().min(1).max(80),
    mode: ApiKeyMode.default('live'),
    scopes: z.array(ApiScopeSchema).min(1).max(apiScopes.length),
    channels: z.array(Id).max(10_000).nullable().default(null),
    plan: ApiPlanSchema.prefault(DEFAULT_API_PLAN),
    expiresAt: z.number().int().positive().nullable().default(null),
  })
  .strict();
export type ApiKeyCreate = z.input<typeof ApiKeyCreateSchema>;

export const ApiWebhookSchema = z.object({
  id: Id,
  keyId: Id,
  url: z.string(),
  enabled: z.boolean(),
  createdAt: z.number().int(),
});
export type ApiWebhook = z.infer<typeof ApiWebhookSchema>;

export const ApiWebhookDeliverySchema = z.object({
  id: Id,
  webhookId: Id,
  /** The `webhook-id` header: the same on every retry of one message. */
  messageId: z.string(),
  type: z.string(),
  attempts: z.number().int(),
  status: z.enum(['pending', 'delivered', 'failed']),
  lastCode: z.number().int().nullable(),
  lastError: z.string().nullable(),
  createdAt: z.number().int(),
  /** When the next attempt is due (pending only). */
  nextAt: z.number().int().nullable(),
});
export type ApiWebhookDelivery = z.infer<typeof ApiWebhookDeliverySchema>;

const WebhookUrl = z
  .string()
  .trim()
  .max(2000)
  .refine((value) => {
    try {
      const url = new URL(value);
      return (url.protocol === 'https:' || url.protocol === 'http:') && !url.username;
    } catch {
      return false;
    }
  }, 'an http(s) URL without credentials');

export const apiKeyMethods = {
  apiKeysList: {
    request: z.object({}).strict(),
    response: z.object({ keys: z.array(ApiKeySchema) }),
  },
  /** The answer is the only time the secret is seen: the core keeps its hash. */
  apiKeyCreate: {
    request: ApiKeyCreateSchema,
    response: z.object({ key: ApiKeySchema, secret: z.string() }),
  },
  /** Open event streams of the key close at once; later requests get 401. */
  apiKeyRevoke: {
    request: z.object({ id: Id }).strict(),
    response: ApiKeySchema,
  },
  /** Requests per UTC day, newest first. */
  apiKeyUsage: {
    request: z.object({ id: Id, days: z.number().int().min(1).max(366).default(30) }).strict(),
    response: z.object({ days: z.array(ApiKeyUsageDaySchema) }),
  },
  apiWebhooksList: {
    request: z.object({ keyId: Id }).strict(),
    response: z.object({ webhooks: z.array(ApiWebhookSchema) }),
  },
  /** The signing secret (`whsec_…`, Standard Webhooks) is shown once, in this answer. */
  apiWebhookAdd: {
    request: z.object({ keyId: Id, url: WebhookUrl }).strict(),
    response: z.object({ webhook: ApiWebhookSchema, secret: z.string() }),
  },
  apiWebhookRemove: {
    request: z.object({ id: Id }).strict(),
    response: z.object({ id: Id }),
  },
  /** Queues a `webhook.test` message to the endpoint now. */
  apiWebhookTest: {
    request: z.object({ id: Id }).strict(),
    response: ApiWebhookDeliverySchema,
  },
  /** Newest first. */
  apiWebhookDeliveries: {
    request: z
      .object({ webhookId: Id, limit: z.number().int().min(1).max(500).default(50) })
      .strict(),
    response: z.object({ deliveries: z.array(ApiWebhookDeliverySchema) }),
  },
} as const;

export const apiKeyEvents = {
  apiKeysChanged: z.object({ keys: z.array(ApiKeySchema) }),
} as const;
