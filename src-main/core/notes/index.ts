export { createNotesFeature } from './notes-feature';
export type { NotesApi, NotesFeatureOptions, NotesMethod } from './notes-feature';
