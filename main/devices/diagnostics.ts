// Diagnostics of the device worker: lets a support person (and the tests) check that the worker
// answers, which runtime it runs on, how busy it is, and that large binary payloads (a scanned
// page) cross the process boundary intact. The fault methods exist only when the worker was
// started with LOKET_DEVICE_FAULTS=1, which only an explicit DeviceWorkerHost option can set.
import { createHash } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { AppError } from '../../common/errors.ts';
import { defineService, type DeviceService } from './protocol.ts';

export interface DiagnosticsRequests {
  /** inFlight counts the requests being handled besides this ping. */
  'diag.ping': {
    request: Record<string, never>;
    reply: { pid: number; uptimeMs: number; inFlight: number; versions: Record<string, string> };
  };
  /** Answers after delayMs (honouring cancellation), echoing the bytes it was given with their SHA-256. */
  'diag.selfTest': {
    request: { delayMs?: number; echo?: Uint8Array };
    reply: { pid: number; delayedMs: number; echo: Uint8Array | null; echoSha256: string | null };
  };
  /**
   * Fault injection for tests: 'freeze' blocks the event loop like a hung native call; 'throw' fails
   * like a driver bug; 'stuck' fails as a driver whose thread never came back from a call (the
   * event loop still turns, the device is held for good).
   */
  'diag.fault': { request: { fault: 'freeze' | 'throw' | 'stuck' }; reply: never };
}

export interface DiagnosticsEvents {
  'diag.selfTestStarted': { pid: number; delayMs: number };
}

const maxDelayMs = 10 * 60_000;

function runtimeVersions(): Record<string, string> {
  const versions: Record<string, string> = { platform: process.platform, arch: process.arch };
  for (const key of ['node', 'v8', 'napi', 'modules', 'electron'] as const) {
    const value = (process.versions as Record<string, string | undefined>)[key];
    if (value !== undefined) versions[key] = value;
  }
  return versions;
}

export function diagnosticsService(options: { faults: boolean; inFlight: () => number }): DeviceService {
  return defineService<DiagnosticsRequests>('diagnostics', {
    'diag.ping': () => ({
      pid: process.pid,
      uptimeMs: Math.round(process.uptime() * 1000),
      inFlight: options.inFlight() - 1,
      versions: runtimeVersions(),
    }),

    'diag.selfTest': async (params, ctx) => {
      const delayMs = params.delayMs ?? 0;
      if (!Number.isInteger(delayMs) || delayMs < 0 || delayMs > maxDelayMs) {
        throw new AppError('VALIDATION', `Lama tunggu uji mandiri harus 0–${maxDelayMs} milidetik.`);
      }
      ctx.emit('diag.selfTestStarted', { pid: process.pid, delayMs });
      if (delayMs > 0) await sleep(delayMs, undefined, { signal: ctx.signal });
      const echo = params.echo ?? null;
      return {
        pid: process.pid,
        delayedMs: delayMs,
        echo,
        echoSha256: echo === null ? null : createHash('sha256').update(echo).digest('hex'),
      };
    },

    'diag.fault': (params) => {
      if (!options.faults) throw new AppError('UNKNOWN_CHANNEL');
      if (params.fault === 'freeze') {
        // Atomics.wait blocks this thread without burning CPU, as a native call stuck in a driver would.
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
      }
      if (params.fault === 'stuck') throw new AppError('INTERNAL', undefined, { driverStuck: true });
      throw new Error(`injected fault: ${params.fault}`);
    },
  });
}
