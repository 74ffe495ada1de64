import { Button, ConfirmDialog, Dialog } from '../../ui';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { Channel } from '../../../src-shared/contract';
import { useApi } from '../../app/api/use-api';
import { scheduleKeys } from '../schedule/keys';
import { useFolderList } from '../schedule/library-queries';
import { useChannels } from '../schedule/queries';
import './channels.css';

type Draft = {
  name: string;
  number: string;
  slug: string;
  group: string;
  logoPath: string;
  enabled: boolean;
  fillerFolderId: string;
  slateAssetId: string;
};

const emptyDraft = (channels: Channel[]): Draft => {
  const number = Math.max(0, ...channels.map((c) => c.number)) + 1;
  return {
    name: '',
    number: String(number),
    slug: '',
    group: '',
    logoPath: '',
    enabled: true,
    fillerFolderId: '',
    slateAssetId: '',
  };
};

const slugify = (name: string) =>
  name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40);

function ChannelForm({
  channel,
  channels,
  onDone,
}: {
  channel: Channel | null;
  channels: Channel[];
  onDone: () => void;
}) {
  const api = useApi();
  const queryClient = useQueryClient();
  const folders = useFolderList().data ?? [];
  const [draft, setDraft] = useState<Draft>(() =>
    channel
      ? {
          name: channel.name,
          number: String(channel.number),
          slug: channel.slug,
          group: channel.group ?? '',
          logoPath: channel.logoPath ?? '',
          enabled: channel.enabled,
          fillerFolderId: channel.fillerFolderId ? String(channel.fillerFolderId) : '',
          slateAssetId: channel.slateAssetId ? String(channel.slateAssetId) : '',
        }
      : emptyDraft(channels),
  );
  const [slugTouched, setSlugTouched] = useState(Boolean(channel));
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async () => {
    const fields = {
      name: draft.name,
      number: Number(draft.number),
      slug: draft.slug,
      group: draft.group.trim() || null,
      logoPath: draft.logoPath.trim() || null,
      enabled: draft.enabled,
      fillerFolderId: draft.fillerFolderId ? Number(draft.fillerFolderId) : null,
      slateAssetId: draft.slateAssetId ? Number(draft.slateAssetId) : null,
    };
    setBusy(true);
    setError(null);
    try {
      if (channel)
        await api.call('channelUpdate', { id: channel.id, version: channel.version, set: fields });
      else await api.call('channelCreate', fields);
      queryClient.setQueryData(scheduleKeys.channels, await api.call('channelsList', {}));
      onDone();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  const field = (key: keyof Draft, label: string, extra: Record<string, string> = {}) => (
    <label className="field">
      <span className="field__label">{label}</span>
      <input
        name={key}
        value={String(draft[key])}
        onChange={(e) => {
          const value = e.target.value;
          setDraft((d) => ({
            ...d,
            [key]: value,
            ...(key === 'name' && !slugTouched ? { slug: slugify(value) } : {}),
          }));
          if (key === 'slug') setSlugTouched(true);
        }}
        {...extra}
      />
    </label>
  );

  return (
    <form
      className="ch-form"
      data-testid="channel-form"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <h3 className="eyebrow">{channel ? `Edit ${channel.name}` : 'New channel'}</h3>
      {error && (
        <p className="form-error" data-testid="channel-form-error">
          {error}
        </p>
      )}
      <div className="ch-form__grid">
        {field('name', 'Name')}
        {field('number', 'Number', { inputMode: 'numeric' })}
        {field('slug', 'Slug')}
        {field('group', 'Group')}
        {field('logoPath', 'Logo path')}
        <label className="field">
          <span className="field__label">Filler folder</span>
          <select
            name="fillerFolderId"
            value={draft.fillerFolderId}
            onChange={(e) => setDraft({ ...draft, fillerFolderId: e.target.value })}
          >
            <option value="">None</option>
            {folders.map((f) => (
              <option key={f.id} value={f.id}>
                {f.parentId === null ? 'Library' : f.name}
              </option>
            ))}
          </select>
        </label>
        {field('slateAssetId', 'Slate asset id', { inputMode: 'numeric' })}
        <label className="sch-check">
          <input
            type="checkbox"
            name="enabled"
            checked={draft.enabled}
            onChange={(e) => setDraft({ ...draft, enabled: e.target.checked })}
          />
          Enabled
        </label>
      </div>
      <div className="ch-form__buttons">
        <button type="button" className="button" onClick={onDone}>
          Cancel
        </button>
        <button type="submit" className="button button--primary" disabled={busy}>
          {channel ? 'Save' : 'Create'}
        </button>
      </div>
    </form>
  );
}

/** Channels: number, name, slug, group; create, edit, reorder, enable/disable, delete. */
export function ChannelsPanel({ onClose }: { onClose: () => void }) {
  const api = useApi();
  const queryClient = useQueryClient();
  const channels = useChannels().data ?? [];
  const [editing, setEditing] = useState<Channel | 'new' | null>(channels.length ? null : 'new');
  const [error, setError] = useState<string | null>(null);
  const [deleting, setDeleting] = useState<Channel | null>(null);

  const attempt = async (work: () => Promise<unknown>) => {
    setError(null);
    try {
      await work();
    } catch (e) {
      setError(e instanceof Error ? e.message : String(e));
    }
    queryClient.setQueryData(scheduleKeys.channels, await api.call('channelsList', {}));
  };

  const move = (index: number, by: number) => {
    const order = [...channels];
    const [picked] = order.splice(index, 1);
    if (!picked) return;
    order.splice(Math.max(0, Math.min(order.length, index + by)), 0, picked);
    void attempt(() =>
      api.call('channelReorder', {
        channels: order.map((c) => ({ id: c.id, version: c.version })),
      }),
    );
  };

  return (
    <Dialog
      title="Channels"
      testId="channels-panel"
      size="wide"
      className="ch-panel"
      onClose={onClose}
      actions={<Button onClick={() => setEditing('new')}>New channel</Button>}
    >
      {error && <p className="form-error">{error}</p>}
      {editing && (
        <ChannelForm
          key={editing === 'new' ? 'new' : editing.id}
          channel={editing === 'new' ? null : editing}
          channels={channels}
          onDone={() => setEditing(null)}
        />
      )}
      <table className="ui-table ch-table" aria-label="Channels">
        <thead>
          <tr>
            <th>#</th>
            <th>Name</th>
            <th>Slug</th>
            <th>Group</th>
            <th>On</th>
            <th aria-label="Actions" />
          </tr>
        </thead>
        <tbody>
          {channels.map((channel, index) => (
            <tr
              key={channel.id}
              data-testid={`channel-row-${channel.id}`}
              className={channel.enabled ? undefined : 'is-disabled'}
            >
              <td className="mono">{channel.number}</td>
              <td>{channel.name}</td>
              <td className="mono">{channel.slug}</td>
              <td>{channel.group ?? '—'}</td>
              <td>
                <input
                  type="checkbox"
                  aria-label={`${channel.name} enabled`}
                  checked={channel.enabled}
                  onChange={(e) =>
                    void attempt(() =>
                      api.call('channelUpdate', {
                        id: channel.id,
                        version: channel.version,
                        set: { enabled: e.target.checked },
                      }),
                    )
                  }
                />
              </td>
              <td className="ch-table__actions">
                <button
                  type="button"
                  className="button sch-small"
                  aria-label="Move up"
                  disabled={index === 0}
                  onClick={() => move(index, -1)}
                >
                  ↑
                </button>
                <button
                  type="button"
                  className="button sch-small"
                  aria-label="Move down"
                  disabled={index === channels.length - 1}
                  onClick={() => move(index, 1)}
                >
                  ↓
                </button>
                <button
                  type="button"
                  className="button sch-small"
                  onClick={() => setEditing(channel)}
                >
                  Edit
                </button>
                <button
                  type="button"
                  className="button button--danger sch-small"
                  disabled={channel.enabled}
                  title={channel.enabled ? 'Disable the channel first' : 'Delete with its schedule'}
                  onClick={() => setDeleting(channel)}
                >
                  Delete
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {deleting && (
        <ConfirmDialog
          title={`Delete ${deleting.name}?`}
          confirmLabel="Delete channel"
          tone="danger"
          testId="channel-delete-dialog"
          onClose={() => setDeleting(null)}
          onConfirm={() => {
            const channel = deleting;
            setDeleting(null);
            void attempt(() =>
              api.call('channelDelete', { id: channel.id, version: channel.version }),
            );
          }}
        >
          <p>The channel and its whole schedule are deleted. This cannot be undone.</p>
        </ConfirmDialog>
      )}
    </Dialog>
  );
}
