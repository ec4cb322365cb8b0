// The signatures made at this desk (main/sign/batch.ts writes them, main/sign/upgrade.ts moves
// B-B ones to B-T). Rows are written inside the transaction that marks the letter signed, with the
// letter's outbox mutation and audit entry, so a signature is never recorded half.
import { uuidv7 } from '../../common/ids.ts';
import type { StoreContext } from './store.ts';
import { problemOf } from './sync.ts';

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
  /**
   * The letters whose signature made here the server refused — its record (signature.record) or the
   * draft's signing (draft.sign) — with the server's reason, until a person deals with the entry in
   * Antrian Sinkron. The signed file and the letter stay on this desk.
   */
  refusedByServer(): { letterId: string; code: string; reason: string; at: string }[];
  /** The outbox entries of this letter the server refused (its registration, signature, draft signing). */
  refusedEntries(letterId: string): number[];
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
  const refused = db.prepare(`SELECT json_extract(payload, '$.letterId') AS letterId, last_error AS lastError, created_at AS createdAt FROM outbox
    WHERE state = 'rejected' AND ((entity = 'signature' AND op = 'create') OR (entity = 'draft' AND op = 'sign')) ORDER BY seq`);
  const refusedOfLetter = db.prepare(`SELECT seq FROM outbox WHERE state = 'rejected' AND ((entity = 'letter' AND entity_id = @letterId)
    OR (((entity = 'signature' AND op = 'create') OR (entity = 'draft' AND op = 'sign')) AND json_extract(payload, '$.letterId') = @letterId)) ORDER BY seq`).pluck();
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
    refusedEntries: (letterId) => refusedOfLetter.all({ letterId }) as number[],
    refusedByServer() {
      const byLetter = new Map<string, { letterId: string; code: string; reason: string; at: string }>();
      for (const row of refused.all() as { letterId: string | null; lastError: string | null; createdAt: string }[]) {
        // The signature's own refusal names the reason; the draft's that follows it says the same thing again.
        if (row.letterId === null || byLetter.has(row.letterId)) continue;
        const problem = problemOf(row.lastError, row.createdAt);
        byLetter.set(row.letterId, { letterId: row.letterId, code: problem?.code ?? 'UNKNOWN', reason: problem?.message ?? '', at: problem?.at ?? row.createdAt });
      }
      return [...byLetter.values()];
    },
  };
}
