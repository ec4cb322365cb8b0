// Chooses how this renderer reaches main: the Electron preload's window.loket when present,
// otherwise the browser host's WebSocket at /ipc on the same origin (its session cookie goes along).
import type { LoketBridge } from '../../../common/ipc/index.ts';
import { createSocketBridge, type ConnectionAware } from './socket-bridge.ts';

declare global {
  interface Window {
    loket?: LoketBridge;
  }
}

export type DeskBridge = LoketBridge & ConnectionAware;

export function connectBridge(): DeskBridge {
  const preload = window.loket;
  if (preload) {
    // Electron's IPC lives as long as the window: there is no connection to lose.
    return {
      invoke: (channel, payload) => preload.invoke(channel, payload),
      on: (event, listener) => preload.on(event, listener),
      connection: () => 'connected',
      onConnection: () => () => {},
    };
  }
  const url = new URL('/ipc', window.location.href);
  url.protocol = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
  return createSocketBridge({ url: url.href });
}
