// In-process bus for the events main pushes to the renderer (contract.ts `events`). Both shells
// subscribe once and forward; a listener that throws cannot stop the others from hearing the event.
import type { EventName, EventOf } from '../../common/ipc/index.ts';
import type { Logger } from '../../common/logger.ts';

export type EventListener = (name: EventName, payload: unknown) => void;

export interface EventBus {
  emit<E extends EventName>(name: E, payload: EventOf<E>): void;
  subscribe(listener: EventListener): () => void;
}

export function createEventBus(log: Logger): EventBus {
  const listeners = new Set<EventListener>();
  return {
    emit(name, payload) {
      for (const listener of [...listeners]) {
        try {
          listener(name, payload);
        } catch (err) {
          log.error('event listener failed', { event: name, err });
        }
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
