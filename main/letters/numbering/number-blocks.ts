// Blocks of agenda numbers leased from the server, so a desk numbers letters while offline with
// final numbers that no other desk can give (server/numbering/routes.ts). The number reserve
// (number-reserve.ts) keeps the blocks and hands out numbers; it asks this source for a new block
// while the server is reachable, before its current one runs out.
import type { z } from 'zod';
import type { Book } from '../../../common/protocol/primitives.ts';
import { LeaseReply, UnusedNumbersReply } from '../../../common/protocol/numbering.ts';
import type { AuthService } from '../../auth/service.ts';
import { AppError } from '../../../common/errors.ts';
import { fromServerError } from '../../remote/errors.ts';
import { ServerError, type ServerClient } from '../../remote/client.ts';

/** A leased block: numbers `first` to `last` (inclusive), with the lease's id needed to report numbers that will never be used. */
export type LeasedBlock = LeaseReply;

export interface NumberBlockSource {
  /** A new block for this office, book and year; `count` asks for fewer than the server's block size. Throws AppError (SERVER_UNREACHABLE when offline). */
  lease(book: Book, year: number, count?: number): Promise<LeasedBlock>;
  /** Numbers of a lease this desk will never use (e.g. left over at year end); the server retires them. */
  reportUnused(leaseId: string, numbers: number[]): Promise<void>;
}

export function serverNumberBlocks(options: { client: () => ServerClient | undefined; auth: AuthService }): NumberBlockSource {
  async function call<S extends z.ZodType>(path: string, reply: S, json: unknown): Promise<z.output<S>> {
    try {
      const client = options.client();
      if (!client) throw new AppError('AUTH_NO_SERVER');
      return await client.json('POST', path, reply, { token: await options.auth.accessToken(), json });
    } catch (err) {
      throw err instanceof ServerError ? fromServerError(err) : err;
    }
  }
  return {
    lease: (book, year, count) => call('/numbering/lease', LeaseReply, { book, year, ...(count ? { count } : {}) }),
    async reportUnused(leaseId, numbers) { await call('/numbering/unused', UnusedNumbersReply, { leaseId, numbers }); },
  };
}
