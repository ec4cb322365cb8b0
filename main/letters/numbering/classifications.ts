// The archival classification list (klasifikasi arsip): shipped in resources/klasifikasi/ and copied
// into SQLite on first start, where the admin may add and rename codes. Seeding only adds codes the
// desk does not know yet, so an admin's edits survive updates of the shipped list.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Classification } from '../../store/agenda.ts';
import type { Store } from '../../store/store.ts';

/** resources/ beside the sources in development and tests; Electron passes process.resourcesPath/resources. */
export const defaultResourcesDir = join(import.meta.dirname, '..', '..', '..', 'resources');

export function shippedClassifications(resourcesDir: string = defaultResourcesDir): Classification[] {
  const file = JSON.parse(readFileSync(join(resourcesDir, 'klasifikasi', 'klasifikasi-arsip.json'), 'utf8')) as { kode: Array<[string, string]> };
  return file.kode.map(([code, name]) => ({ code, name }));
}

/** Adds the shipped codes the desk does not have; returns how many were added. */
export function seedClassifications(store: Store, resourcesDir?: string): number {
  return store.agenda.seedClassifications(shippedClassifications(resourcesDir));
}
