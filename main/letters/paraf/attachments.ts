// The lampiran of drafts in a paraf chain reach the desks of the people of the chain: the feed brings a
// draft's versions to its verifiers and its signer with their attachments named by SHA-256, and after
// each pull the files not kept on this desk yet are downloaded (ranged, resumable, checked against their
// hash) the way letters delivered here are. A file that cannot be fetched now is tried again after the
// next pull; until it is here a preview shows a page saying so and the signer's letter waits for it
// (main/letters/paraf/paraf.ts).
import type { Logger } from '../../../common/logger.ts';
import type { BlobStore } from '../../documents/blob-store.ts';
import { downloadBlob } from '../../remote/blob-download.ts';
import type { ServerClient } from '../../remote/client.ts';
import type { Store } from '../../store/store.ts';

/** The attachments of drafts of this desk's chains (not signed yet, every version) that are not kept here. */
export async function missingChainAttachments(store: Store, blobs: BlobStore): Promise<string[]> {
  const wanted = new Set(store.paraf.all().filter((d) => d.state !== 'signed').flatMap((d) => d.versions.flatMap((v) => v.attachments)));
  const missing: string[] = [];
  for (const sha256 of wanted) if (!(await blobs.has(sha256))) missing.push(sha256);
  return missing;
}

export async function keepChainAttachments(o: {
  store: Store; blobs: BlobStore; client: ServerClient; token: () => Promise<string>; partialDir: string; log: Logger;
}): Promise<void> {
  for (const sha256 of await missingChainAttachments(o.store, o.blobs)) {
    try {
      await downloadBlob({ client: o.client, token: o.token, sha256, blobs: o.blobs, partialDir: o.partialDir });
    } catch (err) {
      o.log.info('paraf: a draft attachment was not fetched, trying after the next pull', { sha256, code: (err as { code?: unknown }).code });
    }
  }
}
