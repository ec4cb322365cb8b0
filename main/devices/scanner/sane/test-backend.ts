// SANE's own `test` backend as the SANE driver sees it: the demo scanner ("Pemindai uji (demo)")
// that `npm start` offers on a desk without hardware, and the tests' scanner. Its knobs are its own
// options: `read-return-value` makes every read answer a status (a jam, an open cover), and the
// backend keeps it across scans, so every scan on it starts by clearing it.
import type { SaneSetting } from './options.ts';
import { saneStatusOf } from './faults.ts';
import type { ScannerFault } from '../types.ts';

export const demoLabel = 'Pemindai uji (demo)';

/** The test backend's devices are named `test:0`, `test:1`…, and call themselves "frontend-tester". */
export function isTestDevice(device: { name: string; model?: string }): boolean {
  return device.name.startsWith('test:') && (device.model === undefined || device.model === 'frontend-tester');
}

/** Added to every scan on a test device: a fault injected earlier is gone. */
export const cleanStart: SaneSetting = { name: 'read-return-value', value: 'Default' };

/** The setting that makes the next sheet fail with `fault`, as a jammed feeder does mid-batch. */
export function injectedFault(fault: ScannerFault): SaneSetting {
  const status = saneStatusOf(fault);
  if (status === undefined) throw new Error(`SANE's test backend cannot simulate ${fault}`);
  return { name: 'read-return-value', value: `SANE_STATUS_${status}` };
}
