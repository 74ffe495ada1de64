import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { useApi } from '../../app/api/use-api';
import { useConnectionStore } from '../connection/store';
import { appendMessage, type HandoverData, type HistoryData, type RoomsData } from './cache';
import { chatKeys } from './keys';

/** Rooms with unread counts; kept current by chatMessage and chatReadChanged. */
export function useChatRooms() {
  const api = useApi();
  return useQuery({
    queryKey: chatKeys.rooms,
    queryFn: () => api.call('chatRooms', {}),
    staleTime: Infinity,
  });
}

/** The newest page of a room; chatMessage appends, "older" prepends. */
export function useChatHistory(room: string) {
  const api = useApi();
  return useQuery({
    queryKey: chatKeys.history(room),
    queryFn: () => api.call('chatHistory', { room, limit: 50 }),
    staleTime: Infinity,
  });
}

export function useLoadOlder(room: string) {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (before: number) => api.call('chatHistory', { room, before, limit: 50 }),
    onSuccess: (page) =>
      queryClient.setQueryData<HistoryData>(chatKeys.history(room), (old) =>
        old
          ? {
              messages: [
                ...page.messages.filter((m) => !old.messages.some((o) => o.id === m.id)),
                ...old.messages,
              ],
              nextBefore: page.nextBefore,
            }
          : page,
      ),
  });
}

export function useChatSearch(text: string) {
  const api = useApi();
  return useQuery({
    queryKey: chatKeys.search(text),
    queryFn: () => api.call('chatSearch', { text, limit: 50 }),
    enabled: text.trim().length > 0,
  });
}

export function useSendMessage() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { room: string; body: string }) => api.call('chatSend', input),
    onSuccess: (message) =>
      queryClient.setQueryData<HistoryData>(chatKeys.history(message.room), (old) =>
        old ? appendMessage(old, message) : old,
      ),
  });
}

export function useMarkRead() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { room: string; lastReadId: number }) => api.call('chatMarkRead', input),
    onSuccess: (summary) =>
      queryClient.setQueryData<RoomsData>(chatKeys.rooms, (old) =>
        old ? { rooms: old.rooms.map((r) => (r.room === summary.room ? summary : r)) } : old,
      ),
  });
}

export function usePresence() {
  const api = useApi();
  return useQuery({
    queryKey: chatKeys.presence,
    queryFn: () => api.call('presenceList', {}),
    staleTime: Infinity,
  });
}

/** Everyone with an account, to name DM rooms and start one. */
export function useChatPeople() {
  const api = useApi();
  return useQuery({
    queryKey: chatKeys.people,
    queryFn: () => api.call('peopleList', {}),
    staleTime: 60_000,
  });
}

export function useHandover(channelId: number | null) {
  const api = useApi();
  return useQuery({
    queryKey: chatKeys.handover(channelId ?? 0),
    queryFn: () => api.call('handoverGet', { channelId: channelId ?? 0 }),
    enabled: channelId !== null,
    staleTime: Infinity,
  });
}

export function useSetHandover() {
  const api = useApi();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (input: { channelId: number; text: string }) => api.call('handoverSet', input),
    onSuccess: (note) =>
      queryClient.setQueryData<HandoverData>(chatKeys.handover(note.channelId), (old) =>
        old && old.current?.id !== note.id
          ? { current: note, history: old.current ? [old.current, ...old.history] : old.history }
          : (old ?? { current: note, history: [] }),
      ),
  });
}

/**
 * Tells the core which screen this window shows: on every screen change and again when the
 * connection (re)opens (a new socket is a new window to the core). Never on a timer.
 */
export function usePresenceReport(screen: string): void {
  const api = useConnectionStore((s) => s.api);
  const open = useConnectionStore((s) => s.state.kind === 'open');
  useEffect(() => {
    if (!api || !open) return;
    void api.call('presenceReport', { screen }).catch(() => {});
  }, [api, open, screen]);
}
