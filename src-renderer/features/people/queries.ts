import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import type { AuditFilter, Person, Request } from '../../../src-shared/contract';
import { useApi } from '../../app/api/use-api';
import type { PeopleData } from './cache';
import { peopleKeys } from './keys';

const AUDIT_PAGE = 100;

/** Everyone with an account; kept current by `peopleChanged`. */
export function usePeople(enabled = true) {
  const api = useApi();
  return useQuery({
    queryKey: peopleKeys.list,
    queryFn: () => api.call('peopleList', {}),
    select: (data) => data.people,
    staleTime: Infinity,
    enabled,
  });
}

/**
 * A person's live sessions. `own` asks without naming anyone, which every person may do;
 * naming someone is for people managers.
 */
export function useSessions(personId: number, own: boolean) {
  const api = useApi();
  return useQuery({
    queryKey: peopleKeys.sessions(personId),
    queryFn: async () =>
      (await api.call('sessionsList', own ? {} : { personId })).sessions.sort(
        (a, b) => b.lastSeenAt - a.lastSeenAt,
      ),
    staleTime: Infinity,
  });
}

export function useRevokeSession() {
  const api = useApi();
  return useMutation({ mutationFn: (id: number) => api.call('sessionRevoke', { id }) });
}

/** Writes a changed person into the list at once; the event brings the same a moment later. */
function usePatchPerson() {
  const queryClient = useQueryClient();
  return (person: Person) =>
    queryClient.setQueryData<PeopleData>(peopleKeys.list, (old) => {
      if (!old) return old;
      const known = old.people.some((p) => p.id === person.id);
      return {
        people: known
          ? old.people.map((p) => (p.id === person.id ? person : p))
          : [...old.people, person],
      };
    });
}

export function useCreatePerson() {
  const api = useApi();
  const patch = usePatchPerson();
  return useMutation({
    mutationFn: (request: Request<'personCreate'>) => api.call('personCreate', request),
    onSuccess: patch,
  });
}

export function useUpdatePerson() {
  const api = useApi();
  const patch = usePatchPerson();
  return useMutation({
    mutationFn: (request: Request<'personUpdate'>) => api.call('personUpdate', request),
    onSuccess: patch,
  });
}

export function useResetPassword() {
  const api = useApi();
  return useMutation({
    mutationFn: (request: Request<'personResetPassword'>) =>
      api.call('personResetPassword', request),
  });
}

export function useDeletePerson() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: number) => api.call('personDelete', { id }),
    onSuccess: ({ id }) =>
      queryClient.setQueryData<PeopleData>(peopleKeys.list, (old) =>
        old ? { people: old.people.filter((p) => p.id !== id) } : old,
      ),
  });
}

/** The log, newest first, a page at a time (`before` is the last id of the page above). */
export function useAuditLog(filter: AuditFilter) {
  const api = useApi();
  return useInfiniteQuery({
    queryKey: peopleKeys.audit(filter),
    queryFn: ({ pageParam }) =>
      api.call('auditList', {
        filter,
        limit: AUDIT_PAGE,
        ...(pageParam === undefined ? {} : { before: pageParam }),
      }),
    initialPageParam: undefined as number | undefined,
    getNextPageParam: (page) => page.nextBefore ?? undefined,
    staleTime: Infinity,
    gcTime: 0,
  });
}
