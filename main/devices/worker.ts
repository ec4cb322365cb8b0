// The device worker process: hosts the native drivers (SANE scanner, PKCS#11 token) outside main,
// so a driver that crashes or hangs takes down only this process, which main's DeviceWorkerHost
// then restarts. It dispatches requests to the registered services, answers heartbeats, pushes the
// services' events, and turns every failure into an IpcError (AppError codes pass through as-is).
import { createLogger } from '../../common/logger.ts';
import { AppError, fromSystemError } from '../../common/errors.ts';
import type { IpcError } from '../../common/ipc/index.ts';
import { diagnosticsService } from './diagnostics.ts';
import { scanDrivers } from './scanner/drivers.ts';
import { scannerService } from './scanner/service.ts';
import { tokenService } from './token/service.ts';
import { parseHostMessage, type DeviceService, type RequestContext, type RequestMessage, type WorkerMessage } from './protocol.ts';

const log = createLogger({ base: { part: 'device-worker', pid: process.pid } });
/** Requests being handled, by id, so a cancel can abort one and diagnostics can count them. */
const inFlight = new Map<number, AbortController>();

// The drivers this worker hosts: one line each.
const services: DeviceService[] = [
  diagnosticsService({ faults: process.env.LOKET_DEVICE_FAULTS === '1', inFlight: () => inFlight.size }),
  tokenService(),
  scannerService(scanDrivers(process.env, (message, fields) => log.info(message, fields)), { faults: process.env.LOKET_DEVICE_FAULTS === '1' }),
];

type Handler = (params: never, ctx: RequestContext) => unknown;
const handlers = new Map<string, Handler>();
for (const service of services) {
  for (const [method, handler] of Object.entries(service.handlers)) {
    if (handlers.has(method)) throw new Error(`device method ${method} is registered by two services`);
    handlers.set(method, handler);
  }
}

interface Port {
  send(message: WorkerMessage): void;
  onMessage(listener: (message: unknown) => void): void;
}

/** Electron's utilityProcess exposes process.parentPort; child_process.fork gives process.send. */
function connectToMain(): Port {
  const electronPort = (process as { parentPort?: { postMessage(message: unknown): void; on(event: 'message', listener: (e: { data: unknown }) => void): void } }).parentPort;
  if (electronPort) {
    return { send: (m) => electronPort.postMessage(m), onMessage: (listener) => electronPort.on('message', (e) => listener(e.data)) };
  }
  const send = process.send?.bind(process);
  if (send === undefined) throw new Error('the device worker must be started by main (child_process.fork or utilityProcess)');
  // Without main there is nobody to serve, and a driver left open would keep the device locked.
  process.on('disconnect', () => process.exit(0));
  return {
    send: (m) => {
      send(m, undefined, undefined, (err: Error | null) => {
        if (err) log.warn('device worker: message to main not delivered', { kind: m.kind, err });
      });
    },
    onMessage: (listener) => process.on('message', listener),
  };
}

function toIpcError(err: unknown, method: string): IpcError {
  const known = err instanceof AppError ? err : fromSystemError(err);
  if (known) {
    if (known.code === 'INTERNAL' || known.code === 'STORAGE_FAILED') log.error('device request failed', { method, err });
    return known.toIpc();
  }
  log.error('device request threw', { method, err });
  return new AppError('INTERNAL').toIpc();
}

const port = connectToMain();

async function handle(request: RequestMessage): Promise<void> {
  const controller = new AbortController();
  inFlight.set(request.id, controller);
  const ctx: RequestContext = {
    signal: controller.signal,
    log: log.child({ method: request.method, requestId: request.id }),
    emit: (name, payload) => port.send({ kind: 'event', name, payload }),
  };
  let reply: WorkerMessage;
  try {
    const handler = handlers.get(request.method);
    if (handler === undefined) throw new AppError('UNKNOWN_CHANNEL', undefined, { method: request.method });
    reply = { kind: 'reply', id: request.id, ok: true, value: await handler(request.params as never, ctx) };
  } catch (err) {
    // The caller gave up (timeout): the handler stopped as asked, nobody waits for its reply.
    if (controller.signal.aborted) return;
    reply = { kind: 'reply', id: request.id, ok: false, error: toIpcError(err, request.method) };
  } finally {
    inFlight.delete(request.id);
  }
  if (controller.signal.aborted) return;
  try {
    port.send(reply);
  } catch (err) {
    // A value structured clone cannot carry (a function, a class with native state) is a handler bug.
    port.send({ kind: 'reply', id: request.id, ok: false, error: toIpcError(err, request.method) });
  }
}

let shuttingDown = false;
async function shutdown(): Promise<void> {
  if (shuttingDown) return;
  shuttingDown = true;
  for (const controller of inFlight.values()) controller.abort();
  for (const service of services) {
    try {
      await service.close?.();
    } catch (err) {
      log.error('device service did not close cleanly', { service: service.name, err });
    }
  }
  process.exit(0);
}

process.on('uncaughtException', (err) => {
  log.error('device worker: uncaught exception', { err });
  process.exit(70);
});
process.on('unhandledRejection', (err) => {
  log.error('device worker: unhandled rejection', { err });
  process.exit(70);
});

port.onMessage((raw) => {
  const message = parseHostMessage(raw);
  if (message === undefined) {
    log.warn('device worker: malformed message from main ignored');
    return;
  }
  switch (message.kind) {
    case 'ping':
      port.send({ kind: 'pong', seq: message.seq });
      break;
    case 'request':
      void handle(message);
      break;
    case 'cancel':
      inFlight.get(message.id)?.abort();
      inFlight.delete(message.id);
      break;
    case 'shutdown':
      void shutdown();
      break;
  }
});

port.send({ kind: 'ready', pid: process.pid });
