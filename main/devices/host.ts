// Main's side of the device worker: starts the worker process, sends it typed requests, relays its
// events, and supervises it. A heartbeat watchdog kills a worker whose event loop stopped (a native
// driver call that never returns); a crashed or killed worker is restarted with backoff, and after
// too many crashes in a short window it stays stopped and says so. A caller never hangs: requests
// of a dead worker are rejected at once with DEVICE_WORKER_CRASHED. Plain Node: the Electron shell
// passes its own utilityProcess spawner implementing WorkerProcess.
import { fork, type ChildProcess, type Serializable } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { DeviceWorkerStatus } from '../../common/ipc/devices.ts';
import { IpcErrorSchema, type IpcError } from '../../common/ipc/index.ts';
import { AppError } from '../../common/errors.ts';
import type { Logger } from '../../common/logger.ts';
import { parseWorkerMessage, type DeviceEvent, type DeviceMethod, type DeviceParams, type DeviceReply, type HostMessage } from './protocol.ts';

/** A started worker process, as both child_process.fork and Electron's utilityProcess can provide it. */
export interface WorkerProcess {
  readonly pid: number | undefined;
  /** Structured clone; throws when the message cannot be cloned. */
  send(message: unknown): void;
  onMessage(listener: (message: unknown) => void): void;
  /** Called once, also when the process could not be spawned at all. */
  onExit(listener: (code: number | null, signal: string | null) => void): void;
  /** Ends the process at once (SIGKILL): it is used on workers that stopped answering. Harmless once exited. */
  kill(): void;
}

export type WorkerSpawner = (entryPath: string, env: NodeJS.ProcessEnv) => WorkerProcess;

/** The worker entry next to this module: worker.ts when running from sources, worker.js in dist/. */
export function workerEntryPath(): string {
  const fromSources = import.meta.url.endsWith('.ts');
  return fileURLToPath(new URL(fromSources ? './worker.ts' : './worker.js', import.meta.url));
}

export const forkSpawner: WorkerSpawner = (entryPath, env) =>
  asWorkerProcess(fork(entryPath, [], {
    env,
    serialization: 'advanced',
    // Not the parent's flags (a test runner's loaders, an inspector port). Sources need type
    // stripping, which Node only turns on by itself from 22.18.
    execArgv: entryPath.endsWith('.ts') ? ['--experimental-strip-types'] : [],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  }));

/** A worker started with an IPC channel (structured clone), as the host drives it; exit reported once. */
export function asWorkerProcess(child: ChildProcess): WorkerProcess {
  const exitListeners: ((code: number | null, signal: string | null) => void)[] = [];
  let exited = false;
  const reportExit = (code: number | null, signal: string | null) => {
    if (exited) return;
    exited = true;
    for (const listener of exitListeners) listener(code, signal);
  };
  child.on('exit', reportExit);
  // A process that could not be spawned may never emit 'exit'.
  child.on('error', () => {
    if (child.pid === undefined) reportExit(null, null);
  });
  return {
    get pid() {
      return child.pid;
    },
    send(message) {
      // A send to a worker that just died fails here; its 'exit' follows and is handled there.
      if (child.connected) child.send(message as Serializable, undefined, undefined, () => {});
    },
    onMessage: (listener) => child.on('message', listener),
    onExit: (listener) => exitListeners.push(listener),
    kill: () => child.kill('SIGKILL'),
  };
}

/** Why a stopped worker is stopped, so the desk can tell "closing" from "gave up after crashes". */
export type StoppedReason = NonNullable<DeviceWorkerStatus['reason']>;

