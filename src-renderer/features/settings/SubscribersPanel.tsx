import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useMemo, useState } from 'react';
import type { Subscriber, SubscriberPlan, SubscriberUsageDay } from '../../../src-shared/contract';
import { mediaUrl } from '../../app/api/media';
import { useApi } from '../../app/api/use-api';
import { useChannels } from '../schedule/queries';
import {
  Button,
  CheckList,
  ConfirmDialog,
  DataTable,
  Dialog,
  Field,
  toast,
  type ColumnDef,
} from '../../ui';

const subscribersKey = ['settings', 'subscribers'] as const;
const plansKey = ['settings', 'subscriberPlans'] as const;

const when = (ms: number | null) => (ms === null ? '—' : new Date(ms).toLocaleString());
/** `datetime-local` value of an instant, in this browser's zone. */
const localInput = (ms: number | null) => {
  if (ms === null) return '';
  const d = new Date(ms - new Date(ms).getTimezoneOffset() * 60_000);
  return d.toISOString().slice(0, 16);
};

function subscriberState(s: Subscriber, plan: SubscriberPlan | undefined, now: number): string {
  if (s.revokedAt !== null) return 'Revoked';
  if (!s.enabled) return 'Paused';
  const ends = [s.expiresAt, plan?.expiresAt ?? null].filter((x): x is number => x !== null);
  if (ends.some((end) => end <= now)) return 'Ended';
  return 'Active';
}

function CopyField({ label, value, testId }: { label: string; value: string; testId: string }) {
  return (
    <div className="subscribers__copy">
      <Field label={label}>
        <input readOnly value={value} data-testid={testId} onFocus={(e) => e.target.select()} />
      </Field>
      <Button
        size="sm"
        aria-label={`Copy the ${label.toLowerCase()}`}
        onClick={() =>
          void navigator.clipboard.writeText(value).then(
            () => toast(`${label} copied`, 'ok'),
            () => toast('Copy failed: select it and copy it by hand', 'error'),
          )
        }
      >
        Copy
      </Button>
    </div>
  );
}

type Issued = { secret: string; playlistPath: string; xmltvPath: string };

/** The key and the personal URLs, once: the core keeps only a fingerprint of the key. */
function IssuedDialog({ issued, onClose }: { issued: Issued; onClose: () => void }) {
  return (
    <Dialog
      title="Send these to the subscriber now"
      description="This is the only time the key and its addresses are shown."
      testId="subscriber-secret-dialog"
      onClose={onClose}
      size="wide"
    >
      <CopyField label="Subscriber key" value={issued.secret} testId="subscriber-secret" />
      <CopyField
        label="Playlist address"
        value={mediaUrl(issued.playlistPath)}
        testId="subscriber-playlist-url"
      />
      <CopyField
        label="Guide address"
        value={mediaUrl(issued.xmltvPath)}
        testId="subscriber-xmltv-url"
      />
      <p className="field__hint">
        Add <code>?format=ts</code> to the playlist address for live TS streams instead of HLS.
      </p>
    </Dialog>
  );
}

