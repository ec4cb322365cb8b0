// The token as the desk really uses it: the PKCS#11 module loaded in the device worker process
// (forked from the sources), main asking it over the worker protocol, and the PAdES signature
// assembled in main. Real SoftHSM2 token, keys generated on it.
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PDFDocument } from 'pdf-lib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectingLogger } from '../../common/logger.ts';
import { DeviceWorkerHost, forkSpawner } from '../../main/devices/host.ts';
import type { DeviceEvent } from '../../main/devices/protocol.ts';
import { signPdf } from '../../main/sign/pades/sign.ts';
import { deviceTokenSigner } from '../../main/sign/signers/token.ts';
import { validatePdf } from '../../main/sign/pades/validate.ts';
import { createTestToken, type TestToken } from '../support/softhsm.ts';

let token: TestToken;
let host: DeviceWorkerHost;
const log = collectingLogger();

beforeAll(async () => {
  token = createTestToken();
  host = new DeviceWorkerHost({ spawner: forkSpawner, log, env: { SOFTHSM2_CONF: token.conf, LOKET_LOG_LEVEL: 'warn' } });
  await host.start();
});
afterAll(async () => {
  await host?.stop();
  token?.cleanup();
});

describe('the token in the device worker', () => {
  it('offers the installed module, lists the token, and refuses a wrong PIN with the reason', async () => {
    expect(await host.request('token.modules', {})).toContainEqual(expect.objectContaining({ path: token.module }));
    expect(await host.request('token.list', { modulePath: token.module })).toEqual([expect.objectContaining({ label: token.label, serial: token.serial })]);
    await expect(host.request('token.login', { modulePath: token.module, serial: token.serial, pin: '000000' })).rejects.toMatchObject({ code: 'PIN_INCORRECT' });
  });

  it('tells the desk the driver path is wrong instead of crashing the worker', async () => {
    await expect(host.request('token.list', { modulePath: '/usr/lib/tidak-ada/opensc-pkcs11.so' })).rejects.toMatchObject({ code: 'TOKEN_MODULE_MISSING' });
    expect(host.status().state).toBe('running');
  });

  it('signs a letter: PIN once, signature computed in the worker, valid for pdfsig and for us', async () => {
    const { sessionId, certificates } = await host.request('token.login', { modulePath: token.module, serial: token.serial, pin: token.pin });
    expect(certificates.map((c) => c.info.commonName)).toContain('Budi Santoso');
    const doc = await PDFDocument.create();
    doc.addPage([595, 842]);
    const letter = await doc.save();
    const signed = await signPdf(letter, { signer: await deviceTokenSigner(host, { sessionId, certificateId: token.keys.rsa.id }) });

    const path = join(token.dir, 'worker-signed.pdf');
    writeFileSync(path, signed.pdf);
    const pdfsig = spawnSync('pdfsig', [path], { encoding: 'utf8' });
    expect(pdfsig.stdout).toContain('Signature Validation: Signature is Valid.');
    expect(validatePdf(signed.pdf, { trustAnchors: [token.ca.certDer] }).valid).toBe(true);
    await host.request('token.logout', { sessionId });
    await expect(host.request('token.sign', { signerId: 'sesudah-logout', data: new Uint8Array([1]) })).rejects.toMatchObject({ code: 'TOKEN_FAILED' });
  });

  it('notices the token being pulled out while the app runs', async () => {
    expect(await host.request('token.watch', { modulePath: token.module, intervalMs: 100 })).toHaveLength(1);
    const changed = new Promise<DeviceEvent>((resolve) => {
      const off = host.onEvent((event) => {
        if (event.name === 'token.changed') { off(); resolve(event); }
      });
    });
    token.remove();
    expect((await changed).payload).toEqual({ modulePath: token.module, tokens: [] });
  });
});
