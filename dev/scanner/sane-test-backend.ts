// SANE's own `test` backend, configured through a private SANE_CONFIG_DIR (never an edit in /etc):
// the tests' scanner, and the demo scanner `npm start` offers on a desk without real hardware.
// dll.conf names the backends libsane loads; test.conf raises the geometry limit (300 mm lets an A4
// sheet fit; the demo takes 360 mm for F4 and Legal, the folio paper of Indonesian offices).
// Whether real backends load too is the caller's choice (see below).
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface TestBackendConfig {
  /** How many test devices (test:0, test:1, …) the backend lists. */
  devices: number;
  /** Backend names loaded besides `test` (the lines of the system's dll.conf, for the demo). */
  otherBackends?: readonly string[];
  /** The largest scan area's side, in millimetres (default 300). */
  geometryMaxMm?: number;
  /** What the backend draws by default (its own default is "Solid black"). */
  picture?: string;
}

/** Writes dll.conf and test.conf into dir (created if needed). */
export function writeTestBackendConfig(dir: string, config: TestBackendConfig): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'dll.conf'), [...(config.otherBackends ?? []), 'test', ''].join('\n'));
  writeFileSync(
    join(dir, 'test.conf'),
    [
      `number_of_devices ${config.devices}`,
      ...(config.picture === undefined ? [] : [`test-picture "${config.picture}"`]),
      'geometry_min 0.0',
      `geometry_max ${(config.geometryMaxMm ?? 300).toFixed(1)}`,
      'geometry_quant 1.0',
      '',
    ].join('\n'),
  );
}

/** Where SANE's packages put dll.conf: Debian and most Linux, a /usr/local build, Homebrew. */
const systemDllConfs = ['/etc/sane.d/dll.conf', '/usr/local/etc/sane.d/dll.conf', '/opt/homebrew/etc/sane.d/dll.conf'];

/** The backends the system's dll.conf enables (none when there is no system configuration). */
function systemBackends(): string[] {
  let text: string | undefined;
  for (const file of systemDllConfs) {
    try {
      text = readFileSync(file, 'utf8');
      break;
    } catch {
      // not installed there
    }
  }
  if (text === undefined) return [];
  return text
    .split('\n')
    .map((line) => line.replace(/#.*/, '').trim())
    .filter((line) => line !== '' && line !== 'test');
}

/**
 * The environment for a device worker that also offers the demo scanner: a private configuration
 * under dataDir with the system's backends plus one test device. The trailing colon makes SANE
 * look in its system folders for every other backend's own configuration file. An explicitly set
 * SANE_CONFIG_DIR (an administrator's, or a test's) is left alone: then there is no demo.
 */
export function demoScannerEnv(dataDir: string, env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  if (env.SANE_CONFIG_DIR !== undefined && env.SANE_CONFIG_DIR !== '') return {};
  const dir = join(dataDir, 'sane-demo');
  // A colour chart: the backend's default, solid black, would look like a broken scanner.
  writeTestBackendConfig(dir, { devices: 1, otherBackends: systemBackends(), geometryMaxMm: 360, picture: 'Color pattern' });
  return { SANE_CONFIG_DIR: `${dir}:` };
}
