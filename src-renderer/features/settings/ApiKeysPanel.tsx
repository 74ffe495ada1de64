import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import {
  apiScopes,
  DEFAULT_API_PLAN,
  type ApiKey,
  type ApiKeyMode,
  type ApiScope,
  type ApiWebhookDelivery,
} from '../../../src-shared/contract';
import { useApi } from '../../app/api/use-api';
import { useChannels } from '../schedule/queries';
import { useSaveSettings, useSettings } from './queries';
import {
  Button,
  CheckField,
  CheckList,
  ConfirmDialog,
  DataTable,
  Dialog,
  Field,
  FieldError,
  toast,
  type ColumnDef,
} from '../../ui';

const keysKey = ['settings', 'apiKeys'] as const;

const scopeText: Record<ApiScope, string> = {
  'schedule:read': 'Read channels, schedules, EPG, now/next, as-run',
  'schedule:write': 'Change schedules (batches)',
  'breaks:write': 'Insert ad breaks',
  'events:read': 'Event stream (SSE)',
  'recordings:read': 'List recordings',
  'viewers:read': 'Viewers per channel',
  'metrics:read': 'Prometheus metrics (/metrics)',
};

const when = (ms: number | null) => (ms === null ? '—' : new Date(ms).toLocaleString());

function keyState(key: ApiKey, now: number): string {
  if (key.revokedAt !== null) return 'Revoked';
  if (key.expiresAt !== null && key.expiresAt <= now) return 'Expired';
  return 'Active';
}

/** The secret, once: shown with a copy button and never again. */
function SecretDialog({ secret, onClose }: { secret: string; onClose: () => void }) {
  return (
    <Dialog
      title="Copy the new key now"
      description="This is the only time the key is shown. Airdeck keeps only a fingerprint of it."
      testId="api-key-secret-dialog"
      onClose={onClose}
      size="wide"
    >
      <Field label="API key" hint="Send it as: Authorization: Bearer <key>">
        <input
          readOnly
          value={secret}
          data-testid="api-key-secret"
          onFocus={(e) => e.target.select()}
        />
      </Field>
      <Button
        variant="primary"
        data-testid="api-key-copy"
        onClick={() => {
          void navigator.clipboard.writeText(secret).then(
            () => toast('Key copied', 'ok'),
            () => toast('Copy failed: select the key and copy it by hand', 'error'),
          );
        }}
      >
        Copy key
      </Button>
    </Dialog>
  );
}

function CreateKeyDialog({
  channels,
  onClose,
  onCreated,
}: {
  channels: { id: number; name: string }[];
  onClose: () => void;
  onCreated: (secret: string) => void;
}) {
  const api = useApi();
  const [name, setName] = useState('');
  const [mode, setMode] = useState<ApiKeyMode>('test');
  const [scopes, setScopes] = useState<ApiScope[]>(['schedule:read']);
  const [limitChannels, setLimitChannels] = useState(false);
  const [channelIds, setChannelIds] = useState<number[]>([]);
  const [rpm, setRpm] = useState(String(DEFAULT_API_PLAN.requestsPerMinute));
  const [streams, setStreams] = useState(String(DEFAULT_API_PLAN.eventStreams));
  const [hooks, setHooks] = useState(String(DEFAULT_API_PLAN.webhookEndpoints));
  const [expires, setExpires] = useState('');
  const create = useMutation({
    mutationFn: () =>
      api.call('apiKeyCreate', {
        name: name.trim(),
        mode,
        scopes,
        channels: limitChannels ? channelIds : null,
        plan: {
          requestsPerMinute: Number(rpm),
          eventStreams: Number(streams),
          webhookEndpoints: Number(hooks),
        },
        expiresAt: expires ? new Date(expires).getTime() : null,
      }),
    onSuccess: ({ secret }) => onCreated(secret),
  });
  return (
    <Dialog
      title="New API key"
      description="A partner's key: what it may do, on which channels, and how much."
      testId="api-key-create-dialog"
      onClose={onClose}
      onSubmit={() => create.mutate()}
      submitLabel="Issue key"
      submitTestId="api-key-create-submit"
      submitDisabled={name.trim() === '' || scopes.length === 0}
      busy={create.isPending}
      size="wide"
    >
      <Field label="Name" hint="Who the key is for, e.g. “Guide publisher”.">
        <input
          data-testid="api-key-name"
          value={name}
          maxLength={80}
          onChange={(e) => setName(e.target.value)}
        />
      </Field>
      <Field label="Kind" hint="Test keys reach the sandbox station, never this station's data.">
        <select
          data-testid="api-key-mode"
          value={mode}
          onChange={(e) => setMode(e.target.value as ApiKeyMode)}
        >
          <option value="test">Test (ak_test_…, sandbox)</option>
          <option value="live">Live (ak_live_…, this station)</option>
        </select>
      </Field>
      <CheckList
        className="field"
        legendClassName="field__label"
        legend="Scopes"
        options={apiScopes.map((scope) => ({
          value: scope,
          label: `${scope} — ${scopeText[scope]}`,
        }))}
        chosen={scopes}
        onChange={setScopes}
      />
      <CheckList
        className="field"
        legendClassName="field__label"
        legend="Channels"
        options={limitChannels ? channels.map((c) => ({ value: c.id, label: c.name })) : []}
        chosen={channelIds}
        onChange={setChannelIds}
      >
        <CheckField
          label="Only chosen channels"
          checked={limitChannels}
          onChange={(e) => setLimitChannels(e.target.checked)}
        />
      </CheckList>
      <Field label="Requests per minute">
        <input type="number" min={1} value={rpm} onChange={(e) => setRpm(e.target.value)} />
      </Field>
      <Field label="Concurrent event streams">
        <input type="number" min={0} value={streams} onChange={(e) => setStreams(e.target.value)} />
      </Field>
      <Field label="Webhook endpoints">
        <input type="number" min={0} value={hooks} onChange={(e) => setHooks(e.target.value)} />
      </Field>
      <Field label="Expires" hint="Empty: never.">
        <input type="datetime-local" value={expires} onChange={(e) => setExpires(e.target.value)} />
      </Field>
      <FieldError testId="api-key-error">{create.error?.message}</FieldError>
    </Dialog>
  );
}

