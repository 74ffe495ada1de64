// Sandboxed preload: puts the contract's generated functions on `window.airdeck` and nothing
// else. `ipcRenderer` itself never reaches the page.
import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import { EVENT_CHANNEL, type AirdeckBridge } from '../../src-shared/contract';
import { createBridge } from './bridge-factory';

const bridge: AirdeckBridge = createBridge(
  (channel, payload) => ipcRenderer.invoke(channel, payload),
  (listener) => {
    const handler = (_event: IpcRendererEvent, message: unknown) => listener(message);
    ipcRenderer.on(EVENT_CHANNEL, handler);
    return () => {
      ipcRenderer.removeListener(EVENT_CHANNEL, handler);
    };
  },
  (file) => webUtils.getPathForFile(file),
);

contextBridge.exposeInMainWorld('airdeck', bridge);
