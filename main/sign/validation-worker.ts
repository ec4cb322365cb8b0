// The worker thread Periksa's checks run in (see validation.ts): it takes a file's bytes and the
// trust anchors and answers with the report, so the desk's main thread never parses a received PDF.
import { parentPort } from 'node:worker_threads';
import { validatePdf } from './pades/validate.ts';
import type { ValidationReply, ValidationRequest } from './validation.ts';

const port = parentPort;
if (port === null) throw new Error('the validation worker must run in a worker thread');

port.on('message', (request: ValidationRequest) => {
  let reply: ValidationReply;
  try {
    const report = validatePdf(request.bytes, { trustAnchors: request.trustAnchors, ...(request.now === undefined ? {} : { now: new Date(request.now) }) });
    reply = { id: request.id, ok: true, report };
  } catch (err) {
    reply = { id: request.id, ok: false, error: { name: (err as Error | null)?.name ?? 'Error', message: String((err as Error | null)?.message ?? err), stack: (err as Error | null)?.stack ?? null } };
  }
  port.postMessage(reply);
});
