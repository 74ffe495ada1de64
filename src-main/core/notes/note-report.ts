// Notes as reports take them (the shifts feature's NotesSource): template values with their
// labels, screenshots as the files of finished jobs, clips as links.
import type { NoteFieldValue, NoteTemplate } from '../../../src-shared/contract';
import type { ReportNote } from '../reports/report-data';
import type { NotesSource } from '../shifts/shifts-feature';
import type { RecorderApi } from '../recorder';
import type { NotesStore } from './notes-store';

const shown = (value: NoteFieldValue): string => {
  if (value === null) return '';
  if (Array.isArray(value)) return value.join(', ');
  if (typeof value === 'boolean') return value ? 'Yes' : 'No';
  return String(value);
};

export function noteReportSource(
  store: NotesStore,
  recorder: Pick<RecorderApi, 'job' | 'jobFile'>,
  linkBase: () => string | null,
): NotesSource {
  return ({ from, to, personIds, sourceIds }) => {
    const templates = new Map<number, NoteTemplate | undefined>();
    const templateOf = (id: number) => {
      if (!templates.has(id)) templates.set(id, store.template(id));
      return templates.get(id);
    };
    const base = linkBase();
    return store
      .forReport({ sourceIds, fromAt: from, toAt: to }, personIds)
      .map((note): ReportNote => {
        const template = note.templateId === null ? undefined : templateOf(note.templateId);
        const labelled = new Map(template?.fields.map((f) => [f.key, f.label]) ?? []);
        const fields = Object.entries(note.fields).map(([key, value]) => ({
          label: labelled.get(key) ?? key,
          value: shown(value),
        }));
        const screenshots: string[] = [];
        const clips: { label: string; url: string }[] = [];
        for (const jobId of note.jobIds) {
          const job = recorder.job(jobId);
          if (!job || job.state !== 'done') continue;
          if (job.kind === 'screenshot') {
            const file = recorder.jobFile(jobId);
            if (file) screenshots.push(file);
          } else {
            const path = `/review/jobs/${jobId}/file`;
            clips.push({
              label: `Clip ${jobId} (${Math.round((job.toAt - job.fromAt) / 100) / 10} s)`,
              url: base ? `${base}${path}` : path,
            });
          }
        }
        return {
          at: note.at,
          personId: note.authorId ?? 0,
          personName: note.authorName,
          sourceId: note.sourceId,
          kind: note.kind,
          template: template?.name ?? null,
          fields,
          text: note.text,
          screenshots,
          clips,
        };
      });
  };
}
