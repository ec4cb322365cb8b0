// Device workers started the way the desk starts them (node, the worker's entry, an IPC channel with
// structured clone), but through a wrapper command: inside a network namespace made by the test
// (`ip netns exec`, for mDNS on a private loopback), or in a mount namespace where libsane or the
// SANE addon is hidden (`unshare`, for a desk without SANE). The IPC descriptor and its environment
// pass through the wrapper's exec.
import { spawn } from 'node:child_process';
import { asWorkerProcess, type WorkerSpawner } from '../../main/devices/host.ts';

export function wrappedSpawner(wrapper: string[]): WorkerSpawner {
  return (entryPath, env) => {
    const [command, ...args] = wrapper;
    return asWorkerProcess(spawn(command!, [...args, process.execPath, ...(entryPath.endsWith('.ts') ? ['--experimental-strip-types'] : []), entryPath], {
      env,
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    }));
  };
}

/** Whether this process may make namespaces (root): the tests that need them say so when it may not. */
export const canMakeNamespaces = process.getuid?.() === 0;
