// MuPDF's mutool as the second independent validator of the signing tests (poppler's pdfsig is the
// first), and as another tool that edits PDFs in incremental updates, as any recipient could.
// `mutool sign -v` exits 0 whatever it finds, so its report is parsed signature by signature.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface MutoolSignature {
  /** The signed bytes hash to what the signature says. */
  digestOk: boolean;
  /** "there have been edits since signing": bytes follow the signature's range. */
  edits: boolean;
  /** "cn=…, o=…" of the signer, as MuPDF reads it from the CMS. */
  signer: string;
}

/** Writes `pdf` to `work/<name>.pdf` and runs `mutool sign -v` on it. */
export function mutoolVerify(pdf: Uint8Array, options: { work: string; name: string }): { signatures: MutoolSignature[]; output: string } {
  const path = join(options.work, `${options.name}.pdf`);
  writeFileSync(path, pdf);
  const run = spawnSync('mutool', ['sign', '-v', path], { encoding: 'utf8', timeout: 60_000 });
  const output = `${run.stdout}\n${run.stderr}`;
  const signatures = run.stdout.split(/^Verifying signature \d+:$/m).slice(1).map((block) => ({
    digestOk: !/Digest error/i.test(block) && /The (document is unchanged|signature is valid)/.test(block),
    edits: !/The document is unchanged since signing/.test(block),
    signer: /Distinguished name: (.*)/.exec(block)?.[1]?.trim() ?? '',
  }));
  return { signatures, output };
}

const editScript = `
var doc = new PDFDocument(scriptArgs[0]);
var what = scriptArgs[2];
if (what === 'annotation') { var page = doc.loadPage(0); var a = page.createAnnotation('Text'); a.setContents('catatan'); a.setRect([100, 100, 120, 120]); a.update(); }
if (what === 'content') { doc.findPage(0).put('Contents', doc.addStream('1 1 1 rg 0 0 595 842 re f 0 0 1 rg 60 600 300 60 re f', {})); }
if (what === 'info') { doc.setMetaData('info:Title', 'Judul diganti'); }
if (what === 'page') { doc.insertPage(-1, doc.addPage([0, 0, 595, 842], 0, null, '0 0 1 rg 60 600 300 60 re f')); }
if (what === 'fill') { var w = doc.loadPage(0).getWidgets(); for (var i = 0; i < w.length; i++) if (w[i].getFieldType() === 'text') { w[i].setTextValue(scriptArgs[3]); w[i].update(); } }
doc.save(scriptArgs[1], 'incremental');
`;

/** Edits `pdf` with MuPDF and saves the edit as an incremental update, as MuPDF-based viewers do. */
export function mutoolEdit(pdf: Uint8Array, edit: 'annotation' | 'content' | 'info' | 'page' | 'fill', options: { work: string; name: string; value?: string }): Uint8Array {
  const script = join(options.work, 'mutool-edit.js');
  writeFileSync(script, editScript);
  const input = join(options.work, `${options.name}-in.pdf`);
  const output = join(options.work, `${options.name}.pdf`);
  writeFileSync(input, pdf);
  const run = spawnSync('mutool', ['run', script, input, output, edit, options.value ?? ''], { encoding: 'utf8', timeout: 60_000 });
  if (run.status !== 0) throw new Error(`mutool run failed: ${run.stderr}`);
  return new Uint8Array(readFileSync(output));
}
