// MuPDF's `mutool sign -v` as a second independent validator beside pdfsig: it recomputes each
// signature's digest over its byte range and says whether the document changed since. It exits 0
// whatever it finds, so its report is parsed signature by signature. (It has no trust store option,
// so the chain is judged by pdfsig; MuPDF's verdict here is the digest and the changes.)
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface MutoolSignature {
  /** The signature field's object number, as mutool names it. */
  object: number;
  /** "cn=…, o=…" of the signer, as MuPDF reads it from the CMS. */
  signer: string;
  /** The digest over the byte range matches the CMS (no "Digest error"). */
  digestValid: boolean;
  /** "The document is unchanged since signing." */
  unchanged: boolean;
  text: string;
}

/** Writes `pdf` to `work/<name>.pdf` and runs `mutool sign -v` on it. */
export function mutoolVerify(pdf: Uint8Array, options: { work: string; name: string }): { signatures: MutoolSignature[]; output: string } {
  const path = join(options.work, `${options.name}.pdf`);
  writeFileSync(path, pdf);
  const run = spawnSync('mutool', ['sign', '-v', path], { encoding: 'utf8' });
  const output = `${run.stdout}\n${run.stderr}`;
  const signatures = run.stdout.split(/^(?=Verifying signature \d+:)/m).filter((b) => b.startsWith('Verifying signature')).map((block) => ({
    object: Number(/^Verifying signature (\d+):/.exec(block)?.[1]),
    signer: /Distinguished name: (.*)/.exec(block)?.[1]?.trim() ?? '',
    digestValid: !/Digest error/i.test(block) && !/not signed/i.test(block),
    unchanged: /The document is unchanged since signing\./.test(block),
    text: block.trim(),
  }));
  return { signatures, output };
}
