// Content-addressed files in the server's API: a resumable upload keyed by SHA-256 (declare, append
// at an offset, verified on the last byte) and ranged downloads. The requests the server validates
// and the replies the desk reads. Imports zod and common/ only.
import { z } from 'zod';
import { Sha256 } from './primitives.ts';

/** Largest blob accepted; sizes stay within a 32-bit integer column on both databases. */
export const maxBlobBytes = 1024 * 1024 * 1024;
/** Content type of an upload chunk (PATCH /blobs/:sha256/upload), as in the tus protocol. */
export const chunkContentType = 'application/offset+octet-stream';

export const CreateBlobBody = z.object({ sha256: Sha256, size: z.number().int().min(0).max(maxBlobBytes) }).strict();
export const ShaParams = z.object({ sha256: Sha256 }).strict();

/** GET and PATCH /blobs/:sha256/upload: how much of the blob the server holds. */
export const UploadStateReply = z.object({
  sha256: Sha256,
  size: z.number().int().min(0),
  offset: z.number().int().min(0),
  complete: z.boolean(),
});
export type UploadStateReply = z.infer<typeof UploadStateReply>;

/** POST /blobs: the upload's state, and the most bytes the server takes per append (absent from servers before it said so). */
export const DeclaredUploadReply = UploadStateReply.extend({ maxChunkBytes: z.number().int().min(1).optional() });
export type DeclaredUploadReply = z.infer<typeof DeclaredUploadReply>;