export interface DeviceWorkerHostOptions {
  spawner: WorkerSpawner;
  log: Logger;
  entryPath?: string;
  /** Added to the inherited environment. The only way to set LOKET_DEVICE_FAULTS (fault injection for tests). */
  env?: NodeJS.ProcessEnv;
  heartbeatIntervalMs?: number;
  /** How long a worker may leave heartbeats unanswered before it is deemed hung and killed. */
  heartbeatTimeoutMs?: number;
  /** How long a new worker may take to report ready. */
  startTimeoutMs?: number;
  /** Default per-request timeout; a request may give its own. */
  requestTimeoutMs?: number;
  /** How long a request made while the worker (re)starts waits for it before DEVICE_UNAVAILABLE. */
  readyWaitMs?: number;
  /** Delay before the first restart, doubled for each further crash within the window. */
  restartBackoffMs?: number;
  maxRestartBackoffMs?: number;
  /** This many crashes within crashWindowMs is a crash loop: the worker stays stopped. */
  maxCrashes?: number;
  crashWindowMs?: number;
  /** How long stop() lets the worker close its drivers before killing it. */
  stopGraceMs?: number;
}

interface Pending {
  method: string;
  resolve(value: unknown): void;
  reject(err: AppError): void;
  timer: NodeJS.Timeout;
}

/** One spawned worker process and what belongs to it; a restart makes a new one. */
interface Generation {
  readonly proc: WorkerProcess;
  readonly pending: Map<number, Pending>;
  readonly timers: NodeJS.Timeout[];
  readonly exited: Promise<void>;
  ready: boolean;
  /** When the oldest unanswered heartbeat was sent; undefined while the worker is known alive. */
  awaitingPongSince: number | undefined;
  lastTick: number;
}

/** How long to wait for the exit of a killed process (a process stuck in the kernel may never exit). */
const exitWaitMs = 5_000;

