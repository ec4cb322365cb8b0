// One request at a time writes a blob. A newer request for the same blob waits until the older one
// has gone quiet — no bytes for `quietMs` — and then stops it: an older request still delivering
// bytes (the last bytes of a desk's dropped connection, still coming in; a second desk sending the
// same scan) is let finish, and one whose desk has gone (a half-open connection the server has not
// noticed) is stopped instead of waited for. Per process: several instances writing one blob store
// are kept apart by the store's offset check.
import type { Readable } from 'node:stream';
import { setTimeout as sleep } from 'node:timers/promises';

interface Lane {
  /** Since when the request has been waiting for bytes; null while it is writing some. */
  idleSince: number | null;
  stop(): void;
  done: Promise<void>;
}

export type UploadLanes = <T>(sha256: string, body: Readable, work: (data: AsyncIterable<Uint8Array>) => Promise<T>) => Promise<T>;

export function createUploadLanes(quietMs = 1000): UploadLanes {
  const lanes = new Map<string, Lane>();

  async function stopWhenQuiet(lane: Lane): Promise<void> {
    for (;;) {
      const finished = await Promise.race([lane.done.then(() => true), sleep(quietMs / 4).then(() => false)]);
      if (finished) return;
      if (lane.idleSince !== null && Date.now() - lane.idleSince >= quietMs) {
        lane.stop();
        await lane.done;
        return;
      }
    }
  }

  return async function exclusive<T>(sha256: string, body: Readable, work: (data: AsyncIterable<Uint8Array>) => Promise<T>): Promise<T> {
    for (let current = lanes.get(sha256); current; current = lanes.get(sha256)) await stopWhenQuiet(current);
    let release = () => {};
    const lane: Lane = { idleSince: Date.now(), stop: () => body.destroy(), done: new Promise<void>((resolve) => { release = resolve; }) };
    lanes.set(sha256, lane);
    async function* watched(): AsyncGenerator<Uint8Array> {
      const pieces = body[Symbol.asyncIterator]() as AsyncIterator<Uint8Array>;
      for (;;) {
        lane.idleSince = Date.now();
        const next = await pieces.next();
        lane.idleSince = null;
        if (next.done) return;
        yield next.value;
      }
    }
    try {
      return await work(watched());
    } finally {
      lanes.delete(sha256);
      release();
    }
  };
}
