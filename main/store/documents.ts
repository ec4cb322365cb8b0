// Documents are content-addressed (DESIGN.md): a row per distinct SHA-256, so the same bytes are
// recorded once and a second scan of the same pages is recognised. The bytes live in the blob
// store (main/documents/); this table holds what the desk knows about them.
import type { StoreContext } from './store.ts';

export interface DocumentRow {
  /** SHA-256 of the bytes, lowercase hex. */
  hash: string;
  mediaType: string;
  /** null when the format has no pages the desk can count (yet). */
  pageCount: number | null;
  byteSize: number;
  originalName: string | null;
  createdAt: string;
}

/** A document saved from a scan that no agenda entry refers to yet and nobody discarded. */
export interface WaitingScan {
  hash: string;
  pageCount: number | null;
  /** When it was (last) saved from a scan. */
  savedAt: string;
}

export type NewDocument = Pick<DocumentRow, 'hash' | 'mediaType' | 'byteSize'> & Partial<Pick<DocumentRow, 'pageCount' | 'originalName'>>;

export interface DocumentsRepository {
  /** Records a document unless its hash is known; `created` is false for the same bytes seen again. */
  upsert(doc: NewDocument): { document: DocumentRow; created: boolean };
  get(hash: string): DocumentRow | undefined;
  /**
   * The scans waiting to be registered, oldest first, across restarts. Read from the activity log,
   * which records every save from a scan ('scan.saved') and every discard ('scan.discarded') of a
   * document: a scan is waiting while no letter refers to it and it was not discarded since it was
   * last saved (saving the same pages again after a discard brings it back).
   */
  waitingScans(): WaitingScan[];
}

export function documentsRepository(ctx: StoreContext): DocumentsRepository {
  const { db } = ctx;
  const insert = db.prepare(
    `INSERT INTO documents (hash, media_type, page_count, byte_size, original_name, created_at)
     VALUES (@hash, @mediaType, @pageCount, @byteSize, @originalName, @createdAt) ON CONFLICT (hash) DO NOTHING`,
  );
  const select = db.prepare(
    'SELECT hash, media_type AS mediaType, page_count AS pageCount, byte_size AS byteSize, original_name AS originalName, created_at AS createdAt FROM documents WHERE hash = ?',
  );
  const get = (hash: string) => select.get(hash) as DocumentRow | undefined;
  const selectWaiting = db.prepare(`
    SELECT d.hash, d.page_count AS pageCount, s.at AS savedAt
    FROM (SELECT entity_id, max(seq) AS seq, max(at) AS at FROM audit_log WHERE action = 'scan.saved' AND entity = 'document' GROUP BY entity_id) s
    JOIN documents d ON d.hash = s.entity_id
    WHERE NOT EXISTS (SELECT 1 FROM letters l WHERE l.document_hash = d.hash)
      AND NOT EXISTS (SELECT 1 FROM audit_log x WHERE x.action = 'scan.discarded' AND x.entity = 'document' AND x.entity_id = d.hash AND x.seq > s.seq)
    ORDER BY s.seq`);

  return {
    upsert(doc) {
      const created =
        insert.run({ hash: doc.hash, mediaType: doc.mediaType, pageCount: doc.pageCount ?? null, byteSize: doc.byteSize, originalName: doc.originalName ?? null, createdAt: ctx.now().toISOString() })
          .changes === 1;
      const document = get(doc.hash);
      if (!document) throw new Error(`store: document ${doc.hash} vanished right after being recorded`);
      return { document, created };
    },
    get,
    waitingScans: () => selectWaiting.all() as WaitingScan[],
  };
}
