import type { Migration } from '../migration';
import { migration0001 } from './0001-settings';

/** Append only. An applied migration is never edited: write the next number instead. */
export const migrations: readonly Migration[] = [migration0001];
