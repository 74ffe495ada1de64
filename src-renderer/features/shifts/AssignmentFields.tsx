import type { Channel, RecordedSource } from '../../../src-shared/contract';
import { CheckField } from '../../ui';

type Props = {
  channels: readonly Channel[];
  sources: readonly RecordedSource[];
  channelIds: readonly number[];
  sourceIds: readonly number[];
  onChange(next: { channelIds: number[]; sourceIds: number[] }): void;
};

const toggle = (ids: readonly number[], id: number, on: boolean) =>
  on ? [...new Set([...ids, id])] : ids.filter((x) => x !== id);

/** Which channels a person watches and which recorded sources they review during a shift. */
export function AssignmentFields({ channels, sources, channelIds, sourceIds, onChange }: Props) {
  return (
    <div className="shf-assign" data-testid="shift-assignment">
      <fieldset className="shf-assign__group">
        <legend>Channels</legend>
        {channels.length === 0 && <p className="muted">No channels.</p>}
        {channels.map((c) => (
          <CheckField
            key={c.id}
            label={c.name}
            checked={channelIds.includes(c.id)}
            onChange={(e) =>
              onChange({
                channelIds: toggle(channelIds, c.id, e.target.checked),
                sourceIds: [...sourceIds],
              })
            }
          />
        ))}
      </fieldset>
      <fieldset className="shf-assign__group">
        <legend>Recorded sources</legend>
        {sources.length === 0 && <p className="muted">No recorded sources.</p>}
        {sources.map((s) => (
          <CheckField
            key={s.id}
            label={s.name}
            data-testid={`assign-source-${s.id}`}
            checked={sourceIds.includes(s.id)}
            onChange={(e) =>
              onChange({
                channelIds: [...channelIds],
                sourceIds: toggle(sourceIds, s.id, e.target.checked),
              })
            }
          />
        ))}
      </fieldset>
    </div>
  );
}
