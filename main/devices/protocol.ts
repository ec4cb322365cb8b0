// The typed message protocol between main (DeviceWorkerHost) and the device worker process, and
// the shape of a service that runs inside the worker. Messages travel by structured clone (fork
// with serialization 'advanced', or Electron's utilityProcess), so Uint8Array page data and
// signatures cross as bytes, not JSON; a Buffer arrives on the other side as a plain Uint8Array.
import type { IpcError } from '../../common/ipc/index.ts';
import type { Logger } from '../../common/logger.ts';
import type { DiagnosticsEvents, DiagnosticsRequests } from './diagnostics.ts';
import type { ScannerEvents, ScannerRequests } from './scanner/service.ts';
import type { TokenEvents, TokenRequests } from './token/service.ts';

/** One request method: what the caller sends and what the worker answers. */
export interface RequestSpec {
  request: unknown;
  reply: unknown;
}

/** Every method the worker serves. A driver adds its map here: `DiagnosticsRequests & ScannerRequests`. */
export type DeviceRequests = DiagnosticsRequests & TokenRequests & ScannerRequests;
/** Every event the worker pushes (scan progress, page data, token insertion…). Drivers add theirs the same way. */
export type DeviceEvents = DiagnosticsEvents & TokenEvents & ScannerEvents;

export type DeviceMethod = keyof DeviceRequests & string;
export type DeviceParams<M extends DeviceMethod> = DeviceRequests[M]['request'];
export type DeviceReply<M extends DeviceMethod> = DeviceRequests[M]['reply'];
export type DeviceEventName = keyof DeviceEvents & string;
export type DeviceEvent = { [E in DeviceEventName]: { name: E; payload: DeviceEvents[E] } }[DeviceEventName];

// Main → worker.
export interface RequestMessage {
  kind: 'request';
  id: number;
  method: string;
  params: unknown;
}
/** The caller stopped waiting (per-request timeout): the handler's signal is aborted and no reply is sent. */
export interface CancelMessage {
  kind: 'cancel';
  id: number;
}
export interface PingMessage {
  kind: 'ping';
  seq: number;
}
/** Close the drivers (sane_exit, C_Finalize) and exit; main kills the worker if this does not finish in time. */
export interface ShutdownMessage {
  kind: 'shutdown';
}
export type HostMessage = RequestMessage | CancelMessage | PingMessage | ShutdownMessage;

// Worker → main.
export interface ReadyMessage {
  kind: 'ready';
  pid: number;
}
export type ReplyMessage = { kind: 'reply'; id: number; ok: true; value: unknown } | { kind: 'reply'; id: number; ok: false; error: IpcError };
export interface EventMessage {
  kind: 'event';
  name: string;
  payload: unknown;
}
export interface PongMessage {
  kind: 'pong';
  seq: number;
}
export type WorkerMessage = ReadyMessage | ReplyMessage | EventMessage | PongMessage;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

const isId = (value: unknown): value is number => typeof value === 'number' && Number.isSafeInteger(value);

/** The host trusts the worker's code but not its state after a driver misbehaves: check the envelope. */
export function parseWorkerMessage(value: unknown): WorkerMessage | undefined {
  if (!isRecord(value)) return undefined;
  switch (value.kind) {
    case 'ready':
      return isId(value.pid) ? { kind: 'ready', pid: value.pid } : undefined;
    case 'pong':
      return isId(value.seq) ? { kind: 'pong', seq: value.seq } : undefined;
    case 'event':
      return typeof value.name === 'string' ? { kind: 'event', name: value.name, payload: value.payload } : undefined;
    case 'reply':
      if (!isId(value.id)) return undefined;
      if (value.ok === true) return { kind: 'reply', id: value.id, ok: true, value: value.value };
      if (value.ok === false && isRecord(value.error) && typeof value.error.code === 'string' && typeof value.error.message === 'string') {
        return { kind: 'reply', id: value.id, ok: false, error: value.error as IpcError };
      }
      return undefined;
    default:
      return undefined;
  }
}

export function parseHostMessage(value: unknown): HostMessage | undefined {
  if (!isRecord(value)) return undefined;
  switch (value.kind) {
    case 'request':
      return isId(value.id) && typeof value.method === 'string' ? { kind: 'request', id: value.id, method: value.method, params: value.params } : undefined;
    case 'cancel':
      return isId(value.id) ? { kind: 'cancel', id: value.id } : undefined;
    case 'ping':
      return isId(value.seq) ? { kind: 'ping', seq: value.seq } : undefined;
    case 'shutdown':
      return { kind: 'shutdown' };
    default:
      return undefined;
  }
}

/** What a handler gets besides its params. */
export interface RequestContext {
  /** Aborted when the caller gave up waiting; a long operation should stop and release the device. */
  readonly signal: AbortSignal;
  readonly log: Logger;
  emit<E extends DeviceEventName>(name: E, payload: DeviceEvents[E]): void;
}

export type RequestHandlers<R extends { [M in keyof R]: RequestSpec }> = {
  [M in keyof R]: (params: R[M]['request'], ctx: RequestContext) => R[M]['reply'] | Promise<R[M]['reply']>;
};

/** A driver inside the worker: its request handlers, and how to release its device on shutdown. */
export interface DeviceService {
  readonly name: string;
  readonly handlers: Readonly<Record<string, (params: never, ctx: RequestContext) => unknown>>;
  close?(): void | Promise<void>;
}

/** Type-checks a service's handlers against its request map, then erases the map for the worker's registry. */
export function defineService<R extends { [M in keyof R]: RequestSpec }>(
  name: string,
  handlers: RequestHandlers<R>,
  close?: () => void | Promise<void>,
): DeviceService {
  return close === undefined ? { name, handlers } : { name, handlers, close };
}