function UsageDialog({ apiKey, onClose }: { apiKey: ApiKey; onClose: () => void }) {
  const api = useApi();
  const { data } = useQuery({
    queryKey: [...keysKey, 'usage', apiKey.id],
    queryFn: () => api.call('apiKeyUsage', { id: apiKey.id, days: 30 }),
  });
  const columns = useMemo<ColumnDef<{ day: string; requests: number; limited: number }>[]>(
    () => [
      { id: 'day', header: 'Day (UTC)', accessorKey: 'day' },
      { id: 'requests', header: 'Requests', accessorKey: 'requests' },
      { id: 'limited', header: 'Refused (429)', accessorKey: 'limited' },
    ],
    [],
  );
  return (
    <Dialog title={`Usage of ${apiKey.name}`} testId="api-key-usage-dialog" onClose={onClose}>
      <DataTable
        label={`Requests per day of ${apiKey.name}`}
        data={data?.days ?? []}
        columns={columns}
        getRowId={(row) => row.day}
        emptyText="No requests yet."
        testId="api-key-usage"
      />
    </Dialog>
  );
}

/** A key's webhook endpoints: add one (its signing secret shown once), test it, read its log. */
function WebhooksDialog({ apiKey, onClose }: { apiKey: ApiKey; onClose: () => void }) {
  const api = useApi();
  const queryClient = useQueryClient();
  const listKey = [...keysKey, 'webhooks', apiKey.id];
  const { data } = useQuery({
    queryKey: listKey,
    queryFn: () => api.call('apiWebhooksList', { keyId: apiKey.id }),
  });
  const [url, setUrl] = useState('');
  const [secret, setSecret] = useState<string | null>(null);
  const [logOf, setLogOf] = useState<number | null>(null);
  const refresh = () => void queryClient.invalidateQueries({ queryKey: listKey });
  const add = useMutation({
    mutationFn: () => api.call('apiWebhookAdd', { keyId: apiKey.id, url: url.trim() }),
    onSuccess: (answer) => {
      setSecret(answer.secret);
      setUrl('');
      refresh();
    },
  });
  const remove = useMutation({
    mutationFn: (id: number) => api.call('apiWebhookRemove', { id }),
    onSuccess: refresh,
  });
  const test = useMutation({
    mutationFn: (id: number) => api.call('apiWebhookTest', { id }),
    onSuccess: (delivery) => {
      toast('Test event queued', 'ok');
      setLogOf(delivery.webhookId);
    },
    onError: (error) => toast(error.message, 'error'),
  });
  const { data: log, refetch: refetchLog } = useQuery({
    queryKey: [...keysKey, 'deliveries', logOf],
    queryFn: () => api.call('apiWebhookDeliveries', { webhookId: logOf!, limit: 50 }),
    enabled: logOf !== null,
  });
  const hooks = data?.webhooks ?? [];
  return (
    <Dialog
      title={`Webhooks of ${apiKey.name}`}
      description={`Signed Standard Webhooks for this key's events; ${apiKey.plan.webhookEndpoints} endpoints in its plan.`}
      testId="api-webhooks-dialog"
      onClose={onClose}
      size="wide"
    >
      <ul className="api-keys__hooks">
        {hooks.map((hook) => (
          <li key={hook.id}>
            <code>{hook.url}</code>{' '}
            <Button
              size="sm"
              onClick={() => test.mutate(hook.id)}
              aria-label={`Send a test event to ${hook.url}`}
            >
              Send test event
            </Button>{' '}
            <Button
              size="sm"
              onClick={() => setLogOf(hook.id)}
              aria-label={`Deliveries to ${hook.url}`}
            >
              Deliveries
            </Button>{' '}
            <Button
              size="sm"
              variant="danger"
              onClick={() => remove.mutate(hook.id)}
              aria-label={`Remove ${hook.url}`}
            >
              Remove
            </Button>
          </li>
        ))}
        {hooks.length === 0 && <li className="muted">No endpoints.</li>}
      </ul>
      <Field label="Endpoint URL" hint="Where Airdeck POSTs this key's events.">
        <input
          data-testid="api-webhook-url"
          type="url"
          placeholder="https://partner.example/hooks/airdeck"
          value={url}
          onChange={(e) => {
            add.reset();
            setUrl(e.target.value);
          }}
        />
      </Field>
      <Button
        variant="primary"
        data-testid="api-webhook-add"
        disabled={url.trim() === '' || add.isPending}
        onClick={() => add.mutate()}
      >
        Add endpoint
      </Button>
      <FieldError>{add.error?.message}</FieldError>
      {secret !== null && (
        <Field
          label="Signing secret (shown once)"
          hint="Verify each request with it (Standard Webhooks)."
        >
          <input
            readOnly
            value={secret}
            data-testid="api-webhook-secret"
            onFocus={(e) => e.target.select()}
          />
        </Field>
      )}
      {logOf !== null && (
        <Button size="sm" onClick={() => void refetchLog()}>
          Refresh deliveries
        </Button>
      )}
      {logOf !== null && (
        <DataTable
          label="Deliveries"
          data={log?.deliveries ?? []}
          columns={deliveryColumns}
          getRowId={(d) => String(d.id)}
          emptyText="Nothing sent yet."
          testId="api-webhook-deliveries"
        />
      )}
    </Dialog>
  );
}

