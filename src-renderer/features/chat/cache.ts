import type { QueryClient } from '@tanstack/react-query';
import type {
  ChatMessage,
  ChatRoomSummary,
  HandoverNote,
  Response,
} from '../../../src-shared/contract';
import type { ApiClient } from '../../app/api/api-client';
import { toast } from '../../ui';
import { useAuthStore } from '../auth/store';
import { chatKeys } from './keys';
import { useChatUi } from './store';

export type RoomsData = Response<'chatRooms'>;
export type HistoryData = Response<'chatHistory'>;
export type HandoverData = Response<'handoverGet'>;

function withSummary(old: RoomsData, summary: ChatRoomSummary): RoomsData {
  const known = old.rooms.some((r) => r.room === summary.room);
  return {
    rooms: known
      ? old.rooms.map((r) => (r.room === summary.room ? summary : r))
      : [...old.rooms, summary],
  };
}

/** A new message in the room list: the badge counts it unless the person is reading that room. */
export function countMessage(old: RoomsData, message: ChatMessage, me: number, reading: boolean) {
  const current = old.rooms.find((r) => r.room === message.room) ?? {
    room: message.room,
    unread: 0,
    mentions: 0,
    lastMessageAt: null,
  };
  const counts = message.authorId !== me && !reading;
  return withSummary(old, {
    ...current,
    unread: current.unread + (counts ? 1 : 0),
    mentions: current.mentions + (counts && message.mentions.includes(me) ? 1 : 0),
    lastMessageAt: message.at,
  });
}

export function appendMessage(old: HistoryData, message: ChatMessage): HistoryData {
  if (old.messages.some((m) => m.id === message.id)) return old;
  return { ...old, messages: [...old.messages, message] };
}

/**
 * Chat events patch the caches they carry, for every screen (badges and mention toasts show
 * wherever the person is); the history of a room is patched only once it was read.
 */
export function subscribeChatEvents(api: ApiClient, queryClient: QueryClient): () => void {
  const offs = [
    api.on('presenceChanged', (data) => queryClient.setQueryData(chatKeys.presence, data)),
    api.on('chatMessage', (message) => {
      const me = useAuthStore.getState().person?.id ?? 0;
      const ui = useChatUi.getState();
      const reading =
        ui.viewing && ui.room === message.room && document.visibilityState === 'visible';
      queryClient.setQueryData<HistoryData>(chatKeys.history(message.room), (old) =>
        old ? appendMessage(old, message) : old,
      );
      queryClient.setQueryData<RoomsData>(chatKeys.rooms, (old) =>
        old ? countMessage(old, message, me, reading) : old,
      );
      if (message.authorId !== me && message.mentions.includes(me) && !reading)
        toast(`${message.authorName} mentioned you: ${message.body.slice(0, 120)}`, 'info', {
          testId: 'chat-mention-toast',
        });
    }),
    api.on('chatReadChanged', ({ summary }) =>
      queryClient.setQueryData<RoomsData>(chatKeys.rooms, (old) =>
        old ? withSummary(old, summary) : old,
      ),
    ),
    api.on('handoverChanged', (note: HandoverNote) =>
      queryClient.setQueryData<HandoverData>(chatKeys.handover(note.channelId), (old) => {
        // This window's own save may have put it there already.
        if (old?.current?.id === note.id) return old;
        return old
          ? { current: note, history: old.current ? [old.current, ...old.history] : old.history }
          : { current: note, history: [] };
      }),
    ),
  ];
  return () => offs.forEach((off) => off());
}
