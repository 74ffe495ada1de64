import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import {
  dmRoom,
  parseRoom,
  STATION_ROOM,
  type ChatMessage,
  type ChatRoomSummary,
} from '../../../src-shared/contract';
import { useScreens } from '../../app/routing/screens';
import { Button, EmptyState, toast, useShortcuts } from '../../ui';
import { useAuthStore } from '../auth/store';
import { useChannels } from '../schedule/queries';
import { useSettings } from '../settings/queries';
import { roomLabel, timeOf } from './format';
import { HandoverNote } from './HandoverNote';
import {
  useChatHistory,
  useChatPeople,
  useChatRooms,
  useChatSearch,
  useLoadOlder,
  useMarkRead,
  usePresence,
  useSendMessage,
} from './queries';
import { openRoom, setChatSearch, setChatViewing, useChatUi } from './store';
import './chat.css';

/**
 * Station chat: rooms (the station, one per channel, direct messages) with unread badges, the
 * open room's messages, a compose box, search and who is on duty now. Keyboard first: Enter
 * sends, Shift+Enter is a new line, Alt+↑/↓ moves between rooms, "/" goes to search.
 */
export function ChatScreen() {
  const me = useAuthStore((s) => s.person?.id ?? 0);
  const room = useChatUi((s) => s.room);
  const search = useChatUi((s) => s.search);
  const roomsData = useChatRooms().data;
  const channelsData = useChannels().data;
  const rooms = useMemo(() => roomsData?.rooms ?? [], [roomsData]);
  const channels = useMemo(() => channelsData ?? [], [channelsData]);
  const people = useChatPeople().data?.people ?? [];
  const label = (r: string) => roomLabel(r, me, channels, people);

  useEffect(() => {
    setChatViewing(true);
    return () => setChatViewing(false);
  }, []);

  // The open room must still be one of mine (a channel may have gone).
  const roomIds = rooms.map((r) => r.room);
  const current = roomIds.includes(room) || parseRoom(room)?.kind === 'dm' ? room : STATION_ROOM;
  const ordered = useMemo(
    () =>
      orderRooms(
        rooms,
        channels.map((c) => c.id),
      ),
    [rooms, channels],
  );

  const searchRef = useRef<HTMLInputElement>(null);
  useShortcuts('chat', [
    {
      keys: 'Alt+ArrowDown',
      label: 'Next room',
      inFields: true,
      run: () => stepRoom(ordered, current, 1),
    },
    {
      keys: 'Alt+ArrowUp',
      label: 'Previous room',
      inFields: true,
      run: () => stepRoom(ordered, current, -1),
    },
    { keys: '/', label: 'Search messages', run: () => searchRef.current?.focus() },
  ]);

  const parsed = parseRoom(current);
  return (
    <div className="chat-screen" data-testid="chat-screen">
      <aside className="chat-side">
        <form className="chat-search" role="search" onSubmit={(e) => e.preventDefault()}>
          <label htmlFor="chat-search" className="visually-hidden">
            Search messages
          </label>
          <input
            id="chat-search"
            ref={searchRef}
            type="search"
            placeholder="Search messages"
            value={search}
            onChange={(e) => setChatSearch(e.target.value)}
            data-testid="chat-search"
          />
        </form>
        <nav aria-label="Chat rooms">
          <h2 className="eyebrow">Rooms</h2>
          <ul className="chat-rooms">
            {ordered.map((summary) => (
              <li key={summary.room}>
                <RoomButton
                  summary={summary}
                  label={label(summary.room)}
                  active={summary.room === current}
                />
              </li>
            ))}
          </ul>
        </nav>
        <OnDuty me={me} />
      </aside>
      <section className="chat-room" aria-label={`Room ${label(current)}`}>
        <header className="chat-room__head">
          <h2>{label(current)}</h2>
        </header>
        {parsed?.kind === 'channel' && <HandoverNote channelId={parsed.channelId} />}
        {search.trim() ? (
          <SearchResults text={search} label={label} />
        ) : (
          <MessageList key={current} room={current} me={me} />
        )}
        <Compose key={`compose-${current}`} room={current} label={label(current)} />
      </section>
    </div>
  );
}