function PlanDialog({
  plan,
  channels,
  onClose,
}: {
  plan: SubscriberPlan | null;
  channels: { id: number; name: string }[];
  onClose: () => void;
}) {
  const api = useApi();
  const [name, setName] = useState(plan?.name ?? '');
  const [channelIds, setChannelIds] = useState<number[]>(plan?.channels ?? []);
  const [streams, setStreams] = useState(String(plan?.maxStreams ?? 2));
  const [ends, setEnds] = useState(localInput(plan?.expiresAt ?? null));
  const save = useMutation({
    mutationFn: () =>
      api.call('subscriberPlanSave', {
        ...(plan ? { id: plan.id } : {}),
        name: name.trim(),
        channels: channelIds,
        maxStreams: Number(streams),
        expiresAt: ends ? new Date(ends).getTime() : null,
      }),
    onSuccess: (saved) => {
      toast(`Plan ${saved.name} saved`, 'ok');
      onClose();
    },
  });
  const streamsValid = Number.isInteger(Number(streams)) && Number(streams) >= 1;
  return (
    <Dialog
      title={plan ? `Edit plan ${plan.name}` : 'New plan'}
      description="A channel package, how many streams play at once, and when it ends."
      testId="subscriber-plan-dialog"
      onClose={onClose}
      onSubmit={() => save.mutate()}
      submitLabel="Save plan"
      submitTestId="subscriber-plan-submit"
      submitDisabled={name.trim() === '' || channelIds.length === 0 || !streamsValid}
      busy={save.isPending}
      size="wide"
    >
      <Field label="Name" hint="e.g. “Basic” or “Season pass 2026”.">
        <input
          data-testid="subscriber-plan-name"
          value={name}
          maxLength={80}
          onChange={(e) => setName(e.target.value)}
        />
      </Field>
      <CheckList
        className="field"
        legendClassName="field__label"
        legend="Channels in the package"
        options={channels.map((c) => ({ value: c.id, label: c.name }))}
        chosen={channelIds}
        onChange={setChannelIds}
        emptyText="No channels yet."
      />
      <Field label="Streams at once" hint="A player that stops frees its place within 15 s.">
        <input
          type="number"
          min={1}
          max={100}
          data-testid="subscriber-plan-streams"
          value={streams}
          onChange={(e) => setStreams(e.target.value)}
        />
      </Field>
      <Field label="Ends" hint="Empty: never. Every subscriber on the plan is refused after it.">
        <input type="datetime-local" value={ends} onChange={(e) => setEnds(e.target.value)} />
      </Field>
      {save.isError && (
        <p className="form-error" role="alert">
          {save.error.message}
        </p>
      )}
    </Dialog>
  );
}

function CreateSubscriberDialog({
  plans,
  onClose,
  onCreated,
}: {
  plans: SubscriberPlan[];
  onClose: () => void;
  onCreated: (issued: Issued) => void;
}) {
  const api = useApi();
  const [name, setName] = useState('');
  const [planId, setPlanId] = useState(plans[0]?.id ?? 0);
  const [ends, setEnds] = useState('');
  const create = useMutation({
    mutationFn: () =>
      api.call('subscriberCreate', {
        name: name.trim(),
        planId,
        expiresAt: ends ? new Date(ends).getTime() : null,
      }),
    onSuccess: ({ secret, playlistPath, xmltvPath }) =>
      onCreated({ secret, playlistPath, xmltvPath }),
  });
  return (
    <Dialog
      title="New subscriber"
      description="A viewer with a personal playlist and guide address on one plan."
      testId="subscriber-create-dialog"
      onClose={onClose}
      onSubmit={() => create.mutate()}
      submitLabel="Issue key"
      submitTestId="subscriber-create-submit"
      submitDisabled={name.trim() === '' || planId === 0}
      busy={create.isPending}
    >
      <Field label="Name" hint="Who the subscription is for.">
        <input
          data-testid="subscriber-name"
          value={name}
          maxLength={80}
          onChange={(e) => setName(e.target.value)}
        />
      </Field>
      <Field label="Plan">
        <select
          data-testid="subscriber-plan"
          value={planId}
          onChange={(e) => setPlanId(Number(e.target.value))}
        >
          {plans.map((plan) => (
            <option key={plan.id} value={plan.id}>
              {plan.name} ({plan.channels.length} channels, {plan.maxStreams} at once)
            </option>
          ))}
        </select>
      </Field>
      <Field label="Ends" hint="Empty: when the plan ends, or never.">
        <input type="datetime-local" value={ends} onChange={(e) => setEnds(e.target.value)} />
      </Field>
      {create.isError && (
        <p className="form-error" role="alert" data-testid="subscriber-error">
          {create.error.message}
        </p>
      )}
    </Dialog>
  );
}

const usageColumns: ColumnDef<SubscriberUsageDay>[] = [
  { id: 'day', header: 'Day (UTC)', accessorKey: 'day' },
  { id: 'minutes', header: 'Minutes served', accessorKey: 'minutes' },
  { id: 'segments', header: 'Segments', accessorKey: 'segments' },
  { id: 'refused', header: 'Refused', accessorKey: 'refused' },
];

