import type { AuditFilter } from '../../../src-shared/contract';

/** Query keys of the People, Audit and My-account screens. */
export const peopleKeys = {
  list: ['people', 'list'] as const,
  /** Every session list (one per person). */
  allSessions: ['people', 'sessions'] as const,
  sessions: (personId: number) => ['people', 'sessions', personId] as const,
  audits: ['audit'] as const,
  audit: (filter: AuditFilter) => ['audit', filter] as const,
};
