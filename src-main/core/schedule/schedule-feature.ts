import type { ScheduleItem } from '../../../src-shared/contract';
import type { CoreContext, Feature } from '../core-context';
import { createChannels } from './channels';
import { createEditing } from './editing';
import { createEngine } from './engine';
import { createFilling } from './filling';
import { toItem, type ItemRow, ITEM_SELECT } from './item-rows';
import { createScheduleSettings } from './schedule-settings';
import { createTemplates } from './templates-store';
import { createTransfer } from './transfer';
import { createValidation } from './validation';

export type ScheduleMethod =
  | 'channelsList'
  | 'channelCreate'
  | 'channelUpdate'
  | 'channelReorder'
  | 'channelDelete'
  | 'scheduleSettingsGet'
  | 'scheduleSettingsSet'
  | 'scheduleRange'
  | 'scheduleGet'
  | 'scheduleAdd'
  | 'scheduleMove'
  | 'scheduleTrim'
  | 'scheduleDuplicate'
  | 'scheduleDelete'
  | 'scheduleBatch'
  | 'scheduleFillRange'
  | 'scheduleFillGap'
  | 'scheduleCopyDays'
  | 'templatesList'
  | 'templateCreate'
  | 'templateUpdate'
  | 'templateDelete'
  | 'templateApply'
  | 'scheduleValidate'
  | 'scheduleExport'
  | 'scheduleImport';

/** Channels, their schedules and the tools around them. All writes go through the engine. */
export function createScheduleFeature(context: CoreContext): Feature<ScheduleMethod> {
  const { db, bus, clock } = context;
  const now = () => clock.now();
  const timeZone = () => context.settings.get().timeZone;
  const settings = createScheduleSettings(db, bus, now);
  const engine = createEngine({ db, bus, clock, settings });
  const channels = createChannels(db, bus, now);
  const templates = createTemplates(db, bus, now);
  const editing = createEditing(db, engine);
  const filling = createFilling(db, engine, templates, timeZone);
  const transfer = createTransfer(db, engine, engine.reader);
  const validate = createValidation(db, engine.reader, timeZone);

  // The calendar's hot read: one indexed range scan per channel plus the programme running
  // into the range (top-level items never overlap, so there is at most one).
  const rangeRows = db.prepare<[number, number, number], ItemRow>(
    `${ITEM_SELECT} WHERE i.channel_id = ? AND i.starts_at >= ? AND i.starts_at < ? ORDER BY i.starts_at, i.id`,
  );
  const channelVersions = db.prepare<[], { id: number; schedule_version: number }>(
    'SELECT id, schedule_version FROM channels',
  );

  return {
    handlers: {
      channelsList: () => channels.list(),
      channelCreate: (req) => channels.create(req),
      channelUpdate: (req) => channels.update(req),
      channelReorder: (req) => channels.reorder(req),
      channelDelete: (req) => channels.remove(req),
      scheduleSettingsGet: () => settings.get(),
      scheduleSettingsSet: (req) => settings.set(req),
      scheduleRange: (req) => {
        const versions = new Map(channelVersions.all().map((c) => [c.id, c.schedule_version]));
        const ids = req.channelIds ?? [...versions.keys()];
        const items: ScheduleItem[] = [];
        const scheduleVersions: Record<string, number> = {};
        db.transaction(() => {
          for (const channelId of ids) {
            const version = versions.get(channelId);
            if (version === undefined) continue;
            scheduleVersions[String(channelId)] = version;
            const before = engine.reader.runningInto(channelId, req.from);
            if (before) items.push(toItem(before));
            for (const row of rangeRows.all(channelId, req.from, req.to)) items.push(toItem(row));
          }
        })();
        return {
          items,
          scheduleVersions,
          lockHorizonMs: settings.get().lockHorizonMs,
          now: clock.now(),
        };
      },
      scheduleGet: (req) => {
        const items: ScheduleItem[] = [];
        const missing: number[] = [];
        for (const id of req.ids) {
          const row = engine.reader.byId(id);
          if (row) items.push(toItem(row));
          else missing.push(id);
        }
        return { items, missing };
      },
      scheduleAdd: (req) => editing.add(req),
      scheduleMove: (req) => editing.move(req),
      scheduleTrim: (req) => editing.trim(req),
      scheduleDuplicate: (req) => editing.duplicate(req),
      scheduleDelete: (req) => editing.remove(req),
      scheduleBatch: (req) => editing.batch(req.ops),
      scheduleFillRange: (req) => withFill(filling.fillRange(req)),
      scheduleFillGap: (req) => withFill(filling.fillGap(req)),
      scheduleCopyDays: (req) => filling.copyDays(req),
      templatesList: () => templates.list(),
      templateCreate: (req) => templates.create(req),
      templateUpdate: (req) => templates.update(req),
      templateDelete: (req) => templates.remove(req),
      templateApply: (req) => withFill(filling.applyTemplate(req)),
      scheduleValidate: (req) => validate(req),
      scheduleExport: (req) => transfer.exportSchedule(req),
      scheduleImport: (req) => transfer.importSchedule(req),
    },
  };
}

/** Fill answers always say what was filled, even when nothing was. */
function withFill<T extends object>(
  result: T & {
    filled?: { start: number; end: number }[];
    unfilled?: { start: number; end: number }[];
    repeats?: number;
  },
) {
  return {
    ...result,
    filled: result.filled ?? [],
    unfilled: result.unfilled ?? [],
    repeats: result.repeats ?? 0,
  };
}