const deliveryColumns: ColumnDef<ApiWebhookDelivery>[] = [
  { id: 'created', header: 'Queued', accessorFn: (d) => when(d.createdAt) },
  { id: 'type', header: 'Event', accessorKey: 'type' },
  { id: 'status', header: 'Status', accessorKey: 'status' },
  { id: 'attempts', header: 'Attempts', accessorKey: 'attempts' },
  {
    id: 'last',
    header: 'Last answer',
    accessorFn: (d) => d.lastError ?? (d.lastCode === null ? '—' : String(d.lastCode)),
  },
];

/** Settings → API keys: issue, revoke and watch the keys partners use on /api/v1. */
export function ApiKeysPanel() {
  const api = useApi();
  const queryClient = useQueryClient();
  const { data } = useQuery({ queryKey: keysKey, queryFn: () => api.call('apiKeysList', {}) });
  const channels = useChannels().data ?? [];
  const [creating, setCreating] = useState(false);
  const [secret, setSecret] = useState<string | null>(null);
  const [revoking, setRevoking] = useState<ApiKey | null>(null);
  const [usageOf, setUsageOf] = useState<ApiKey | null>(null);
  const [hooksOf, setHooksOf] = useState<ApiKey | null>(null);
  const [now] = useState(() => Date.now());

  useEffect(
    () => api.on('apiKeysChanged', ({ keys }) => queryClient.setQueryData(keysKey, { keys })),
    [api, queryClient],
  );
  const revoke = useMutation({ mutationFn: (id: number) => api.call('apiKeyRevoke', { id }) });
  const { data: settings } = useSettings();
  const saveSettings = useSaveSettings();

  const columns = useMemo<ColumnDef<ApiKey>[]>(
    () => [
      { id: 'name', header: 'Name', accessorKey: 'name' },
      {
        id: 'prefix',
        header: 'Key',
        accessorFn: (key) => `${key.prefix}…`,
        cell: ({ row }) => <code>{row.original.prefix}…</code>,
      },
      { id: 'scopes', header: 'Scopes', accessorFn: (key) => key.scopes.join(', ') },
      {
        id: 'channels',
        header: 'Channels',
        accessorFn: (key) => (key.channels === null ? 'All' : `${key.channels.length} chosen`),
      },
      {
        id: 'plan',
        header: 'Plan',
        accessorFn: (key) => `${key.plan.requestsPerMinute}/min, ${key.plan.eventStreams} streams`,
      },
      { id: 'lastUsed', header: 'Last used', accessorFn: (key) => when(key.lastUsedAt) },
      { id: 'expires', header: 'Expires', accessorFn: (key) => when(key.expiresAt) },
      { id: 'state', header: 'State', accessorFn: (key) => keyState(key, now) },
      {
        id: 'actions',
        header: 'Actions',
        enableSorting: false,
        cell: ({ row }) => (
          <span className="api-keys__actions">
            <Button
              size="sm"
              aria-label={`Usage of ${row.original.name}`}
              onClick={() => setUsageOf(row.original)}
            >
              Usage
            </Button>
            <Button
              size="sm"
              aria-label={`Webhooks of ${row.original.name}`}
              onClick={() => setHooksOf(row.original)}
            >
              Webhooks
            </Button>
            {row.original.revokedAt === null && (
              <Button
                size="sm"
                variant="danger"
                aria-label={`Revoke ${row.original.name}`}
                data-testid={`api-key-revoke-${row.original.id}`}
                onClick={() => setRevoking(row.original)}
              >
                Revoke
              </Button>
            )}
          </span>
        ),
      },
    ],
    [now],
  );

  return (
    <section className="settings" data-testid="api-keys">
      <header>
        <h2 className="settings__title">API keys</h2>
        <p className="field__hint">
          Keys for partners on <code>/api/v1</code> (reference at <code>/api/v1/docs</code>). Live
          keys reach this station; test keys reach the sandbox.
        </p>
      </header>
      <DataTable
        label="API keys"
        data={data?.keys ?? []}
        columns={columns}
        getRowId={(key) => String(key.id)}
        emptyText="No API keys yet."
        testId="api-keys-table"
      />
      <div className="settings__actions">
        <Button variant="primary" data-testid="api-key-new" onClick={() => setCreating(true)}>
          New API key
        </Button>
      </div>
      <CheckField
        label="Allow webhooks to private addresses"
        hint="Off: endpoints on loopback, private or link-local addresses (this machine, the LAN, cloud metadata) are refused, so a key cannot reach inside the station's network."
        data-testid="api-webhooks-allow-private"
        checked={settings?.webhooksAllowPrivate ?? false}
        disabled={!settings || saveSettings.isPending}
        onChange={(e) =>
          saveSettings.mutate(
            { webhooksAllowPrivate: e.target.checked },
            { onError: (error) => toast(error.message, 'error') },
          )
        }
      />
      {creating && (
        <CreateKeyDialog
          channels={channels}
          onClose={() => setCreating(false)}
          onCreated={(value) => {
            setCreating(false);
            setSecret(value);
          }}
        />
      )}
      {secret !== null && <SecretDialog secret={secret} onClose={() => setSecret(null)} />}
      {usageOf && <UsageDialog apiKey={usageOf} onClose={() => setUsageOf(null)} />}
      {hooksOf && <WebhooksDialog apiKey={hooksOf} onClose={() => setHooksOf(null)} />}
      {revoking && (
        <ConfirmDialog
          title={`Revoke ${revoking.name}?`}
          confirmLabel="Revoke"
          tone="danger"
          onConfirm={() => {
            revoke.mutate(revoking.id);
            setRevoking(null);
          }}
          onClose={() => setRevoking(null)}
          confirmTestId="api-key-revoke-confirm"
        >
          <p>Requests with this key are refused at once and its event streams close.</p>
        </ConfirmDialog>
      )}
    </section>
  );
}
