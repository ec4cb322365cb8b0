// Device workers started the way the desk starts them (node, the worker's entry, an IPC channel with
// structured clone), but through a wrapper command: inside a network namespace made by the test
// (`ip netns exec`, for mDNS on a private loopback), or in a mount namespace where libsane or the
// SANE addon is hidden (`unshare`, for a desk without SANE). The IPC descriptor and its environment
// pass through the wrapper's exec.
import { spawn } from 'node:child_process';
import type { WorkerSpawner } from '../../main/devices/host.ts';

export function wrappedSpawner(wrapper: string[]): WorkerSpawner {
  return (entryPath, env) => {
    const [command, ...args] = wrapper;
    const child = spawn(command!, [...args, process.execPath, ...(entryPath.endsWith('.ts') ? ['--experimental-strip-types'] : []), entryPath], {
      env,
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const exitListeners: ((code: number | null, signal: string | null) => void)[] = [];
    let exited = false;
    const reportExit = (code: number | null, signal: string | null) => {
      if (exited) return;
      exited = true;
      for (const listener of exitListeners) listener(code, signal);
    };
    child.on('exit', reportExit);
    child.on('error', () => {
      if (child.pid === undefined) reportExit(null, null);
    });
    return {
      get pid() {
        return child.pid;
      },
      send(message) {
        if (child.connected) child.send(message as never, undefined, undefined, () => {});
      },
      onMessage: (listener) => child.on('message', listener),
      onExit: (listener) => exitListeners.push(listener),
      kill: () => child.kill('SIGKILL'),
    };
  };
}

/** Whether this process may make namespaces (root): the tests that need them say so when it may not. */
export const canMakeNamespaces = process.getuid?.() === 0;
