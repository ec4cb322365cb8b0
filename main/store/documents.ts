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

export type NewDocument = Pick<DocumentRow, 'hash' | 'mediaType' | 'byteSize'> & Partial<Pick<DocumentRow, 'pageCount' | 'originalName'>>;

export interface DocumentsRepository {
  /** Records a document unless its hash is known; `created` is false for the same bytes seen again. */
  upsert(doc: NewDocument): { document: DocumentRow; created: boolean };
  get(hash: string): DocumentRow | undefined;
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
  };
}