function settlesWithin(promise: Promise<void>, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    void promise.then(() => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

export class DeviceWorkerHost {
  readonly #spawner: WorkerSpawner;
  readonly #log: Logger;
  readonly #entryPath: string;
  readonly #env: NodeJS.ProcessEnv;
  readonly #heartbeatIntervalMs: number;
  readonly #heartbeatTimeoutMs: number;
  readonly #startTimeoutMs: number;
  readonly #requestTimeoutMs: number;
  readonly #readyWaitMs: number;
  readonly #restartBackoffMs: number;
  readonly #maxRestartBackoffMs: number;
  readonly #maxCrashes: number;
  readonly #crashWindowMs: number;
  readonly #stopGraceMs: number;

  #state: DeviceWorkerStatus['state'] = 'stopped';
  #reason: StoppedReason = 'not-started';
  #restarts = 0;
  #lastCrash: string | null = null;
  #crashTimes: number[] = [];
  #current: Generation | undefined;
  /** Killed workers whose exit has not been seen yet; stop() waits for them too. */
  readonly #dying = new Set<Generation>();
  #restartTimer: NodeJS.Timeout | undefined;
  #stopping: Promise<void> | undefined;
  #nextId = 1;
  #nextSeq = 1;
  readonly #statusListeners = new Set<(status: DeviceWorkerStatus) => void>();
  readonly #eventListeners = new Set<(event: DeviceEvent) => void>();
  readonly #stateWaiters = new Set<() => void>();

  constructor(options: DeviceWorkerHostOptions) {
    this.#spawner = options.spawner;
    this.#log = options.log;
    this.#entryPath = options.entryPath ?? workerEntryPath();
    // Fault injection must not be reachable from an inherited environment in production.
    const inherited = { ...process.env };
    delete inherited.LOKET_DEVICE_FAULTS;
    this.#env = { ...inherited, ...options.env };
    this.#heartbeatIntervalMs = options.heartbeatIntervalMs ?? 2_000;
    this.#heartbeatTimeoutMs = options.heartbeatTimeoutMs ?? 30_000;
    this.#startTimeoutMs = options.startTimeoutMs ?? 20_000;
    this.#requestTimeoutMs = options.requestTimeoutMs ?? 60_000;
    this.#readyWaitMs = options.readyWaitMs ?? 30_000;
    this.#restartBackoffMs = options.restartBackoffMs ?? 500;
    this.#maxRestartBackoffMs = options.maxRestartBackoffMs ?? 10_000;
    this.#maxCrashes = options.maxCrashes ?? 5;
    this.#crashWindowMs = options.crashWindowMs ?? 120_000;
    this.#stopGraceMs = options.stopGraceMs ?? 3_000;
  }

  /** The current worker's process id, for support and diagnostics. */
  get pid(): number | undefined {
    return this.#current?.proc.pid;
  }

  status(): DeviceWorkerStatus {
    const status: DeviceWorkerStatus = { state: this.#state, restarts: this.#restarts, lastCrash: this.#lastCrash };
    return this.#state === 'stopped' ? { ...status, reason: this.#reason } : status;
  }

  onStatus(listener: (status: DeviceWorkerStatus) => void): () => void {
    this.#statusListeners.add(listener);
    return () => this.#statusListeners.delete(listener);
  }

  onEvent(listener: (event: DeviceEvent) => void): () => void {
    this.#eventListeners.add(listener);
    return () => this.#eventListeners.delete(listener);
  }

  /**
   * Starts the worker (also after a crash loop, to try again) and resolves once the first attempt
   * has settled: running, or already restarting/stopped. It never rejects: the desk works without
   * devices, and requests report DEVICE_UNAVAILABLE.
   */
  async start(): Promise<void> {
    if (this.#stopping) await this.#stopping;
    if (this.#state === 'stopped') {
      this.#crashTimes = [];
      this.#setState('starting');
      this.#spawn();
    }
    await this.#whenState((state) => state !== 'starting');
  }

  async request<M extends DeviceMethod>(method: M, params: DeviceParams<M>, options: { timeoutMs?: number } = {}): Promise<DeviceReply<M>> {
    if (this.#state === 'starting' || this.#state === 'restarting') {
      await this.#whenState((state) => state === 'running' || state === 'stopped', this.#readyWaitMs);
    }
    const gen = this.#current;
    if (this.#state !== 'running' || gen === undefined || !gen.ready) {
      throw new AppError('DEVICE_UNAVAILABLE', undefined, { method });
    }
    const id = this.#nextId++;
    const timeoutMs = options.timeoutMs ?? this.#requestTimeoutMs;
    return new Promise<DeviceReply<M>>((resolve, reject) => {
      const timer = setTimeout(() => {
        if (!gen.pending.delete(id)) return;
        this.#send(gen, { kind: 'cancel', id });
        this.#log.warn('device request timed out', { method, timeoutMs, pid: gen.proc.pid });
        reject(new AppError('DEVICE_TIMEOUT', undefined, { method }));
      }, timeoutMs);
      gen.pending.set(id, { method, resolve: resolve as (value: unknown) => void, reject, timer });
      try {
        gen.proc.send({ kind: 'request', id, method, params } satisfies HostMessage);
      } catch (err) {
        // Params structured clone cannot carry: a bug of the caller, not of the device.
        gen.pending.delete(id);
        clearTimeout(timer);
        this.#log.error('device request could not be sent', { method, err });
        reject(new AppError('INTERNAL', undefined, undefined, { cause: err }));
      }
    });
  }

  /** Lets the worker close its drivers, kills it if it does not, and resolves when no worker process is left. */
  stop(): Promise<void> {
    this.#stopping ??= this.#shutdown().finally(() => {
      this.#stopping = undefined;
    });
    return this.#stopping;
  }

  async #shutdown(): Promise<void> {
    clearTimeout(this.#restartTimer);
    this.#restartTimer = undefined;
    const gen = this.#current;
    this.#current = undefined;
    if (this.#state !== 'stopped') this.#setState('stopped', 'shutdown');
    const dying = [...this.#dying];
    if (gen !== undefined) {
      this.#retire(gen, () => new AppError('DEVICE_UNAVAILABLE', 'Proses perangkat dihentikan karena aplikasi ditutup. Tidak ada data yang hilang.'));
      this.#send(gen, { kind: 'shutdown' });
      if (!(await settlesWithin(gen.exited, this.#stopGraceMs))) {
        this.#log.warn('device worker did not close in time: killing it', { pid: gen.proc.pid });
        gen.proc.kill();
        dying.push(gen);
      }
    }
    for (const old of dying) {
      if (!(await settlesWithin(old.exited, exitWaitMs))) this.#log.error('device worker process did not exit after being killed', { pid: old.proc.pid });
    }
  }

  #spawn(): void {
    let proc: WorkerProcess;
    try {
      proc = this.#spawner(this.#entryPath, this.#env);
    } catch (err) {
      this.#log.error('device worker could not be started', { entryPath: this.#entryPath, err });
      this.#crashed(undefined, 'spawn failed');
      return;
    }
    let markExited = () => {};
    const gen: Generation = {
      proc,
      pending: new Map(),
      timers: [],
      exited: new Promise<void>((resolve) => {
        markExited = resolve;
      }),
      ready: false,
      awaitingPongSince: undefined,
      lastTick: Date.now(),
    };
    this.#current = gen;
    proc.onMessage((raw) => this.#onMessage(gen, raw));
    proc.onExit((code, signal) => {
      markExited();
      this.#dying.delete(gen);
      if (gen === this.#current) this.#crashed(gen, `exited (code ${code ?? 'none'}, signal ${signal ?? 'none'})`);
    });
    gen.timers.push(setTimeout(() => {
      if (!gen.ready) this.#crashed(gen, `not ready within ${this.#startTimeoutMs} ms`);
    }, this.#startTimeoutMs));
    gen.timers.push(setInterval(() => this.#heartbeat(gen), this.#heartbeatIntervalMs));
  }

  #heartbeat(gen: Generation): void {
    const now = Date.now();
    // A late tick means main itself was blocked: that is no evidence against the worker.
    const late = now - gen.lastTick > 2 * this.#heartbeatIntervalMs;
    gen.lastTick = now;
    if (gen !== this.#current || !gen.ready) return;
    if (late) gen.awaitingPongSince = undefined;
    if (gen.awaitingPongSince !== undefined && now - gen.awaitingPongSince > this.#heartbeatTimeoutMs) {
      this.#crashed(gen, `hung: no heartbeat answered for ${now - gen.awaitingPongSince} ms`);
      return;
    }
    gen.awaitingPongSince ??= now;
    this.#send(gen, { kind: 'ping', seq: this.#nextSeq++ });
  }

  #onMessage(gen: Generation, raw: unknown): void {
    if (gen !== this.#current) return; // the last words of a replaced worker
    const message = parseWorkerMessage(raw);
    if (message === undefined) {
      this.#log.warn('malformed message from the device worker ignored', { pid: gen.proc.pid });
      return;
    }
    gen.awaitingPongSince = undefined; // any message shows its event loop turns
    switch (message.kind) {
      case 'ready':
        if (gen.ready) return;
        gen.ready = true;
        this.#log.info('device worker running', { pid: message.pid, restarts: this.#restarts });
        this.#setState('running');
        return;
      case 'pong':
        return;
      case 'event': {
        const event = { name: message.name, payload: message.payload } as DeviceEvent;
        for (const listener of [...this.#eventListeners]) {
          try {
            listener(event);
          } catch (err) {
            this.#log.error('device event listener failed', { event: message.name, err });
          }
        }
        return;
      }
      case 'reply': {
        const pending = gen.pending.get(message.id);
        if (pending === undefined) {
          this.#log.debug('late device reply ignored', { id: message.id });
          return;
        }
        gen.pending.delete(message.id);
        clearTimeout(pending.timer);
        if (message.ok) {
          pending.resolve(message.value);
          return;
        }
        const error = this.#fromWorkerError(message.error, pending.method);
        pending.reject(error);
        // A driver that never came back from a call holds its device in this process for good:
        // only a new worker can use it again. Restarted before the caller hears the fault, so its
        // next request waits for the new worker instead of reaching this one.
        if (error.details?.driverStuck === true) this.#crashed(gen, 'a driver did not return');
        return;
      }
    }
  }

  #fromWorkerError(error: IpcError, method: string): AppError {
    const parsed = IpcErrorSchema.safeParse(error);
    if (!parsed.success) {
      this.#log.error('device worker sent an error outside the contract', { method, error });
      return new AppError('INTERNAL');
    }
    return new AppError(parsed.data.code, parsed.data.message, parsed.data.details);
  }

  /** Detaches a worker from the host: timers cleared, every pending request rejected at once. */
  #retire(gen: Generation, reason: (method: string) => AppError): void {
    for (const timer of gen.timers) clearTimeout(timer);
    for (const pending of gen.pending.values()) {
      clearTimeout(pending.timer);
      pending.reject(reason(pending.method));
    }
    gen.pending.clear();
  }

  /** The current worker died, hung, or could not start: fail its requests, then restart it or give up. */
  #crashed(gen: Generation | undefined, cause: string): void {
    if (gen !== undefined) {
      if (gen !== this.#current) return;
      this.#current = undefined;
      const pendingRequests = gen.pending.size;
      this.#retire(gen, (method) => new AppError('DEVICE_WORKER_CRASHED', undefined, { method }));
      this.#dying.add(gen);
      gen.proc.kill();
      this.#log.error('device worker crashed', { pid: gen.proc.pid, cause, pendingRequests });
    }
    const now = Date.now();
    this.#lastCrash = new Date(now).toISOString();
    this.#crashTimes = [...this.#crashTimes.filter((t) => now - t < this.#crashWindowMs), now];
    if (this.#crashTimes.length >= this.#maxCrashes) {
      this.#log.error('device worker keeps crashing: it stays stopped until started again', {
        crashes: this.#crashTimes.length,
        windowMs: this.#crashWindowMs,
      });
      this.#setState('stopped', 'crash-loop');
      return;
    }
    this.#setState('restarting');
    const delay = Math.min(this.#restartBackoffMs * 2 ** (this.#crashTimes.length - 1), this.#maxRestartBackoffMs);
    this.#restartTimer = setTimeout(() => {
      this.#restartTimer = undefined;
      void this.#restartAfter(gen);
    }, delay);
  }

  async #restartAfter(old: Generation | undefined): Promise<void> {
    // Two workers must never hold the same scanner or token: wait for the old one to be gone.
    if (old !== undefined && !(await settlesWithin(old.exited, exitWaitMs))) {
      this.#log.error('crashed device worker did not exit after being killed; starting a new one anyway', { pid: old.proc.pid });
    }
    if (this.#state !== 'restarting' || this.#current !== undefined) return;
    this.#restarts += 1;
    this.#emitStatus();
    this.#spawn();
  }

  #send(gen: Generation, message: HostMessage): void {
    try {
      gen.proc.send(message);
    } catch (err) {
      this.#log.warn('message to the device worker not sent', { kind: message.kind, err });
    }
  }

  #setState(state: DeviceWorkerStatus['state'], reason?: StoppedReason): void {
    this.#state = state;
    if (reason !== undefined) this.#reason = reason;
    this.#emitStatus();
    for (const wake of [...this.#stateWaiters]) wake();
  }

  #emitStatus(): void {
    const status = this.status();
    for (const listener of [...this.#statusListeners]) {
      try {
        listener(status);
      } catch (err) {
        this.#log.error('device status listener failed', { err });
      }
    }
  }

  /** Resolves when the state satisfies accept, or when timeoutMs has passed. */
  #whenState(accept: (state: DeviceWorkerStatus['state']) => boolean, timeoutMs?: number): Promise<void> {
    if (accept(this.#state)) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        this.#stateWaiters.delete(check);
        clearTimeout(timer);
        resolve();
      };
      const check = () => {
        if (accept(this.#state)) done();
      };
      const timer = timeoutMs === undefined ? undefined : setTimeout(done, timeoutMs);
      this.#stateWaiters.add(check);
    });
  }
}
