// The signatures made at this desk (main/sign/batch.ts writes them, main/sign/upgrade.ts moves
// B-B ones to B-T). Rows are written inside the transaction that marks the letter signed, with the
// letter's outbox mutation and audit entry, so a signature is never recorded half.
import { uuidv7 } from '../../common/ids.ts';
import type { StoreContext } from './store.ts';

export type SignatureLevel = 'B-B' | 'B-T' | 'B-LT';

export interface SignatureRow {
  id: string;
  letterId: string;
  documentHash: string;
  unsignedHash: string;
  certificateFingerprint: string;
  signerName: string;
  /** The signer's position as the stamp shows it ('' for signatures made before it was kept). */
  signerPosition: string;
  level: SignatureLevel;
  signedAt: string;
  upgradeAttempts: number;
  upgradeError: string | null;
  updatedAt: string;
}

export type NewSignature = Pick<SignatureRow, 'letterId' | 'documentHash' | 'unsignedHash' | 'certificateFingerprint' | 'signerName' | 'signerPosition' | 'level' | 'signedAt'>;

export interface SignaturesRepository {
  /** Must run inside the transaction that marks the letter signed. */
  insert(signature: NewSignature): SignatureRow;
  forLetter(letterId: string): SignatureRow[];
  /** B-B signatures waiting for their timestamp, oldest first. */
  awaitingTimestamp(limit?: number): SignatureRow[];
  /** The signature now stands at `level` over `documentHash` (after a timestamp upgrade). */
  upgraded(id: string, level: SignatureLevel, documentHash: string): void;
  /** One more failed upgrade attempt, and why. */
  upgradeFailed(id: string, reason: string): void;
  /** Ids of the outgoing letters in the ready-to-sign state, oldest first. */
  readyToSignLetterIds(): string[];
}

const select = `SELECT id, letter_id AS letterId, document_hash AS documentHash, unsigned_hash AS unsignedHash,
  certificate_fingerprint AS certificateFingerprint, signer_name AS signerName, signer_position AS signerPosition, level, signed_at AS signedAt,
  upgrade_attempts AS upgradeAttempts, upgrade_error AS upgradeError, updated_at AS updatedAt FROM signatures`;

export function signaturesRepository(ctx: StoreContext): SignaturesRepository {
  const { db } = ctx;
  const insert = db.prepare(`INSERT INTO signatures (id, letter_id, document_hash, unsigned_hash, certificate_fingerprint, signer_name, signer_position, level, signed_at, updated_at)
    VALUES (@id, @letterId, @documentHash, @unsignedHash, @certificateFingerprint, @signerName, @signerPosition, @level, @signedAt, @updatedAt)`);
  const byLetter = db.prepare(`${select} WHERE letter_id = ? ORDER BY signed_at`);
  const waiting = db.prepare(`${select} WHERE level = 'B-B' ORDER BY signed_at LIMIT ?`);
  const setLevel = db.prepare('UPDATE signatures SET level = ?, document_hash = ?, upgrade_error = NULL, updated_at = ? WHERE id = ?');
  const ready = db.prepare("SELECT id FROM letters WHERE direction = 'outgoing' AND status = 'ready_to_sign' ORDER BY seq").pluck();
  const failed = db.prepare('UPDATE signatures SET upgrade_attempts = upgrade_attempts + 1, upgrade_error = ?, updated_at = ? WHERE id = ?');
  return {
    insert(signature) {
      if (!db.inTransaction) throw new Error('store: signatures.insert must run inside the transaction that marks the letter signed');
      const at = ctx.now();
      const row: SignatureRow = { id: uuidv7(at.getTime()), ...signature, upgradeAttempts: 0, upgradeError: null, updatedAt: at.toISOString() };
      insert.run(row);
      return row;
    },
    forLetter: (letterId) => byLetter.all(letterId) as SignatureRow[],
    awaitingTimestamp: (limit = 50) => waiting.all(limit) as SignatureRow[],
    upgraded: (id, level, documentHash) => { setLevel.run(level, documentHash, ctx.now().toISOString(), id); },
    upgradeFailed: (id, reason) => { failed.run(reason, ctx.now().toISOString(), id); },
    readyToSignLetterIds: () => ready.all() as string[],
  };
}
