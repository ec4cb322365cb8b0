// The device worker as a clerk meets it: real worker processes forked from the sources, killed,
// frozen and stopped for real. Watchdog intervals are short (options) so each story stays quick.
import { createHash, randomBytes } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DeviceWorkerHost, forkSpawner, type DeviceWorkerHostOptions } from '../../main/devices/host.ts';
import type { DeviceEvent } from '../../main/devices/protocol.ts';
import type { DeviceWorkerStatus } from '../../common/ipc/devices.ts';
import { AppError, defaultMessages } from '../../common/errors.ts';
import { collectingLogger } from '../../common/logger.ts';

const hosts: DeviceWorkerHost[] = [];
afterEach(async () => {
  await Promise.all(hosts.splice(0).map((host) => host.stop()));
});

function newHost(options: Partial<DeviceWorkerHostOptions> = {}) {
  const log = collectingLogger();
  const host = new DeviceWorkerHost({
    spawner: forkSpawner,
    log,
    heartbeatIntervalMs: 100,
    heartbeatTimeoutMs: 3_000,
    restartBackoffMs: 20,
    startTimeoutMs: 20_000,
    readyWaitMs: 20_000,
    ...options,
  });
  hosts.push(host);
  const statuses: DeviceWorkerStatus[] = [];
  host.onStatus((status) => statuses.push(status));
  return { host, log, statuses };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ESRCH') return false;
    throw err;
  }
}

function untilStatus(host: DeviceWorkerHost, accept: (status: DeviceWorkerStatus) => boolean): Promise<DeviceWorkerStatus> {
  return new Promise((resolve) => {
    if (accept(host.status())) return resolve(host.status());
    const off = host.onStatus((status) => {
      if (accept(status)) {
        off();
        resolve(status);
      }
    });
  });
}

function nextEvent(host: DeviceWorkerHost, name: DeviceEvent['name']): Promise<DeviceEvent> {
  return new Promise((resolve) => {
    const off = host.onEvent((event) => {
      if (event.name === name) {
        off();
        resolve(event);
      }
    });
  });
}

/** The AppError a rejected device call ended with. */
async function failureOf(call: Promise<unknown>): Promise<AppError> {
  try {
    await call;
  } catch (err) {
    if (err instanceof AppError) return err;
    throw err;
  }
  throw new Error('the device call succeeded, a failure was expected');
}

function pidOf(host: DeviceWorkerHost): number {
  const pid = host.pid;
  if (pid === undefined) throw new Error('no worker process');
  return pid;
}

