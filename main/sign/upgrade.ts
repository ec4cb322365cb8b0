// The queue of letters signed while the timestamp authority was out of reach (PAdES B-B): each is
// given its signature timestamp (B-T) as soon as the TSA answers. Tried again on every run until it
// succeeds; every success and every failed attempt is audited, and the new file is queued for sync.
import type { BlobStore } from '../documents/blob-store.ts';
import { AppError } from '../../common/errors.ts';
import type { Logger } from '../../common/logger.ts';
import type { Store } from '../store/store.ts';
import { timestampLatestSignature } from './pades/long-term.ts';
import type { Timestamper } from './pades/timestamp.ts';

export interface UpgradeRun {
  upgraded: number;
  failed: number;
}

/** One pass over the signatures still at B-B. */
export async function upgradeAwaitingTimestamps(options: { store: Store; blobs: BlobStore; timestamper: Timestamper; actor: string; log: Logger }): Promise<UpgradeRun> {
  const { store, blobs } = options;
  const run: UpgradeRun = { upgraded: 0, failed: 0 };
  for (const signature of store.signatures.awaitingTimestamp()) {
    try {
      const before = new Uint8Array(await blobs.read(signature.documentHash));
      const { pdf } = await timestampLatestSignature(before, options.timestamper);
      const put = await blobs.put(pdf);
      const original = store.documents.get(signature.documentHash);
      store.transaction(() => {
        store.documents.upsert({ hash: put.hash, mediaType: 'application/pdf', byteSize: put.size, pageCount: original?.pageCount ?? null, originalName: original?.originalName ?? null });
        store.signatures.upgraded(signature.id, 'B-T', put.hash);
        const letter = store.letters.get(signature.letterId);
        // The letter shows the newest file, unless it has moved on to another document since.
        if (letter?.documentHash === signature.documentHash) store.letters.update(letter.id, { documentHash: put.hash }, options.actor);
        store.audit.append({ actor: options.actor, action: 'signature.timestamped', entity: 'letter', entityId: signature.letterId, details: { signatureId: signature.id, documentHash: put.hash, previousHash: signature.documentHash } });
        store.outbox.append({ entity: 'signature', entityId: signature.id, op: 'update', payload: { id: signature.id, level: 'B-T', documentHash: put.hash } });
      });
      run.upgraded++;
    } catch (err) {
      const reason = err instanceof AppError ? err.code : 'INTERNAL';
      options.log.warn('signature timestamp upgrade failed', { signatureId: signature.id, err });
      store.transaction(() => {
        store.signatures.upgradeFailed(signature.id, reason);
        store.audit.append({ actor: options.actor, action: 'signature.timestamp-failed', entity: 'letter', entityId: signature.letterId, details: { signatureId: signature.id, reason } });
      });
      run.failed++;
      // The TSA is still away: the rest would fail the same way; the next run tries again.
      if (reason === 'TSA_UNAVAILABLE') break;
    }
  }
  return run;
}
