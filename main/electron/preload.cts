// The sandboxed preload: the renderer's only door to main. It exposes window.loket with exactly
// invoke(channel, payload) and on(event, listener) → unsubscribe, and nothing of ipcRenderer
// itself (no send, no raw event objects that would carry the sender). CommonJS, because a
// sandboxed preload can require only 'electron'; that is also why the channel names are repeated
// here rather than imported from security.ts (a unit test checks they agree).
import type { ContextBridge, IpcRenderer } from 'electron';
import type { Channel, EventName, LoketBridge } from '../../common/ipc/index.ts';

// eslint-disable-next-line @typescript-eslint/no-require-imports -- sandboxed preloads cannot use import
const { contextBridge, ipcRenderer } = require('electron') as { contextBridge: ContextBridge; ipcRenderer: IpcRenderer };

const IPC_INVOKE = 'loket:invoke';
const IPC_EVENT = 'loket:event';

const bridge: LoketBridge = {
  invoke(channel, payload) {
    return ipcRenderer.invoke(IPC_INVOKE, channel satisfies Channel, payload);
  },
  on(event, listener) {
    if (typeof listener !== 'function') throw new TypeError('listener must be a function');
    const forward = (_ipcEvent: unknown, name: EventName, payload: unknown) => {
      if (name === event) (listener as (payload: unknown) => void)(payload);
    };
    ipcRenderer.on(IPC_EVENT, forward);
    return () => {
      ipcRenderer.removeListener(IPC_EVENT, forward);
    };
  },
};

contextBridge.exposeInMainWorld('loket', bridge);