function UsageDialog({ subscriber, onClose }: { subscriber: Subscriber; onClose: () => void }) {
  const api = useApi();
  const { data, refetch, isFetching } = useQuery({
    queryKey: [...subscribersKey, 'usage', subscriber.id],
    queryFn: () => api.call('subscriberUsage', { id: subscriber.id, days: 30 }),
  });
  return (
    <Dialog
      title={`Usage of ${subscriber.name}`}
      testId="subscriber-usage-dialog"
      onClose={onClose}
    >
      <p data-testid="subscriber-streams-now">
        Streams now: <strong>{data?.streamsNow ?? '…'}</strong>
      </p>
      <Button size="sm" onClick={() => void refetch()} disabled={isFetching}>
        Refresh
      </Button>
      <DataTable
        label={`Usage per day of ${subscriber.name}`}
        data={data?.days ?? []}
        columns={usageColumns}
        getRowId={(row) => row.day}
        emptyText="Nothing watched yet."
        testId="subscriber-usage"
      />
    </Dialog>
  );
}

/**
 * Settings → Subscribers: plans (channel packages with a cap on streams) and the viewers on
 * them, each with a personal playlist address; usage, pause and revoke.
 */
export function SubscribersPanel() {
  const api = useApi();
  const queryClient = useQueryClient();
  const { data: subscribersData } = useQuery({
    queryKey: subscribersKey,
    queryFn: () => api.call('subscribersList', {}),
  });
  const { data: plansData } = useQuery({
    queryKey: plansKey,
    queryFn: () => api.call('subscriberPlansList', {}),
  });
  const { data: channelList } = useChannels();
  const channels = useMemo(() => channelList ?? [], [channelList]);
  const [planOpen, setPlanOpen] = useState<SubscriberPlan | 'new' | null>(null);
  const [deletingPlan, setDeletingPlan] = useState<SubscriberPlan | null>(null);
  const [creating, setCreating] = useState(false);
  const [issued, setIssued] = useState<Issued | null>(null);
  const [usageOf, setUsageOf] = useState<Subscriber | null>(null);
  const [revoking, setRevoking] = useState<Subscriber | null>(null);
  const [now] = useState(() => Date.now());

  useEffect(
    () =>
      api.on('subscribersChanged', ({ subscribers, plans }) => {
        queryClient.setQueryData(subscribersKey, { subscribers });
        queryClient.setQueryData(plansKey, { plans });
      }),
    [api, queryClient],
  );
  const onError = (error: Error) => toast(error.message, 'error');
  const revoke = useMutation({
    mutationFn: (id: number) => api.call('subscriberRevoke', { id }),
    onError,
  });
  const pause = useMutation({
    mutationFn: (s: Subscriber) => api.call('subscriberUpdate', { id: s.id, enabled: !s.enabled }),
    onError,
  });
  const deletePlan = useMutation({
    mutationFn: (id: number) => api.call('subscriberPlanDelete', { id }),
    onError,
  });

  const plans = useMemo(() => plansData?.plans ?? [], [plansData]);
  const channelName = useMemo(() => new Map(channels.map((c) => [c.id, c.name])), [channels]);

  const planColumns = useMemo<ColumnDef<SubscriberPlan>[]>(
    () => [
      { id: 'name', header: 'Plan', accessorKey: 'name' },
      {
        id: 'channels',
        header: 'Channels',
        accessorFn: (p) => p.channels.map((id) => channelName.get(id) ?? `#${id}`).join(', '),
      },
      { id: 'streams', header: 'Streams at once', accessorKey: 'maxStreams' },
      { id: 'ends', header: 'Ends', accessorFn: (p) => when(p.expiresAt) },
      { id: 'subscribers', header: 'Subscribers', accessorKey: 'subscribers' },
      {
        id: 'actions',
        header: 'Actions',
        enableSorting: false,
        cell: ({ row }) => (
          <span className="api-keys__actions">
            <Button
              size="sm"
              aria-label={`Edit plan ${row.original.name}`}
              onClick={() => setPlanOpen(row.original)}
            >
              Edit
            </Button>
            <Button
              size="sm"
              variant="danger"
              aria-label={`Delete plan ${row.original.name}`}
              disabled={row.original.subscribers > 0}
              onClick={() => setDeletingPlan(row.original)}
            >
              Delete
            </Button>
          </span>
        ),
      },
    ],
    [channelName],
  );

  const subscriberColumns = useMemo<ColumnDef<Subscriber>[]>(
    () => [
      { id: 'name', header: 'Name', accessorKey: 'name' },
      {
        id: 'prefix',
        header: 'Key',
        accessorFn: (s) => `${s.prefix}…`,
        cell: ({ row }) => <code>{row.original.prefix}…</code>,
      },
      { id: 'plan', header: 'Plan', accessorKey: 'planName' },
      {
        id: 'state',
        header: 'State',
        accessorFn: (s) =>
          subscriberState(
            s,
            plans.find((p) => p.id === s.planId),
            now,
          ),
      },
      { id: 'streams', header: 'Streams now', accessorKey: 'streamsNow' },
      { id: 'lastSeen', header: 'Last seen', accessorFn: (s) => when(s.lastSeenAt) },
      { id: 'ends', header: 'Ends', accessorFn: (s) => when(s.expiresAt) },
      {
        id: 'actions',
        header: 'Actions',
        enableSorting: false,
        cell: ({ row }) => {
          const s = row.original;
          return (
            <span className="api-keys__actions">
              <Button size="sm" aria-label={`Usage of ${s.name}`} onClick={() => setUsageOf(s)}>
                Usage
              </Button>
              {s.revokedAt === null && (
                <Button
                  size="sm"
                  aria-label={`${s.enabled ? 'Pause' : 'Resume'} ${s.name}`}
                  onClick={() => pause.mutate(s)}
                >
                  {s.enabled ? 'Pause' : 'Resume'}
                </Button>
              )}
              {s.revokedAt === null && (
                <Button
                  size="sm"
                  variant="danger"
                  aria-label={`Revoke ${s.name}`}
                  onClick={() => setRevoking(s)}
                >
                  Revoke
                </Button>
              )}
            </span>
          );
        },
      },
    ],
    [plans, now, pause],
  );

  return (
    <section className="settings" data-testid="subscribers">
      <header>
        <h2 className="settings__title">Subscribers</h2>
        <p className="field__hint">
          Viewers with a personal playlist (<code>/sub/&lt;key&gt;/playlist.m3u</code>) and guide (
          <code>/sub/&lt;key&gt;/xmltv.xml</code>) that open only their plan’s channels, on as many
          players at once as the plan allows. Keyless outputs stay open unless Channels → Outputs
          requires a key.
        </p>
      </header>
      <DataTable
        label="Subscription plans"
        data={plans}
        columns={planColumns}
        getRowId={(p) => String(p.id)}
        emptyText="No plans yet: make one before adding subscribers."
        testId="subscriber-plans-table"
      />
      <DataTable
        label="Subscribers"
        data={subscribersData?.subscribers ?? []}
        columns={subscriberColumns}
        getRowId={(s) => String(s.id)}
        emptyText="No subscribers yet."
        testId="subscribers-table"
      />
      <div className="settings__actions">
        <Button data-testid="subscriber-plan-new" onClick={() => setPlanOpen('new')}>
          New plan
        </Button>
        <Button
          variant="primary"
          data-testid="subscriber-new"
          disabled={plans.length === 0}
          onClick={() => setCreating(true)}
        >
          New subscriber
        </Button>
      </div>
      {planOpen !== null && (
        <PlanDialog
          plan={planOpen === 'new' ? null : planOpen}
          channels={channels}
          onClose={() => setPlanOpen(null)}
        />
      )}
      {creating && (
        <CreateSubscriberDialog
          plans={plans}
          onClose={() => setCreating(false)}
          onCreated={(value) => {
            setCreating(false);
            setIssued(value);
          }}
        />
      )}
      {issued && <IssuedDialog issued={issued} onClose={() => setIssued(null)} />}
      {usageOf && <UsageDialog subscriber={usageOf} onClose={() => setUsageOf(null)} />}
      {deletingPlan && (
        <ConfirmDialog
          title={`Delete plan ${deletingPlan.name}?`}
          confirmLabel="Delete"
          tone="danger"
          onConfirm={() => {
            deletePlan.mutate(deletingPlan.id);
            setDeletingPlan(null);
          }}
          onClose={() => setDeletingPlan(null)}
        >
          <p>No subscriber is on it.</p>
        </ConfirmDialog>
      )}
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
          confirmTestId="subscriber-revoke-confirm"
        >
          <p>
            Their playlist and streams are refused at once; live TS streams end. Pause instead to
            stop them for a while.
          </p>
        </ConfirmDialog>
      )}
    </section>
  );
}
