// The renderer's side of the browser host's IPC socket: speaks the host's wire format (JSON text
// frames) and offers the same LoketBridge the Electron preload does, so screens never know which
// shell they run in. Plain TypeScript without DOM types, so it is tested in Node against a real socket.
//
// Wire format:
//   renderer → host: { kind: 'invoke', id, channel, payload }
//   host → renderer: { kind: 'reply', id, result } | { kind: 'event', event, payload }
import { z } from 'zod';
import { IpcErrorSchema, errorTexts, events } from '../../../common/ipc/index.ts';
import type { Channel, EventName, EventOf, InvokeResult, IpcError, LoketBridge, RequestOf } from '../../../common/ipc/index.ts';

/** connecting: an attempt is under way (calls wait for it); disconnected: waiting to retry (calls fail at once). */
export type HostConnection = 'connecting' | 'connected' | 'disconnected';

export interface ConnectionAware {
  connection(): HostConnection;
  onConnection(listener: (state: HostConnection) => void): () => void;
}

export interface SocketBridge extends LoketBridge, ConnectionAware {
  /** Stops reconnecting and closes the socket; calls still waiting end as HOST_UNREACHABLE. */
  close(): void;
}

export interface SocketBridgeOptions {
  url: string;
  /** Waits between reconnection attempts; the last one repeats. Reset once a connection opens. */
  retryDelaysMs?: readonly number[];
}

/** What a call waiting on a lost connection ends with: the contract's own text for the code. */
export const hostUnreachable: IpcError = { code: 'HOST_UNREACHABLE', message: errorTexts.HOST_UNREACHABLE.id };

const defaultRetryDelaysMs = [250, 500, 1_000, 2_000, 5_000] as const;

const ReplyFrameSchema = z.object({
  kind: z.literal('reply'),
  id: z.number().int(),
  result: z.discriminatedUnion('ok', [
    z.object({ ok: z.literal(true), value: z.unknown() }),
    z.object({ ok: z.literal(false), error: IpcErrorSchema }),
  ]),
});
const EventFrameSchema = z.object({ kind: z.literal('event'), event: z.string(), payload: z.unknown() });

type Resolve = (result: InvokeResult<Channel>) => void;

function isEventName(name: string): name is EventName {
  return Object.hasOwn(events, name);
}

export function createSocketBridge(options: SocketBridgeOptions): SocketBridge {
  const retryDelays = options.retryDelaysMs ?? defaultRetryDelaysMs;
  let socket: WebSocket | undefined;
  let state: HostConnection = 'connecting';
  let failedAttempts = 0;
  let retryTimer: ReturnType<typeof setTimeout> | undefined;
  let closed = false;
  let nextId = 1;
  // Sent and awaiting a reply.
  const inFlight = new Map<number, Resolve>();
  // Made while a connection attempt was under way; sent when it opens.
  let waiting: { frame: string; id: number; resolve: Resolve }[] = [];
  const eventListeners = new Map<EventName, Set<(payload: unknown) => void>>();
  const connectionListeners = new Set<(state: HostConnection) => void>();

  function setState(next: HostConnection) {
    if (next === state) return;
    state = next;
    for (const listener of [...connectionListeners]) listener(next);
  }

  function failAll() {
    const resolvers = [...inFlight.values(), ...waiting.map((w) => w.resolve)];
    inFlight.clear();
    waiting = [];
    for (const resolve of resolvers) resolve({ ok: false, error: hostUnreachable });
  }

  function receive(data: string) {
    let frame: unknown;
    try {
      frame = JSON.parse(data);
    } catch {
      console.warn('bridge: ignored a frame that is not JSON');
      return;
    }
    const reply = ReplyFrameSchema.safeParse(frame);
    if (reply.success) {
      const resolve = inFlight.get(reply.data.id);
      inFlight.delete(reply.data.id);
      resolve?.(reply.data.result as InvokeResult<Channel>);
      return;
    }
    const event = EventFrameSchema.safeParse(frame);
    if (event.success && isEventName(event.data.event)) {
      const name = event.data.event;
      const payload = events[name].safeParse(event.data.payload);
      if (!payload.success) {
        console.warn('bridge: ignored an event whose payload does not match the contract', name);
        return;
      }
      for (const listener of [...(eventListeners.get(name) ?? [])]) listener(payload.data);
      return;
    }
    console.warn('bridge: ignored an unexpected frame');
  }

  function connect() {
    retryTimer = undefined;
    setState('connecting');
    const ws = new WebSocket(options.url);
    socket = ws;
    ws.onopen = () => {
      failedAttempts = 0;
      setState('connected');
      const queued = waiting;
      waiting = [];
      for (const { frame, id, resolve } of queued) {
        inFlight.set(id, resolve);
        ws.send(frame);
      }
    };
    ws.onmessage = (event) => {
      if (typeof event.data === 'string') receive(event.data);
    };
    // A failed attempt fires 'error' then 'close'; both paths end here.
    ws.onclose = () => {
      if (socket !== ws) return;
      socket = undefined;
      // A call already sent may or may not have been carried out; it is not resent (it may not be
      // idempotent). The screen shows the error and reloads what it shows once the host is back.
      failAll();
      if (closed) return;
      setState('disconnected');
      const delay = retryDelays[Math.min(failedAttempts, retryDelays.length - 1)] ?? 1_000;
      failedAttempts += 1;
      retryTimer = setTimeout(connect, delay);
    };
  }

  connect();

  return {
    invoke<C extends Channel>(channel: C, payload: RequestOf<C>): Promise<InvokeResult<C>> {
      if (closed || state === 'disconnected') return Promise.resolve({ ok: false, error: hostUnreachable });
      const id = nextId++;
      const frame = JSON.stringify({ kind: 'invoke', id, channel, payload });
      return new Promise<InvokeResult<C>>((resolve) => {
        const settle = resolve as Resolve;
        if (state === 'connected' && socket) {
          inFlight.set(id, settle);
          socket.send(frame);
        } else {
          waiting.push({ frame, id, resolve: settle });
        }
      });
    },
    on<E extends EventName>(event: E, listener: (payload: EventOf<E>) => void): () => void {
      let set = eventListeners.get(event);
      if (!set) eventListeners.set(event, (set = new Set()));
      const wrapped = listener as (payload: unknown) => void;
      set.add(wrapped);
      return () => { set.delete(wrapped); };
    },
    connection: () => state,
    onConnection(listener) {
      connectionListeners.add(listener);
      return () => { connectionListeners.delete(listener); };
    },
    close() {
      closed = true;
      if (retryTimer !== undefined) clearTimeout(retryTimer);
      const ws = socket;
      socket = undefined;
      ws?.close();
      failAll();
      setState('disconnected');
    },
  };
}
