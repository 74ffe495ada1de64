import type { Database } from 'better-sqlite3';
import { z } from 'zod';
import {
  TemplateBlockSchema,
  type ParsedRequest,
  type Template,
} from '../../../src-shared/contract';
import { AppError } from '../errors';
import type { EventBus } from '../events/event-bus';

type TemplateRow = {
  id: number;
  name: string;
  blocks_json: string;
  version: number;
  updated_at: number;
};
const Blocks = z.array(TemplateBlockSchema);

/** Weekly time-block templates, versioned like everything else an operator edits. */
export function createTemplates(db: Database, bus: EventBus, now: () => number) {
  const all = db.prepare<[], TemplateRow>(
    'SELECT * FROM schedule_templates ORDER BY name COLLATE NOCASE, id',
  );
  const byId = db.prepare<[number], TemplateRow>('SELECT * FROM schedule_templates WHERE id = ?');
  const insert = db.prepare<[string, string, number, number]>(
    'INSERT INTO schedule_templates (name, blocks_json, created_at, updated_at) VALUES (?, ?, ?, ?)',
  );
  const update = db.prepare<[string, string, number, number]>(
    'UPDATE schedule_templates SET name = ?, blocks_json = ?, version = version + 1, updated_at = ? WHERE id = ?',
  );
  const remove = db.prepare<[number]>('DELETE FROM schedule_templates WHERE id = ?');
  const folderExists = db.prepare<[number], { id: number }>('SELECT id FROM folders WHERE id = ?');

  const toTemplate = (r: TemplateRow): Template => ({
    id: r.id,
    name: r.name,
    // Stored by this service after contract validation; parse again so a hand edit cannot crash it.
    blocks: Blocks.catch([]).parse(JSON.parse(r.blocks_json)),
    version: r.version,
    updatedAt: r.updated_at,
  });
  const list = () => all.all().map(toTemplate);
  const announce = () => bus.emit('templatesChanged', { templates: list() });
  const checkFolders = (blocks: Template['blocks']) => {
    for (const b of blocks) {
      if (!folderExists.get(b.folderId))
        throw new AppError('invalid_request', `Folder ${b.folderId} does not exist.`);
    }
  };
  const load = (id: number, version?: number): TemplateRow => {
    const row = byId.get(id);
    if (!row) throw new AppError('not_found', `Template ${id} does not exist.`);
    if (version !== undefined && row.version !== version) {
      throw new AppError(
        'conflict',
        `Template “${row.name}” was changed by someone else (now version ${row.version}, you had ${version}). Reload and try again.`,
      );
    }
    return row;
  };

  return {
    list,
    get: (id: number) => toTemplate(load(id)),
    create(req: ParsedRequest<'templateCreate'>): Template {
      checkFolders(req.blocks);
      const at = now();
      const id = Number(insert.run(req.name, JSON.stringify(req.blocks), at, at).lastInsertRowid);
      announce();
      return toTemplate(load(id));
    },
    update(req: ParsedRequest<'templateUpdate'>): Template {
      db.transaction(() => {
        const current = toTemplate(load(req.id, req.version));
        const blocks = req.set.blocks ?? current.blocks;
        checkFolders(blocks);
        update.run(req.set.name ?? current.name, JSON.stringify(blocks), now(), req.id);
      })();
      announce();
      return toTemplate(load(req.id));
    },
    remove(req: ParsedRequest<'templateDelete'>): { deleted: number } {
      load(req.id, req.version);
      remove.run(req.id);
      announce();
      return { deleted: req.id };
    },
  };
}
export type Templates = ReturnType<typeof createTemplates>;
