import { useQuery, useQueryClient, type QueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import type { ClipDelivery, Note, Response, ReviewJob } from '../../../src-shared/contract';
import type { ApiClient } from '../../app/api/api-client';
import { useApi } from '../../app/api/use-api';

/** Query keys of the review desk, dropped when it closes (its events patch them only while open). */
export const reviewKeys = {
  sources: ['review', 'sources'] as const,
  jobs: ['review', 'jobs'] as const,
  templates: ['review', 'templates'] as const,
  deliveries: ['review', 'deliveries'] as const,
  targets: ['review', 'targets'] as const,
  notes: (sourceIds: readonly number[]) => ['review', 'notes', ...sourceIds] as const,
  coverage: (sourceId: number, fromAt: number, toAt: number) =>
    ['review', 'coverage', sourceId, fromAt, toAt] as const,
};

type SourcesData = Response<'recorderSourcesList'>;
type JobsData = Response<'reviewJobsList'>;
type NotesData = Response<'notesList'>;
type DeliveriesData = { deliveries: ClipDelivery[] };

/** One row per delivery: an event replaces the row it carries. */
export function upsertDelivery(
  deliveries: readonly ClipDelivery[],
  delivery: ClipDelivery,
): ClipDelivery[] {
  return [...deliveries.filter((d) => d.id !== delivery.id), delivery].sort((a, b) => a.id - b.id);
}

/** Newest air time first, one row per note; a deleted note leaves. */
export function patchNotes(notes: readonly Note[], action: string, note: Note): Note[] {
  const rest = notes.filter((n) => n.id !== note.id);
  return action === 'deleted' ? rest : [note, ...rest].sort((a, b) => b.at - a.at);
}

/** Newest first, one row per job: an event replaces the row it carries. */
export function upsertJob(jobs: readonly ReviewJob[], job: ReviewJob): ReviewJob[] {
  return [job, ...jobs.filter((j) => j.id !== job.id)].sort((a, b) => b.createdAt - a.createdAt);
}

function subscribeReviewEvents(api: ApiClient, queryClient: QueryClient): () => void {
  const offs = [
    api.on('recorderSourcesChanged', (data) =>
      queryClient.setQueryData<SourcesData>(reviewKeys.sources, data),
    ),
    api.on('noteTemplatesChanged', (data) => queryClient.setQueryData(reviewKeys.templates, data)),
    api.on('noteChanged', ({ action, note }) => {
      for (const [key, old] of queryClient.getQueriesData<NotesData>({
        queryKey: ['review', 'notes'],
      })) {
        // Each list is of some sources: a note elsewhere joins none of them.
        if (!old || !key.slice(2).includes(note.sourceId)) continue;
        queryClient.setQueryData<NotesData>(key, {
          ...old,
          notes: patchNotes(old.notes, action, note),
        });
      }
    }),
    api.on('clipDeliveryChanged', (delivery) =>
      queryClient.setQueryData<DeliveriesData>(reviewKeys.deliveries, (old) =>
        old ? { deliveries: upsertDelivery(old.deliveries, delivery) } : old,
      ),
    ),
    api.on('clipTargetsChanged', (data) => queryClient.setQueryData(reviewKeys.targets, data)),
    api.on('reviewJobChanged', (job) =>
      queryClient.setQueryData<JobsData>(reviewKeys.jobs, (old) =>
        old ? { jobs: upsertJob(old.jobs, job) } : old,
      ),
    ),
  ];
  return () => offs.forEach((off) => off());
}

export function useReviewEvents() {
  const api = useApi();
  const queryClient = useQueryClient();
  useEffect(() => subscribeReviewEvents(api, queryClient), [api, queryClient]);
}

export function useRecordedSources() {
  const api = useApi();
  return useQuery({
    queryKey: reviewKeys.sources,
    queryFn: () => api.call('recorderSourcesList', {}),
    staleTime: Infinity,
    gcTime: 0,
  });
}

export function useReviewJobs() {
  const api = useApi();
  return useQuery({
    queryKey: reviewKeys.jobs,
    queryFn: () => api.call('reviewJobsList', { limit: 50 }),
    staleTime: Infinity,
    gcTime: 0,
  });
}

/** Spans and gaps of the ruler's window, refreshed while the recording grows. */
export function useCoverage(sourceId: number | null, fromAt: number, toAt: number) {
  const api = useApi();
  return useQuery({
    queryKey: reviewKeys.coverage(sourceId ?? 0, fromAt, toAt),
    queryFn: () => api.call('recordingCoverage', { sourceId: sourceId!, fromAt, toAt }),
    enabled: sourceId !== null && toAt > fromAt,
    refetchInterval: 15_000,
    placeholderData: (previous) => previous,
    gcTime: 0,
  });
}

export function useNoteTemplates() {
  const api = useApi();
  return useQuery({
    queryKey: reviewKeys.templates,
    queryFn: () => api.call('noteTemplatesList', {}),
    staleTime: Infinity,
    gcTime: 0,
  });
}

/** Notes on the desk's sources; `noteChanged` keeps them live. */
export function useDeskNotes(sourceIds: readonly number[]) {
  const api = useApi();
  return useQuery({
    queryKey: reviewKeys.notes(sourceIds),
    queryFn: () => api.call('notesList', { sourceIds: [...sourceIds], limit: 100 }),
    enabled: sourceIds.length > 0,
    staleTime: Infinity,
    gcTime: 0,
  });
}

/** Deliveries of the latest clips (the registry's), kept live by `clipDeliveryChanged`. */
export function useClipDeliveries() {
  const api = useApi();
  return useQuery({
    queryKey: reviewKeys.deliveries,
    queryFn: async (): Promise<DeliveriesData> => {
      const { clips } = await api.call('clipsList', { limit: 50 });
      return { deliveries: clips.flatMap((c) => c.deliveries) };
    },
    staleTime: Infinity,
    gcTime: 0,
  });
}

/** Where clips can be delivered. */
export function useClipTargets() {
  const api = useApi();
  return useQuery({
    queryKey: reviewKeys.targets,
    queryFn: () => api.call('clipTargetsList', {}),
    staleTime: Infinity,
    gcTime: 0,
  });
}
