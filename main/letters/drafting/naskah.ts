// Brings the office's kop and templates to this desk: after each pull, every version the feed brought
// that is not kept yet has its logo downloaded (checked against its SHA-256) and is then kept whole, so
// a version is used only once it can be printed. A logo that cannot be fetched now is tried again
// after the next pull; until then the desk keeps using the last version it kept (offline too).
import { createHash } from 'node:crypto';
import type { Logger } from '../../../common/logger.ts';
import type { ServerClient } from '../../remote/client.ts';
import type { Store } from '../../store/store.ts';

export async function keepNaskahVersions(store: Store, client: ServerClient, token: string, log: Logger): Promise<void> {
  for (const version of store.naskah.waiting()) {
    const sha256 = version.letterhead.logoSha256;
    if (sha256 === null) { store.naskah.keep(version, null); continue; }
    try {
      const reply = await client.raw('GET', `/blobs/${sha256}`, { token, timeoutMs: 30_000 });
      if (reply.status !== 200) { log.info('naskah: logo not fetched, trying after the next pull', { version: version.version, status: reply.status }); continue; }
      if (createHash('sha256').update(reply.body).digest('hex') !== sha256) { log.warn('naskah: logo bytes do not match their hash', { version: version.version }); continue; }
      store.naskah.keep(version, reply.body);
    } catch (err) {
      log.info('naskah: logo not fetched, trying after the next pull', { version: version.version, code: (err as { code?: unknown }).code });
    }
  }
}
