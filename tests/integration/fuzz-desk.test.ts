// Every IPC channel of the desk, fed at least 10 000 generated malformed payloads (tests/support/fuzz.ts)
// through the real router of a real desk (createCore, as both shells start it) signed in to a real
// server: payloads from each channel's zod request schema bent every way, ids of another office's
// letters, people and positions. Channels come from the contract (common/ipc/index.ts), so a new one is
// fuzzed without editing this file. Every call must be answered, none with INTERNAL or STORAGE_FAILED
// (the desk's 5xx), nothing may reject unhandled, and the desk still answers honestly afterwards. The
// seed is fixed (LOKET_FUZZ_SEED to try another); a failure prints it with the payload.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { z } from 'zod';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { uuidv7 } from '../../common/ids.ts';
import { collectingLogger } from '../../common/logger.ts';
import { channels, type Channel, type InvokeResult } from '../../common/ipc/index.ts';
import { createCore, type Core } from '../../main/app/core.ts';
import { openStore } from '../../main/store/store.ts';
import { demoPassword } from '../../server/demo/seed.ts';
import { generateAgenda, insertAgenda } from '../support/generated-agenda.ts';
import { createTestTls, type TestTls } from '../support/tls.ts';
import { Databases, startTestServer, type TestServer } from '../support/server.ts';
import { fuzzSeed, payloadFor, TimeShares, type FuzzPools, type JsonSchema } from '../support/fuzz.ts';

const calls = 10_000;
/** A call not answered in this time counts as a hang. */
const answerWithinMs = 20_000;
const ctx = { origin: 'test' } as const;
/** What each channel may take of the run (tests/support/fuzz.ts TimeShares). */
const shareMs = 1_000;

describe('the desk under generated malformed IPC payloads', () => {
  let tls: TestTls;
  const databases = new Databases('sqlite');
  let srv: TestServer;
  let core: Core;
  let dataDir: string;
  const unhandled: unknown[] = [];
  const onUnhandled = (reason: unknown) => { unhandled.push(reason); };

  beforeAll(async () => {
    process.on('unhandledRejection', onUnhandled);
    tls = createTestTls();
    srv = await startTestServer({ databases, tls });
    dataDir = mkdtempSync(join(tmpdir(), 'loket-fuzz-desk-'));
    openStore(join(dataDir, 'loket.db'), { log: collectingLogger() }).close();
    insertAgenda(join(dataDir, 'loket.db'), generateAgenda(50));
    core = await createCore({ dataDir, shell: 'browser-host', version: 'uji', log: collectingLogger(), serverCaFile: tls.trusted.caCert });
    expect(await core.router.call('settings.update', { serverUrl: srv.url, deskName: 'Meja Uji' }, ctx)).toMatchObject({ ok: true });
    expect(await core.router.call('auth.login', { username: 'admin.dinkes', password: demoPassword }, ctx)).toMatchObject({ ok: true });
  }, 120_000);
  afterAll(async () => {
    process.off('unhandledRejection', onUnhandled);
    await core?.close();
    await srv?.close();
    databases.stop();
    rmSync(tls.dir, { recursive: true, force: true });
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it(`answers ${calls} of them, none as an internal failure, and an honest call afterwards`, async () => {
    const names = Object.keys(channels) as Channel[];
    expect(names.length).toBeGreaterThan(50);
    const pools: FuzzPools = { ids: [uuidv7(), uuidv7(), 'office-disdik', 'user-staf-disdik', 'position-disdik-staf', 'a'.repeat(64), '0190f000-0000-7000-8000-000000000abc', '/etc/passwd', join(dataDir, 'loket.db')] };
    const schemaOf = new Map<Channel, JsonSchema | undefined>(names.map((c) => {
      try {
        return [c, z.toJSONSchema(channels[c].request as z.ZodType, { io: 'input', unrepresentable: 'any' }) as JsonSchema];
      } catch {
        return [c, undefined];
      }
    }));
    const call = fc.constantFrom(...names).chain((channel) => fc.record({ channel: fc.constant(channel), payload: payloadFor(schemaOf.get(channel), schemaOf.get(channel) ?? {}, pools) }));

    let sent = 0;
    const shares = new TimeShares(shareMs);
    const outcomes = new Map<string, number>();
    const started = Date.now();
    await fc.assert(fc.asyncProperty(call, async ({ channel, payload }) => {
      fc.pre(shares.allows(channel));
      // Now and then the admin signs in again: a fuzzed sign-out must not leave the rest of the run at the door.
      if (sent % 500 === 0) await core.router.call('auth.login', { username: 'admin.dinkes', password: demoPassword }, ctx);
      const t0 = Date.now();
      let timer: NodeJS.Timeout | undefined;
      const hang = new Promise<'hang'>((resolve) => { timer = setTimeout(() => resolve('hang'), answerWithinMs); });
      const result = await Promise.race([core.router.dispatch(channel, payload, ctx), hang]);
      clearTimeout(timer);
      shares.spent(channel, Date.now() - t0);
      sent++;
      if (result === 'hang') throw new Error(`${channel}: no answer in ${answerWithinMs} ms`);
      const r = result as InvokeResult<Channel>;
      const outcome = r.ok ? 'ok' : r.error.code;
      outcomes.set(outcome, (outcomes.get(outcome) ?? 0) + 1);
      if (!r.ok && (r.error.code === 'INTERNAL' || r.error.code === 'STORAGE_FAILED')) throw new Error(`${channel} answered ${r.error.code}: ${r.error.message}`);
    }), { numRuns: calls, seed: fuzzSeed(), endOnFailure: true, maxSkipsPerRun: 1_000 });
    console.info(`[fuzz] desk: ${sent} calls over ${names.length} channels in ${((Date.now() - started) / 1000).toFixed(1)} s, seed ${fuzzSeed()}; `
      + `outcomes ${JSON.stringify(Object.fromEntries(outcomes))}; used their ${shareMs} ms share: ${shares.exhausted().join(', ') || 'none'}`);
    expect(sent).toBeGreaterThanOrEqual(calls);
    expect(unhandled).toEqual([]);

    // Still itself: the letters it held are there, and it answers as before.
    expect(await core.router.call('app.info', {}, ctx)).toMatchObject({ ok: true });
    const letters = await core.router.call('letters.search', {}, ctx);
    expect(letters.ok && letters.value.length).toBeGreaterThan(0);
    expect(await core.router.call('storage.status', {}, ctx)).toMatchObject({ ok: true, value: { state: 'ok' } });
  }, 600_000);
});
