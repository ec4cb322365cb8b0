// The worker thread Periksa's checks run in (see validation.ts): it takes a file's bytes and the
// trust anchors and answers with the file's SHA-256 and then the report, so the desk's main thread
// never hashes or parses a received PDF.
import { createHash } from 'node:crypto';
import { parentPort } from 'node:worker_threads';
import { validatePdf } from './pades/validate.ts';
import type { ValidationReply, ValidationRequest } from './validation.ts';

const port = parentPort;
if (port === null) throw new Error('the validation worker must run in a worker thread');

port.on('message', (request: ValidationRequest) => {
  // The hash first, on its own: a file that then exhausts the worker still gets its hash reported.
  port.postMessage({ id: request.id, kind: 'hash', documentHash: createHash('sha256').update(request.bytes).digest('hex') } satisfies ValidationReply);
  let reply: ValidationReply;
  try {
    const report = validatePdf(request.bytes, { trustAnchors: request.trustAnchors, ...(request.now === undefined ? {} : { now: new Date(request.now) }) });
    reply = { id: request.id, kind: 'report', ok: true, report };
  } catch (err) {
    reply = { id: request.id, kind: 'report', ok: false, error: { name: (err as Error | null)?.name ?? 'Error', message: String((err as Error | null)?.message ?? err), stack: (err as Error | null)?.stack ?? null } };
  }
  port.postMessage(reply);
});
