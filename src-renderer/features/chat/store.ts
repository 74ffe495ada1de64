import { create } from 'zustand';
import { STATION_ROOM } from '../../../src-shared/contract';

type ChatUi = {
  /** The room the chat screen shows. */
  room: string;
  /** True while the chat screen is on screen: messages in its room are read as they come. */
  viewing: boolean;
  /** What the search box holds ('' = no search). */
  search: string;
};

export const useChatUi = create<ChatUi>()(() => ({
  room: STATION_ROOM,
  viewing: false,
  search: '',
}));

export const openRoom = (room: string) => useChatUi.setState({ room, search: '' });
export const setChatViewing = (viewing: boolean) => useChatUi.setState({ viewing });
export const setChatSearch = (search: string) => useChatUi.setState({ search });
