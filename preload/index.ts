/**
 * The Electron preload: exposes `window.custodian` through contextBridge. Sandboxed, so it is bundled into one file
 * and requires nothing but 'electron' at run time. The Electron event object never reaches the renderer.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { EVENT_CHANNELS, EVENT_PREFIX, REQUEST_CHANNELS } from './channels';
import { buildCustodianApi } from './bridge';

const api = buildCustodianApi(
  REQUEST_CHANNELS,
  EVENT_CHANNELS,
  (channel, request) => ipcRenderer.invoke(channel, request),
  (event, listener) => {
    const wrapped = (_event: unknown, payload: unknown) => listener(payload);
    ipcRenderer.on(EVENT_PREFIX + event, wrapped);
    return () => ipcRenderer.removeListener(EVENT_PREFIX + event, wrapped);
  },
);

contextBridge.exposeInMainWorld('custodian', api);
