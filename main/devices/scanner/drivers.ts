// The scanner drivers of the device worker, one line each. A device's id starts with its driver's
// name (`sane:test:0`), so a request for a device reaches the driver that listed it.
import type { ScanDriver } from './types.ts';
import { esclDriver, timingsFromEnv } from './escl/driver.ts';
import { saneDriver } from './sane/driver.ts';

export function scanDrivers(env: NodeJS.ProcessEnv = process.env, log?: (message: string, fields: Record<string, unknown>) => void): ScanDriver[] {
  return [saneDriver(), esclDriver({ timings: timingsFromEnv(env), ...(log ? { log } : {}) })];
}

/** The desk's id of a driver's device. */
export function deviceId(driver: ScanDriver, name: string): string {
  return `${driver.name}:${name}`;
}

/** The driver and its own device name for a desk's id; undefined when no driver here has that name. */
export function resolveDevice(drivers: readonly ScanDriver[], id: string): { driver: ScanDriver; name: string } | undefined {
  const colon = id.indexOf(':');
  const driver = colon < 0 ? undefined : drivers.find((d) => d.name === id.slice(0, colon));
  return driver === undefined ? undefined : { driver, name: id.slice(colon + 1) };
}