function orderRooms(rooms: ChatRoomSummary[], channelOrder: number[]): ChatRoomSummary[] {
  const rank = (r: ChatRoomSummary) => {
    const parsed = parseRoom(r.room);
    if (!parsed || parsed.kind === 'station') return -1;
    if (parsed.kind === 'channel') {
      const index = channelOrder.indexOf(parsed.channelId);
      return index === -1 ? 10_000 : index;
    }
    return 20_000;
  };
  return [...rooms].sort((a, b) => rank(a) - rank(b) || a.room.localeCompare(b.room));
}

function stepRoom(rooms: ChatRoomSummary[], current: string, by: number) {
  if (rooms.length === 0) return;
  const index = rooms.findIndex((r) => r.room === current);
  const next = rooms[(index + by + rooms.length) % rooms.length];
  if (next) openRoom(next.room);
}

function RoomButton({
  summary,
  label,
  active,
}: {
  summary: ChatRoomSummary;
  label: string;
  active: boolean;
}) {
  const badge =
    summary.unread > 0
      ? `${summary.unread} unread${summary.mentions > 0 ? `, ${summary.mentions} mentioning you` : ''}`
      : '';
  return (
    <button
      type="button"
      className="chat-rooms__room"
      aria-current={active ? 'true' : undefined}
      onClick={() => openRoom(summary.room)}
      data-testid={`chat-room-${summary.room}`}
    >
      <span className="chat-rooms__name">
        {parseRoom(summary.room)?.kind === 'dm' ? `@ ${label}` : `# ${label}`}
      </span>
      {summary.unread > 0 && (
        <span
          className={summary.mentions > 0 ? 'chat-badge chat-badge--mention' : 'chat-badge'}
          aria-label={badge}
          data-testid="chat-unread"
        >
          {summary.mentions > 0 ? `@${summary.unread}` : summary.unread}
        </span>
      )}
    </button>
  );
}

