// poppler's pdfsig as the independent validator of the signing tests, with the test CA trusted in
// a private NSS store. pdfsig exits 0 even when a signature is broken, so its report is parsed,
// signature by signature.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface PdfsigSignature { field: string; signature: string; certificate: string; total: boolean }

/** An NSS database in `dir` that trusts `caCertPath` as an issuer for every usage. */
export function createNssTrustStore(dir: string, caCertPath: string): string {
  mkdirSync(dir, { recursive: true });
  execFileSync('certutil', ['-N', '-d', `sql:${dir}`, '--empty-password']);
  // "C,C,C": pdfsig checks signer certificates for the e-mail/document signing usage, which "C,,"
  // (TLS only) does not cover.
  execFileSync('certutil', ['-A', '-d', `sql:${dir}`, '-n', 'loket-test-ca', '-t', 'C,C,C', '-i', caCertPath]);
  return dir;
}

/** Writes `pdf` to `work/<name>.pdf` and runs pdfsig on it. */
export function pdfsig(pdf: Uint8Array, options: { work: string; name: string; nssDir: string }): { signatures: PdfsigSignature[]; output: string } {
  const path = join(options.work, `${options.name}.pdf`);
  writeFileSync(path, pdf);
  const run = spawnSync('pdfsig', ['-nssdir', `sql:${options.nssDir}`, path], { encoding: 'utf8' });
  const output = `${run.stdout}\n${run.stderr}`;
  const signatures = run.stdout.split(/^Signature #\d+:$/m).slice(1).map((block) => ({
    field: /Signature Field Name: (.*)/.exec(block)?.[1] ?? '',
    signature: /Signature Validation: (.*)/.exec(block)?.[1] ?? '',
    certificate: /Certificate Validation: (.*)/.exec(block)?.[1] ?? '',
    total: /^\s*- Total document signed/m.test(block),
  }));
  return { signatures, output };
}
