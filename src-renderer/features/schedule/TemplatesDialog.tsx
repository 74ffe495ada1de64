import { useState } from 'react';
import type { Channel, Template } from '../../../src-shared/contract';
import { useApi } from '../../app/api/use-api';
import type { ScheduleActions } from './actions';
import { useFolderList } from './library-queries';
import { Dialog } from '../../ui';
import { errorText } from './model';
import { useTemplates } from './queries';
import { closeDialog, toast } from './store';
import { stationDate } from './time';

type Block = {
  weekdays: number[];
  start: string;
  end: string;
  folderId: number;
  recursive: boolean;
  order: 'ordered' | 'shuffled';
  noRepeatWithinMs: number;
  title: string | null;
};
const DAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
const newBlock = (): Block => ({
  weekdays: [1, 2, 3, 4, 5],
  start: '06:00',
  end: '09:00',
  folderId: 1,
  recursive: true,
  order: 'ordered',
  noRepeatWithinMs: 0,
  title: null,
});

/** Weekday time blocks filled from folders, applied to a channel over a date range. */
export function TemplatesDialog({
  channels,
  channelId,
  date,
  actions,
}: {
  channels: Channel[];
  channelId: number | null;
  date: number;
  actions: ScheduleActions;
}) {
  const api = useApi();
  const templates = useTemplates().data ?? [];
  const folders = useFolderList().data ?? [];
  const [editing, setEditing] = useState<{
    id: number | null;
    version: number;
    name: string;
    blocks: Block[];
  } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [apply, setApply] = useState({
    templateId: 0,
    channelId: channelId ?? channels[0]?.id ?? 0,
    fromDate: stationDate(date),
    toDate: stationDate(date),
    seed: '1',
  });

  const edit = (template: Template | null) => {
    setError(null);
    setEditing(
      template
        ? {
            id: template.id,
            version: template.version,
            name: template.name,
            blocks: template.blocks.map((b) => ({ ...b, title: b.title ?? null })),
          }
        : { id: null, version: 1, name: 'New template', blocks: [newBlock()] },
    );
  };

  const save = async () => {
    if (!editing) return;
    try {
      if (editing.id === null) {
        await api.call('templateCreate', { name: editing.name, blocks: editing.blocks });
      } else {
        await api.call('templateUpdate', {
          id: editing.id,
          version: editing.version,
          set: { name: editing.name, blocks: editing.blocks },
        });
      }
      setEditing(null);
      setError(null);
    } catch (e) {
      setError(errorText(e));
    }
  };

  const remove = async (template: Template) => {
    try {
      await api.call('templateDelete', { id: template.id, version: template.version });
    } catch (e) {
      setError(errorText(e));
    }
  };

  const run = async () => {
    const templateId = apply.templateId || templates[0]?.id;
    if (!templateId) return setError('Create a template first.');
    const result = await actions.run('Apply template', () =>
      api.call('templateApply', {
        templateId,
        channelId: apply.channelId,
        fromDate: apply.fromDate,
        toDate: apply.toDate,
        seed: Math.max(0, Math.floor(Number(apply.seed)) || 0),
      }),
    );
    if (result) toast(`Template applied: ${result.changed.length} item(s) added`, 'ok');
  };

  const setBlock = (index: number, patch: Partial<Block>) =>
    setEditing((e) =>
      e ? { ...e, blocks: e.blocks.map((b, i) => (i === index ? { ...b, ...patch } : b)) } : e,
    );

  return (
    <Dialog title="Templates" testId="templates-dialog" onClose={closeDialog} size="wide">
      {error && <p className="form-error">{error}</p>}
      {!editing && (
        <>
          <ul className="sch-list">
            {templates.map((template) => (
              <li key={template.id}>
                <span>
                  {template.name} <span className="muted">({template.blocks.length} blocks)</span>
                </span>
                <span>
                  <button type="button" className="button sch-small" onClick={() => edit(template)}>
                    Edit
                  </button>
                  <button
                    type="button"
                    className="button sch-small"
                    onClick={() => void remove(template)}
                  >
                    Delete
                  </button>
                </span>
              </li>
            ))}
            {templates.length === 0 && <li className="muted">No templates yet.</li>}
          </ul>
          <button type="button" className="button" onClick={() => edit(null)}>
            New template
          </button>
          <h3 className="eyebrow">Apply</h3>
          <div className="sch-row">
            <select
              aria-label="Template"
              value={apply.templateId || templates[0]?.id || 0}
              onChange={(e) => setApply({ ...apply, templateId: Number(e.target.value) })}
            >
              {templates.map((t) => (
                <option key={t.id} value={t.id}>
                  {t.name}
                </option>
              ))}
            </select>
            <select
              aria-label="Channel"
              value={apply.channelId}
              onChange={(e) => setApply({ ...apply, channelId: Number(e.target.value) })}
            >
              {channels.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.number} · {c.name}
                </option>
              ))}
            </select>
            <input
              type="date"
              aria-label="From date"
              value={apply.fromDate}
              onChange={(e) => setApply({ ...apply, fromDate: e.target.value })}
            />
            <input
              type="date"
              aria-label="To date"
              value={apply.toDate}
              onChange={(e) => setApply({ ...apply, toDate: e.target.value })}
            />
            <input
              aria-label="Seed"
              value={apply.seed}
              onChange={(e) => setApply({ ...apply, seed: e.target.value })}
            />
            <button type="button" className="button button--primary" onClick={() => void run()}>
              Apply
            </button>
          </div>
        </>
      )}
      {editing && (
        <div className="sch-template">
          <label className="field">
            <span className="field__label">Name</span>
            <input
              value={editing.name}
              onChange={(e) => setEditing({ ...editing, name: e.target.value })}
            />
          </label>
          {editing.blocks.map((block, index) => (
            <fieldset key={index} className="sch-block">
              <div className="sch-row">
                {DAYS.map((day, i) => (
                  <label key={day} className="sch-check">
                    <input
                      type="checkbox"
                      checked={block.weekdays.includes(i + 1)}
                      onChange={(e) =>
                        setBlock(index, {
                          weekdays: e.target.checked
                            ? [...block.weekdays, i + 1].sort()
                            : block.weekdays.filter((d) => d !== i + 1),
                        })
                      }
                    />
                    {day}
                  </label>
                ))}
              </div>
              <div className="sch-row">
                <input
                  aria-label="Start"
                  value={block.start}
                  onChange={(e) => setBlock(index, { start: e.target.value })}
                />
                <input
                  aria-label="End"
                  value={block.end}
                  onChange={(e) => setBlock(index, { end: e.target.value })}
                />
                <select
                  aria-label="Folder"
                  value={block.folderId}
                  onChange={(e) => setBlock(index, { folderId: Number(e.target.value) })}
                >
                  {folders.map((f) => (
                    <option key={f.id} value={f.id}>
                      {f.parentId === null ? 'Library' : f.name}
                    </option>
                  ))}
                </select>
                <select
                  aria-label="Order"
                  value={block.order}
                  onChange={(e) =>
                    setBlock(index, { order: e.target.value as 'ordered' | 'shuffled' })
                  }
                >
                  <option value="ordered">In order</option>
                  <option value="shuffled">Shuffled</option>
                </select>
                <input
                  aria-label="No repeat within (min)"
                  value={String(block.noRepeatWithinMs / 60_000)}
                  onChange={(e) =>
                    setBlock(index, {
                      noRepeatWithinMs: Math.max(
                        0,
                        Math.round(Number(e.target.value) * 60_000) || 0,
                      ),
                    })
                  }
                />
                <button
                  type="button"
                  className="button sch-small"
                  onClick={() =>
                    setEditing({ ...editing, blocks: editing.blocks.filter((_, i) => i !== index) })
                  }
                >
                  Remove
                </button>
              </div>
            </fieldset>
          ))}
          <div className="sch-row">
            <button
              type="button"
              className="button"
              onClick={() => setEditing({ ...editing, blocks: [...editing.blocks, newBlock()] })}
            >
              Add block
            </button>
            <button type="button" className="button" onClick={() => setEditing(null)}>
              Back
            </button>
            <button type="button" className="button button--primary" onClick={() => void save()}>
              Save template
            </button>
          </div>
        </div>
      )}
    </Dialog>
  );
}
