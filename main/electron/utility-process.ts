// Starts the device worker as an Electron utilityProcess (Chromium's process model: a Node child
// that Electron supervises and that needs no separate Node binary in the installed app), behind
// the same WorkerSpawner interface the core uses with child_process.fork elsewhere. The worker
// talks back through process.parentPort (main/devices/worker.ts handles both transports).
import { utilityProcess } from 'electron';
import type { WorkerProcess, WorkerSpawner } from '../devices/host.ts';

export const utilityProcessSpawner: WorkerSpawner = (entryPath: string, env: NodeJS.ProcessEnv): WorkerProcess => {
  const child = utilityProcess.fork(entryPath, [], {
    env,
    serviceName: 'Loket — perangkat (pemindai/token)',
    // The worker's logs are JSON lines on stderr, like main's: keep them in the same stream.
    stdio: 'inherit',
  });
  return {
    get pid() {
      return child.pid;
    },
    send(msg: unknown) {
      child.postMessage(msg);
    },
    onMessage(cb: (msg: unknown) => void) {
      child.on('message', cb);
    },
    onExit(cb: (code: number | null, signal: string | null) => void) {
      // utilityProcess reports only an exit code; a process killed by a signal shows as a non-zero code.
      child.on('exit', (code) => cb(code, null));
    },
    kill() {
      child.kill();
    },
  };
};
