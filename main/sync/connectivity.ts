// Tells the desk whether the central server answers, so the header can say "Daring" or "Luring"
// and the sync engine knows when to try. A desk with no server configured is "unconfigured"
// (standalone), which is a normal way to work, not an error.
import type { Connectivity } from '../../common/ipc/app.ts';

export interface ConnectivityMonitor {
  current(): Connectivity;
  /** Probe now (e.g. after the server URL changed) and resolve with the new state. */
  checkNow(): Promise<Connectivity>;
  stop(): void;
}

export interface ConnectivityOptions {
  serverUrl: () => string;
  /** How to ask the server; the default is a plain fetch of /health (system TLS roots). */
  probe?: (url: string) => Promise<boolean>;
  onChange: (state: Connectivity) => void;
  intervalMs?: number;
  timeoutMs?: number;
  now?: () => Date;
}

export function createConnectivityMonitor(options: ConnectivityOptions): ConnectivityMonitor {
  const intervalMs = options.intervalMs ?? 15_000;
  const timeoutMs = options.timeoutMs ?? 3_000;
  const now = options.now ?? (() => new Date());
  let state: Connectivity = { state: options.serverUrl() === '' ? 'unconfigured' : 'offline', checkedAt: null };
  let running: Promise<Connectivity> | undefined;
  const probe = options.probe ?? fetchHealth;
  let stopped = false;

  async function fetchHealth(url: string): Promise<boolean> {
    try {
      const res = await fetch(new URL('health', url.endsWith('/') ? url : url + '/'), { signal: AbortSignal.timeout(timeoutMs) });
      await res.body?.cancel();
      return res.ok;
    } catch {
      return false;
    }
  }

  async function check(): Promise<Connectivity> {
    for (;;) {
      const url = options.serverUrl();
      const reachable = url === '' ? undefined : await probe(url);
      if (stopped) return state;
      // The URL changed while we probed: the answer is about the old server, probe the new one.
      if (url !== options.serverUrl()) continue;
      const next: Connectivity = {
        state: reachable === undefined ? 'unconfigured' : reachable ? 'online' : 'offline',
        checkedAt: now().toISOString(),
      };
      const changed = next.state !== state.state;
      state = next;
      if (changed) options.onChange(state);
      return state;
    }
  }

  function checkNow(): Promise<Connectivity> {
    running ??= check().finally(() => { running = undefined; });
    return running;
  }

  const timer = setInterval(() => void checkNow(), intervalMs);
  timer.unref();
  void checkNow();

  return {
    current: () => state,
    checkNow,
    stop() {
      stopped = true;
      clearInterval(timer);
    },
  };
}
