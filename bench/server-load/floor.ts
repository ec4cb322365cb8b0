// The server-load bench's baseline: Fastify over the same TLS certificate, answering every route the
// desks call at once with a reply of the right shape and no database, no auth, no blob store — the
// transport floor (TLS, HTTP, JSON) of the same request mix on the same machine.
//   node bench/server-load/floor.ts <cert.pem> <key.pem>    prints {"url": …} once listening
import { readFileSync } from 'node:fs';
import Fastify from 'fastify';
import { chunkContentType } from '../../common/protocol/blobs.ts';

const [certFile, keyFile] = process.argv.slice(2);
const app = Fastify({ logger: false, bodyLimit: 8 * 1024 * 1024, https: { cert: readFileSync(certFile!), key: readFileSync(keyFile!) } });
app.addContentTypeParser(chunkContentType, { parseAs: 'buffer' }, (_req, body, done) => done(null, body));
const scanBytes = Buffer.alloc(50_000, 7);

app.get('/sync/pull', async (req) => ({ changes: [], cursor: Number((req.query as { cursor?: string }).cursor ?? 0), hasMore: false }));
app.post('/sync/push', async (req) => ({ results: (req.body as { mutations: { id: string }[] }).mutations.map((m) => ({ id: m.id, status: 'applied' })) }));
app.post('/numbering/lease', async (req, reply) => {
  const body = req.body as { book: string; year: number; count: number };
  return reply.code(201).send({ leaseId: '00000000-0000-4000-8000-000000000000', book: body.book, year: body.year, first: 1, last: body.count });
});
app.post('/blobs', async (req) => ({ ...(req.body as { sha256: string; size: number }), offset: 0, complete: false, maxChunkBytes: 8 * 1024 * 1024 }));
app.patch('/blobs/:sha256/upload', async (req) => {
  const size = (req.body as Buffer).length;
  return { sha256: (req.params as { sha256: string }).sha256, size, offset: size, complete: true };
});
app.get('/blobs/:sha256', async (_req, reply) => reply.type('application/pdf').send(scanBytes));

const address = await app.listen({ host: '127.0.0.1', port: 0 });
console.log(JSON.stringify({ url: address }));
process.once('SIGTERM', () => void app.close().then(() => process.exit(0)));
