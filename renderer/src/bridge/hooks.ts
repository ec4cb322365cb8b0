// React hooks over the bridge: the host connection state, and "live" reads that reload when main
// says their data changed or when the host connection comes back (events may have been missed).
import { createContext, useCallback, useContext, useEffect, useRef, useState, useSyncExternalStore } from 'react';
import type { Channel, EventName, IpcError, ReplyOf, RequestOf } from '../../../common/ipc/index.ts';
import type { DeskBridge } from './index.ts';
import type { HostConnection } from './socket-bridge.ts';

export const BridgeContext = createContext<DeskBridge | null>(null);

export function useBridge(): DeskBridge {
  const bridge = useContext(BridgeContext);
  if (!bridge) throw new Error('useBridge outside BridgeContext');
  return bridge;
}

export function useHostConnection(): HostConnection {
  const bridge = useBridge();
  return useSyncExternalStore(bridge.onConnection, bridge.connection);
}

/** Channels that take no arguments: the ones a screen can simply read. */
type ReadChannel = { [C in Channel]: RequestOf<C> extends Record<string, never> ? C : never }[Channel];

export interface Live<T> {
  value: T | undefined;
  error: IpcError | undefined;
}

/** Reads `channel` now, again whenever `changedBy` fires, and again after the host connection returns. */
export function useLive<C extends ReadChannel>(channel: C, changedBy?: EventName): Live<ReplyOf<C>> & { reload(): void } {
  const bridge = useBridge();
  const [live, setLive] = useState<Live<ReplyOf<C>>>({ value: undefined, error: undefined });
  // Only the latest request may write: an older reply arriving late must not overwrite a newer one.
  const latest = useRef(0);

  const reload = useCallback(() => {
    const ticket = ++latest.current;
    void bridge.invoke(channel, {} as RequestOf<C>).then((result) => {
      if (ticket !== latest.current) return;
      // On failure keep showing the last value next to the error: stale numbers beat a blank card.
      setLive((prev) => (result.ok ? { value: result.value, error: undefined } : { value: prev.value, error: result.error }));
    });
  }, [bridge, channel]);

  useEffect(() => {
    reload();
    const offEvent = changedBy ? bridge.on(changedBy, reload) : undefined;
    const offConnection = bridge.onConnection((state) => { if (state === 'connected') reload(); });
    return () => {
      latest.current++;
      offEvent?.();
      offConnection();
    };
  }, [bridge, changedBy, reload]);

  return { ...live, reload };
}

/** Channels that read one thing by its id. */
type ByIdChannel = { [C in Channel]: RequestOf<C> extends { id: string } ? (keyof RequestOf<C> extends 'id' ? C : never) : never }[Channel];

/**
 * One item opened from a list (a letter's view): read by id through `channel` — again whenever
 * `changedBy` fires (sent from the view itself, the letter's status moves) — and the view's title
 * focused as it opens: a keyboard user lands on it, and Esc goes back to the list at `backHash`.
 */
export function useOpenedItem<C extends ByIdChannel>(channel: C, id: string, backHash: string, changedBy?: EventName) {
  const bridge = useBridge();
  const [opened, setOpened] = useState<Live<ReplyOf<C>>>({ value: undefined, error: undefined });
  const title = useRef<HTMLHeadingElement>(null);

  useEffect(() => {
    title.current?.focus();
    const back = (e: KeyboardEvent) => { if (e.key === 'Escape') window.location.hash = backHash; };
    window.addEventListener('keydown', back);
    return () => window.removeEventListener('keydown', back);
  }, [backHash]);

  useEffect(() => {
    // Only the latest read may write: an older reply arriving late must not overwrite a newer one.
    let latest = 0;
    const read = () => {
      const ticket = ++latest;
      void bridge.invoke(channel, { id } as RequestOf<C>).then((r) => {
        if (ticket !== latest) return;
        // A failed re-read keeps the letter on screen beside the error.
        setOpened((prev) => (r.ok ? { value: r.value, error: undefined } : { value: prev.value, error: r.error }));
      });
    };
    read();
    const off = changedBy ? bridge.on(changedBy, read) : undefined;
    return () => {
      latest++;
      off?.();
    };
  }, [bridge, channel, id, changedBy]);

  return { ...opened, title };
}
