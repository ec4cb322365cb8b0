// A scan session's folder: the page files the device worker spooled into it (main/devices/scanner/
// spool.ts) and a small manifest remembering the clerk's order, turns and exclusions, so the
// session comes back as the clerk left it when main starts again after a crash or a power cut.
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, rm, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pagePath } from '../devices/scanner/spool.ts';
import type { QuarterTurn } from './pipeline/types.ts';

/** What the clerk did to each page, in stack order. */
export interface PageManifest {
  pages: { id: string; rotation: QuarterTurn; excluded: 'blank' | 'deleted' | null; startsLetter: boolean }[];
}

export interface PageFiles {
  readonly dir: string;
  /** Where the page with this id is kept. */
  path(id: string): string;
  /** The ids of the pages on disk, oldest first (ids are UUIDv7). */
  ids(): Promise<string[]>;
  remove(id: string): Promise<void>;
  /** Replaces the manifest (atomically; not fsynced: it is a convenience, the pages are the record). */
  writeManifest(manifest: PageManifest): Promise<void>;
  readManifest(): Promise<PageManifest | undefined>;
  /** Removes the session's folder (after the pages were saved as documents, or discarded). */
  clear(): Promise<void>;
}

export async function openPageFiles(dir: string): Promise<PageFiles> {
  await mkdir(dir, { recursive: true });
  return {
    dir,
    path: (id) => pagePath(dir, id),
    async ids() {
      return (await readdir(dir)).filter((f) => f.endsWith('.page')).map((f) => f.slice(0, -'.page'.length)).sort();
    },
    async writeManifest(manifest) {
      const temp = join(dir, `.manifest-${randomBytes(6).toString('hex')}`);
      await writeFile(temp, JSON.stringify(manifest));
      await rename(temp, join(dir, 'session.json'));
    },
    async readManifest() {
      try {
        return JSON.parse(await readFile(join(dir, 'session.json'), 'utf8')) as PageManifest;
      } catch {
        return undefined;
      }
    },
    async remove(id) {
      await unlink(pagePath(dir, id)).catch(() => undefined);
    },
    async clear() {
      await rm(dir, { recursive: true, force: true });
    },
  };
}