describe('device worker', () => {
  it('answers a support person’s ping and carries a scanned page across byte for byte', async () => {
    const { host, statuses } = newHost();
    await host.start();
    expect(host.status()).toEqual({ state: 'running', restarts: 0, lastCrash: null });
    expect(statuses.map((s) => s.state)).toEqual(['starting', 'running']);

    const ping = await host.request('diag.ping', {});
    expect(ping.pid).toBe(host.pid);
    expect(ping.pid).not.toBe(process.pid);
    expect(ping.versions.node).toBe(process.versions.node);
    expect(ping.inFlight).toBe(0);

    const page = randomBytes(8 * 1024 * 1024);
    const started = nextEvent(host, 'diag.selfTestStarted');
    const result = await host.request('diag.selfTest', { delayMs: 10, echo: page });
    expect(await started).toEqual({ name: 'diag.selfTestStarted', payload: { pid: ping.pid, delayMs: 10 } });
    expect(result.echo).toBeInstanceOf(Uint8Array);
    expect(Buffer.compare(Buffer.from(result.echo ?? new Uint8Array()), page)).toBe(0);
    expect(result.echoSha256).toBe(createHash('sha256').update(page).digest('hex'));
  });

  it('fails a request at once when the worker is killed in the middle of it, comes back, and serves the next one', async () => {
    const { host, statuses, log } = newHost();
    await host.start();
    const firstPid = pidOf(host);

    const started = nextEvent(host, 'diag.selfTestStarted');
    const scan = host.request('diag.selfTest', { delayMs: 600_000 }, { timeoutMs: 600_000 });
    await started; // the worker is inside the request now
    process.kill(firstPid, 'SIGKILL');

    const failure = await failureOf(scan);
    expect(failure.code).toBe('DEVICE_WORKER_CRASHED');
    expect(failure.message).toBe(defaultMessages.DEVICE_WORKER_CRASHED);
    expect(failure.details).toEqual({ method: 'diag.selfTest' });

    const back = await untilStatus(host, (s) => s.state === 'running' && s.restarts === 1);
    expect(back.lastCrash).not.toBeNull();
    expect(statuses.map((s) => s.state)).toEqual(['starting', 'running', 'restarting', 'restarting', 'running']);
    expect(log.lines.find((l) => l.msg === 'device worker crashed')).toMatchObject({ pid: firstPid, cause: 'exited (code none, signal SIGKILL)', pendingRequests: 1 });

    const ping = await host.request('diag.ping', {});
    expect(ping.pid).not.toBe(firstPid);
    expect(isAlive(firstPid)).toBe(false);
  });

  it('keeps a request made while the worker restarts waiting for the new worker', async () => {
    const { host } = newHost({ restartBackoffMs: 300 });
    await host.start();
    const firstPid = pidOf(host);
    const crashed = untilStatus(host, (s) => s.state === 'restarting');
    process.kill(firstPid, 'SIGKILL');
    await crashed;

    const ping = await host.request('diag.ping', {});
    expect(ping.pid).not.toBe(firstPid);
    expect(host.status()).toMatchObject({ state: 'running', restarts: 1 });
  });

  it('replaces a worker stuck in a driver call, found by the watchdog, and fails its request instead of hanging', async () => {
    const { host, log } = newHost({ env: { LOKET_DEVICE_FAULTS: '1' }, heartbeatTimeoutMs: 1_000 });
    await host.start();
    const frozenPid = pidOf(host);

    const failure = await failureOf(host.request('diag.fault', { fault: 'freeze' }, { timeoutMs: 600_000 }));
    expect(failure.code).toBe('DEVICE_WORKER_CRASHED');
    const crash = log.lines.find((l) => l.msg === 'device worker crashed');
    expect(crash).toMatchObject({ pid: frozenPid, pendingRequests: 1 });
    expect(String(crash?.cause)).toMatch(/^hung: no heartbeat answered/);

    await untilStatus(host, (s) => s.state === 'running' && s.restarts === 1);
    const ping = await host.request('diag.ping', {});
    expect(ping.pid).not.toBe(frozenPid);
    expect(isAlive(frozenPid)).toBe(false);
  });

  it('gives up on a request that takes too long, cancels it in the worker, and keeps the worker', async () => {
    const { host } = newHost();
    await host.start();
    const pid = pidOf(host);

    const failure = await failureOf(host.request('diag.selfTest', { delayMs: 600_000 }, { timeoutMs: 200 }));
    expect(failure.code).toBe('DEVICE_TIMEOUT');
    expect(failure.message).toBe(defaultMessages.DEVICE_TIMEOUT);

    const ping = await host.request('diag.ping', {});
    expect(ping).toMatchObject({ pid, inFlight: 0 });
    expect(host.status()).toEqual({ state: 'running', restarts: 0, lastCrash: null });
  });

  it('reports a driver bug, an unknown command and bad input as typed errors in Bahasa Indonesia', async () => {
    const { host } = newHost({ env: { LOKET_DEVICE_FAULTS: '1' } });
    await host.start();

    const bug = await failureOf(host.request('diag.fault', { fault: 'throw' }));
    expect(bug.code).toBe('INTERNAL');
    expect(bug.message).toBe(defaultMessages.INTERNAL);

    const unknown = await failureOf(host.request('scan.start' as 'diag.ping', {}));
    expect(unknown.code).toBe('UNKNOWN_CHANNEL');
    expect(unknown.details).toEqual({ method: 'scan.start' });

    const invalid = await failureOf(host.request('diag.selfTest', { delayMs: -5 }));
    expect(invalid.code).toBe('VALIDATION');
    expect(invalid.message).toMatch(/^Lama tunggu uji mandiri/);

    expect(host.status()).toMatchObject({ state: 'running', restarts: 0 });
  });

  it('replaces a worker whose driver never came back from a call: the caller hears the fault, the next request reaches a new worker', async () => {
    const { host, log } = newHost({ env: { LOKET_DEVICE_FAULTS: '1' } });
    await host.start();
    const stuckPid = pidOf(host);

    const stuck = await failureOf(host.request('diag.fault', { fault: 'stuck' }));
    expect(stuck.code).toBe('INTERNAL');
    expect(stuck.details).toEqual({ driverStuck: true });
    // Asked at once: it waits for the new worker instead of reaching the one holding the device.
    const ping = await host.request('diag.ping', {});
    expect(ping.pid).not.toBe(stuckPid);
    expect(host.status()).toMatchObject({ state: 'running', restarts: 1 });
    expect(String(log.lines.find((l) => l.msg === 'device worker crashed')?.cause)).toBe('a driver did not return');
    await vi.waitFor(() => expect(isAlive(stuckPid)).toBe(false));
  });

  it('cannot be put into fault-injection mode from the environment of a production desk', async () => {
    const previous = process.env.LOKET_DEVICE_FAULTS;
    process.env.LOKET_DEVICE_FAULTS = '1';
    try {
      const { host } = newHost();
      await host.start();
      const refused = await failureOf(host.request('diag.fault', { fault: 'freeze' }));
      expect(refused.code).toBe('UNKNOWN_CHANNEL');
    } finally {
      if (previous === undefined) delete process.env.LOKET_DEVICE_FAULTS;
      else process.env.LOKET_DEVICE_FAULTS = previous;
    }
  });

  it('stops restarting a worker that keeps crashing, says so, and can be started again by support', async () => {
    const { host } = newHost({ maxCrashes: 3, crashWindowMs: 600_000 });
    // A driver that takes the worker down each time it comes up.
    const off = host.onStatus((status) => {
      if (status.state === 'running' && host.pid !== undefined) process.kill(host.pid, 'SIGKILL');
    });
    await host.start();
    const stopped = await untilStatus(host, (s) => s.state === 'stopped');
    off();
    expect(stopped).toMatchObject({ state: 'stopped', reason: 'crash-loop', restarts: 2 });
    expect(stopped.lastCrash).not.toBeNull();
    expect(host.pid).toBeUndefined();

    const refused = await failureOf(host.request('diag.ping', {}));
    expect(refused.code).toBe('DEVICE_UNAVAILABLE');

    await host.start();
    expect(host.status()).toMatchObject({ state: 'running', restarts: 2 });
    expect((await host.request('diag.ping', {})).pid).toBe(host.pid);
  });

  it('leaves no worker process behind when the app closes', async () => {
    const { host } = newHost();
    await host.start();
    const pid = pidOf(host);
    await host.stop();
    expect(isAlive(pid)).toBe(false);
    expect(host.status()).toEqual({ state: 'stopped', restarts: 0, lastCrash: null, reason: 'shutdown' });
    expect((await failureOf(host.request('diag.ping', {}))).code).toBe('DEVICE_UNAVAILABLE');
  });

  it('kills a worker frozen in a driver call when the app closes, and tells the waiting caller', async () => {
    const { host } = newHost({ env: { LOKET_DEVICE_FAULTS: '1' }, heartbeatTimeoutMs: 600_000, stopGraceMs: 300 });
    await host.start();
    const pid = pidOf(host);
    const frozen = failureOf(host.request('diag.fault', { fault: 'freeze' }, { timeoutMs: 600_000 }));
    // The ping is queued behind the freeze and can only fail: it proves the freeze is under way.
    const queued = host.request('diag.ping', {}, { timeoutMs: 300 });
    expect((await failureOf(queued)).code).toBe('DEVICE_TIMEOUT');

    await host.stop();
    const failure = await frozen;
    expect(failure.code).toBe('DEVICE_UNAVAILABLE');
    expect(failure.message).toMatch(/aplikasi ditutup/);
    expect(isAlive(pid)).toBe(false);
  });
});
