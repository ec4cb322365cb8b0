// What scanning through libsane does to the process around it, beyond the scanner itself. Each
// story scans in a process of its own, started from this one, which never scans: a SANE backend
// can leave a process unable to start other programs (see below), and this test run must then fail
// the story, not hang in the fork.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { useSaneTestBackend, withoutSane } from '../support/sane-test-backend.ts';

const backend = useSaneTestBackend();
const binding = pathToFileURL(join(import.meta.dirname, '..', '..', 'native/sane/index.ts')).href;

/** Runs an ES module script in a new Node process with the test backend; its lines of output, status and signal. */
function scanningProcess(script: string): { signal: NodeJS.Signals | null; status: number | null; stdout: string[] } {
  const run = spawnSync(process.execPath, ['--input-type=module', '-e', script], { env: { ...process.env, SANE_CONFIG_DIR: backend.configDir }, encoding: 'utf8', timeout: 60_000 });
  return { signal: run.signal, status: run.status, stdout: run.stdout.trim().split('\n') };
}

describe.skipIf(withoutSane !== undefined)('a process that scans', () => {
  afterAll(() => backend.cleanup());

  it('still survives writing to a pipe whose reader is gone (SANE backends reset SIGPIPE when a reader thread ends)', () => {
    // With SIGPIPE back at its default the write would kill the process outright.
    const script = `
      import { execFileSync } from 'node:child_process';
      import { closeSync, constants, mkdtempSync, openSync, writeSync } from 'node:fs';
      import { tmpdir } from 'node:os';
      import { join } from 'node:path';
      import { openDevice } from ${JSON.stringify(binding)};
      const device = await openDevice('test:1');
      for await (const page of device.scan()) console.log('page', page.number);
      device.close();
      const fifo = join(mkdtempSync(join(tmpdir(), 'loket-pipe-')), 'pipe');
      execFileSync('mkfifo', [fifo]);
      const reader = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK);
      const writer = openSync(fifo, constants.O_WRONLY | constants.O_NONBLOCK);
      closeSync(reader);
      try {
        writeSync(writer, 'x');
      } catch (err) {
        console.log('write failed:', err.code);
      }
    `;
    expect(scanningProcess(script)).toEqual({ signal: null, status: 0, stdout: ['page 1', 'write failed: EPIPE'] });
  });

  it('can still start programs after many pages that jammed at their first line', () => {
    // A page failing at once cancels the backend's reader thread while it is starting. Cancelled
    // inside malloc, that thread would keep an allocator lock for ever: the scanner would hang in
    // sane_cancel, and the next fork (any program started) would block on the lock.
    const script = `
      import { execFileSync } from 'node:child_process';
      import { openDevice } from ${JSON.stringify(binding)};
      const device = await openDevice('test:0');
      const outcomes = new Map();
      for (let i = 0; i < 400; i++) {
        device.set('read-return-value', 'SANE_STATUS_JAMMED');
        try {
          for await (const page of device.scan()) outcomes.set('page', (outcomes.get('page') ?? 0) + 1);
        } catch (err) {
          const outcome = err.driverStuck ? 'stuck' : err.status;
          outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
          if (err.driverStuck) break;
        }
      }
      device.set('read-return-value', 'Default');
      console.log(JSON.stringify(Object.fromEntries(outcomes)));
      console.log(execFileSync('echo', ['started']).toString().trim());
      device.close();
    `;
    expect(scanningProcess(script)).toEqual({ signal: null, status: 0, stdout: ['{"JAMMED":400}', 'started'] });
  });
});
