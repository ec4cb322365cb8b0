// The agency's CA certificate, as the admin picks it in Pengaturan: checked to be X.509 certificates
// (PEM bundle or a single DER file), kept as PEM in the data folder, and handed to the HTTPS client.
// A CA given at launch (--server-ca, LOKET_SERVER_CA) is the installer's or the administrator's
// explicit choice for that run, so it wins over the one kept here; Pengaturan says which is in use.
import { X509Certificate } from 'node:crypto';
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../../common/errors.ts';
import type { ServerCa } from '../../common/ipc/sync.ts';

export interface ServerCaStore {
  /** The CA file the HTTPS client uses, or undefined for the system's roots. */
  file(): string | undefined;
  /** Changes whenever the CA in use changes, so the client is built afresh. */
  version(): number;
  describe(): ServerCa;
  /** Keeps the certificate(s) in `bytes` (PEM or DER); VALIDATION when they are not certificates. */
  set(bytes: Buffer): ServerCa;
  clear(): ServerCa;
}

const pemBlock = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

function parse(bytes: Buffer): X509Certificate[] {
  const text = bytes.toString('latin1');
  const blocks = text.match(pemBlock);
  try {
    if (blocks) return blocks.map((b) => new X509Certificate(b));
    return [new X509Certificate(bytes)];
  } catch {
    return [];
  }
}

const commonName = (dn: string) => /(?:^|\n)CN=([^\n]+)/.exec(dn)?.[1] ?? dn.split('\n').join(', ');

export function createServerCaStore(options: { dataDir: string; optionFile?: string | undefined; now?: () => Date }): ServerCaStore {
  const kept = join(options.dataDir, 'server-ca.pem');
  const now = options.now ?? (() => new Date());
  let version = 0;

  function file(): string | undefined {
    if (options.optionFile) return options.optionFile;
    return existsSync(kept) ? kept : undefined;
  }

  function describe(): ServerCa {
    const source = options.optionFile ? 'option' : existsSync(kept) ? 'settings' : 'none';
    const path = file();
    let certificates: X509Certificate[] = [];
    if (path) {
      try { certificates = parse(readFileSync(path)); } catch { certificates = []; }
    }
    return {
      source,
      file: source === 'option' ? path ?? null : null,
      certificates: certificates.map((c) => ({
        subject: commonName(c.subject),
        issuer: commonName(c.issuer),
        validFrom: new Date(c.validFrom).toISOString(),
        validTo: new Date(c.validTo).toISOString(),
        expired: new Date(c.validTo) < now(),
        isCa: c.ca,
        fingerprint: c.fingerprint256,
      })),
    };
  }

  return {
    file,
    version: () => version,
    describe,
    set(bytes) {
      const certificates = parse(bytes);
      if (certificates.length === 0) throw new AppError('SERVER_CA_INVALID');
      const pem = certificates.map((c) => c.toString().trim()).join('\n') + '\n';
      // Written whole or not at all: the client never reads half a bundle.
      writeFileSync(`${kept}.tmp`, pem, { mode: 0o644 });
      renameSync(`${kept}.tmp`, kept);
      version++;
      return describe();
    },
    clear() {
      rmSync(kept, { force: true });
      version++;
      return describe();
    },
  };
}
