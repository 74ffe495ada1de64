export { createChatFeature } from './chat-feature';
export type { ChatMethod } from './chat-feature';
export type { Presence } from './presence';
