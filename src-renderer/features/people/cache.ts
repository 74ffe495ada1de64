import type { InfiniteData, QueryClient } from '@tanstack/react-query';
import type { AuditFilter, Response } from '../../../src-shared/contract';
import type { ApiClient } from '../../app/api/api-client';
import { peopleKeys } from './keys';
import { prependAuditEntry, type AuditPage } from './model';

export type PeopleData = Response<'peopleList'>;
export type AuditData = InfiniteData<AuditPage, number | undefined>;

/**
 * The people events patch what is cached: the people list arrives whole, a session change
 * re-reads only that person's sessions and the list (the event says whose, not what), and a new audit entry
 * goes on top of every open log view it matches.
 */
export function subscribePeopleEvents(api: ApiClient, queryClient: QueryClient): () => void {
  const offs = [
    api.on('peopleChanged', ({ people }) =>
      queryClient.setQueryData<PeopleData>(peopleKeys.list, { people }),
    ),
    api.on('sessionsChanged', ({ personId }) => {
      void queryClient.invalidateQueries({ queryKey: peopleKeys.sessions(personId) });
      // A sign-in moves the person's "last sign-in", which no people event carries: re-read the
      // list, but only where it is on screen (inactive lists just go stale).
      void queryClient.invalidateQueries({ queryKey: peopleKeys.list, refetchType: 'active' });
    }),
    api.on('auditAppended', (entry) => {
      for (const query of queryClient.getQueryCache().findAll({ queryKey: peopleKeys.audits })) {
        const filter = query.queryKey[1] as AuditFilter;
        queryClient.setQueryData<AuditData>(query.queryKey, (old) => {
          if (!old) return old;
          const pages = prependAuditEntry(old.pages, filter, entry);
          return pages ? { ...old, pages } : old;
        });
      }
    }),
  ];
  return () => offs.forEach((off) => off());
}
