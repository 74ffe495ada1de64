import type { Channel, RecordedSource } from '../../../src-shared/contract';
import { CheckList } from '../../ui';

type Props = {
  channels: readonly Channel[];
  sources: readonly RecordedSource[];
  channelIds: readonly number[];
  sourceIds: readonly number[];
  onChange(next: { channelIds: number[]; sourceIds: number[] }): void;
};

/** Which channels a person watches and which recorded sources they review during a shift. */
export function AssignmentFields({ channels, sources, channelIds, sourceIds, onChange }: Props) {
  return (
    <div className="shf-assign" data-testid="shift-assignment">
      <CheckList
        className="shf-assign__group"
        legend="Channels"
        emptyText="No channels."
        options={channels.map((c) => ({ value: c.id, label: c.name }))}
        chosen={channelIds}
        onChange={(next) => onChange({ channelIds: next, sourceIds: [...sourceIds] })}
      />
      <CheckList
        className="shf-assign__group"
        legend="Recorded sources"
        emptyText="No recorded sources."
        options={sources.map((s) => ({
          value: s.id,
          label: s.name,
          testId: `assign-source-${s.id}`,
        }))}
        chosen={sourceIds}
        onChange={(next) => onChange({ channelIds: [...channelIds], sourceIds: next })}
      />
    </div>
  );
}
