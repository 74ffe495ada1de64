import type { Note, NoteTemplate, RecordedSource } from '../../../src-shared/contract';
import { EmptyState } from '../../ui';

function summary(note: Note, template: NoteTemplate | undefined): string {
  const parts = (template?.fields ?? [])
    .map((f) => {
      const value = note.fields[f.key];
      if (value === undefined || value === null || value === '') return null;
      const shown = Array.isArray(value) ? value.join(', ') : String(value);
      return `${f.label}: ${shown}`;
    })
    .filter(Boolean);
  return parts.join(' · ');
}

/** Notes on the desk's sources, newest air time first, live as anyone writes them. */
export function NotesPanel({
  notes,
  templates,
  sources,
  formatTime,
  onOpen,
}: {
  notes: readonly Note[];
  templates: readonly NoteTemplate[];
  sources: readonly RecordedSource[];
  formatTime(at: number): string;
  onOpen(note: Note): void;
}) {
  return (
    <section className="review-notes" aria-labelledby="review-notes-title">
      <h2 id="review-notes-title" className="review__side-title">
        Notes
      </h2>
      {notes.length === 0 ? (
        <EmptyState title="No notes on these sources">
          Press N for a note, M for a marker.
        </EmptyState>
      ) : (
        <ul className="review-notes__list" data-testid="review-notes">
          {notes.map((note) => {
            const template = templates.find((t) => t.id === note.templateId);
            const source = sources.find((s) => s.id === note.sourceId);
            return (
              <li key={note.id} data-testid="review-note" data-kind={note.kind}>
                <button type="button" className="review-notes__item" onClick={() => onOpen(note)}>
                  <span className="review-notes__head">
                    <b>{formatTime(note.at)}</b> {source?.name ?? `source ${note.sourceId}`} ·{' '}
                    {note.kind === 'marker' ? 'Marker' : (template?.name ?? 'Note')}
                  </span>
                  {summary(note, template) && (
                    <span className="review-notes__fields">{summary(note, template)}</span>
                  )}
                  {note.text && <span className="review-notes__text">{note.text}</span>}
                  <span className="review-notes__meta">
                    {note.authorName}
                    {note.jobIds.length > 0 ? ` · ${note.jobIds.length} attached` : ''}
                  </span>
                </button>
              </li>
            );
          })}
        </ul>
      )}
    </section>
  );
}