function OnDuty({ me }: { me: number }) {
  const presence = usePresence().data?.people ?? [];
  const screens = useScreens();
  const screenName = (id: string) => screens.find((s) => s.id === id)?.label ?? id;
  return (
    <section className="chat-duty" aria-label="On duty now" data-testid="chat-presence">
      <h2 className="eyebrow">On duty now</h2>
      {presence.length === 0 ? (
        <p className="muted">Nobody else is signed in.</p>
      ) : (
        <ul>
          {presence.map((p) => (
            <li key={p.personId} data-testid={`presence-${p.username}`}>
              <span className="chat-duty__name">
                {p.displayName}
                {p.personId === me ? ' (you)' : ''}
              </span>
              <span className="chat-duty__screens muted">
                {p.screens.map(screenName).join(', ')}
              </span>
              {p.personId !== me && (
                <Button
                  size="sm"
                  variant="ghost"
                  onClick={() => openRoom(dmRoom(me, p.personId))}
                  aria-label={`Message ${p.displayName}`}
                >
                  Message
                </Button>
              )}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function MessageRow({
  message,
  me,
  timeZone,
}: {
  message: ChatMessage;
  me: number;
  timeZone: string;
}) {
  const mentionsMe = message.mentions.includes(me);
  return (
    <article
      className={mentionsMe ? 'chat-msg chat-msg--mention' : 'chat-msg'}
      data-testid="chat-message"
      aria-label={`${message.authorName} at ${timeOf(message.at, timeZone)}`}
    >
      <header className="chat-msg__head">
        <span className="chat-msg__author">{message.authorName}</span>
        <time className="muted" dateTime={new Date(message.at).toISOString()}>
          {timeOf(message.at, timeZone)}
        </time>
      </header>
      <p className="chat-msg__body">{message.body}</p>
    </article>
  );
}

function MessageList({ room, me }: { room: string; me: number }) {
  const history = useChatHistory(room);
  const older = useLoadOlder(room);
  const markRead = useMarkRead();
  const unread = useChatRooms().data?.rooms.find((r) => r.room === room)?.unread ?? 0;
  const timeZone = useSettings().data?.timeZone ?? 'UTC';
  const messages = history.data?.messages ?? [];
  const nextBefore = history.data?.nextBefore ?? null;
  const scrollRef = useRef<HTMLDivElement>(null);
  const stick = useRef(true);
  // Long rooms are virtualised: only the rows on screen are in the page.
  // eslint-disable-next-line react-hooks/incompatible-library -- the virtualizer is read during render by design
  const virtual = useVirtualizer({
    count: messages.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => 64,
    overscan: 8,
    getItemKey: (index) => messages[index]?.id ?? index,
  });

  const lastId = messages.at(-1)?.id ?? 0;
  // Opening a room, or a message arriving while it is open, reads it.
  useEffect(() => {
    if (lastId > 0 && unread > 0 && document.visibilityState === 'visible')
      markRead.mutate({ room, lastReadId: lastId });
    // markRead is stable enough; re-running on its identity would loop.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [room, lastId, unread]);

  // Follow new messages while the reader is at the bottom.
  useLayoutEffect(() => {
    if (stick.current && messages.length > 0)
      virtual.scrollToIndex(messages.length - 1, { align: 'end' });
  }, [messages.length, virtual]);

  if (history.isLoading) return <div className="chat-list muted">Loading messages…</div>;
  if (history.error) return <div className="chat-list form-error">{history.error.message}</div>;
  return (
    <div
      ref={scrollRef}
      className="chat-list"
      role="log"
      aria-live="polite"
      aria-label="Messages"
      tabIndex={0}
      data-testid="chat-messages"
      onScroll={(e) => {
        const el = e.currentTarget;
        stick.current = el.scrollHeight - el.scrollTop - el.clientHeight < 40;
      }}
    >
      {nextBefore !== null && (
        <div className="chat-list__older">
          <Button size="sm" onClick={() => older.mutate(nextBefore)} disabled={older.isPending}>
            Load older messages
          </Button>
        </div>
      )}
      {messages.length === 0 ? (
        <EmptyState title="No messages yet">
          Say hello; everyone who can read this room sees it at once.
        </EmptyState>
      ) : (
        <div style={{ height: virtual.getTotalSize(), position: 'relative' }}>
          {virtual.getVirtualItems().map((item) => {
            const message = messages[item.index];
            if (!message) return null;
            return (
              <div
                key={item.key}
                ref={virtual.measureElement}
                data-index={item.index}
                style={{
                  position: 'absolute',
                  top: 0,
                  left: 0,
                  right: 0,
                  transform: `translateY(${item.start}px)`,
                }}
              >
                <MessageRow message={message} me={me} timeZone={timeZone} />
              </div>
            );
          })}
        </div>
      )}
    </div>
  );
}

function SearchResults({ text, label }: { text: string; label: (room: string) => string }) {
  const results = useChatSearch(text.trim());
  const timeZone = useSettings().data?.timeZone ?? 'UTC';
  const messages = results.data?.messages ?? [];
  return (
    <div className="chat-list" role="region" aria-label="Search results" data-testid="chat-results">
      {results.isLoading ? (
        <p className="muted">Searching…</p>
      ) : messages.length === 0 ? (
        <EmptyState title="Nothing found">No message in your rooms has those words.</EmptyState>
      ) : (
        <ul className="chat-results">
          {messages.map((m) => (
            <li key={m.id}>
              <button type="button" className="chat-results__hit" onClick={() => openRoom(m.room)}>
                <span className="muted">
                  {label(m.room)} · {m.authorName} · {timeOf(m.at, timeZone)}
                </span>
                <span>{m.body}</span>
              </button>
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function Compose({ room, label }: { room: string; label: string }) {
  const [body, setBody] = useState('');
  const send = useSendMessage();
  const submit = () => {
    const text = body.trim();
    if (!text || send.isPending) return;
    send.mutate(
      { room, body: text },
      {
        onSuccess: () => setBody(''),
        onError: (error) => toast(error.message, 'error'),
      },
    );
  };
  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    // Enter sends; Shift+Enter is a new line; an IME composing text keeps its Enter.
    if (event.key === 'Enter' && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      submit();
    }
  };
  return (
    <form
      className="chat-compose"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <label htmlFor="chat-compose" className="visually-hidden">
        Message {label}
      </label>
      <textarea
        id="chat-compose"
        rows={2}
        maxLength={4000}
        placeholder={`Message ${label} — Enter sends, Shift+Enter for a new line, @name to mention`}
        value={body}
        onChange={(e) => setBody(e.target.value)}
        onKeyDown={onKeyDown}
        data-testid="chat-compose"
      />
      <Button
        type="submit"
        variant="primary"
        disabled={!body.trim() || send.isPending}
        data-testid="chat-send"
      >
        Send
      </Button>
    </form>
  );
}
