/** Query keys of chat, presence and handover notes; the session's event bridge patches them. */
export const chatKeys = {
  all: ['chat'] as const,
  rooms: ['chat', 'rooms'] as const,
  history: (room: string) => ['chat', 'history', room] as const,
  search: (text: string) => ['chat', 'search', text] as const,
  presence: ['chat', 'presence'] as const,
  people: ['chat', 'people'] as const,
  handover: (channelId: number) => ['chat', 'handover', channelId] as const,
};
