// The Periksa report as PDF takes whatever text a checked file carried (signer names, field names,
// problems): the fuzz suite of the desk found that a control character in it made the report fail
// (Helvetica's WinAnsi cannot encode U+0000). Any text now renders, what the font lacks shown as '?'.
import { PDFDocument } from 'pdf-lib';
import { describe, expect, it } from 'vitest';
import type { ValidationReportView } from '../../common/ipc/sign.ts';
import { validationReportPdf } from '../../main/sign/report-pdf.ts';

const signer = { commonName: '&A', subjectSerialNumber: null, issuerCommonName: 'GfU`V', validFrom: 'x', validTo: '>$=V' };
/** The payload the fuzz suite found (seed 4242), as the router parsed it. */
const found: ValidationReportView = {
  fileName: '0190f000-0000-7000-8000-000000000abc', documentHash: 'a\u0000b', verdict: 'unsigned', document: { state: 'too-large', problem: '' },
  signatures: [{
    kind: 'document-timestamp', fieldName: null, signer,
    signingTime: null, integrity: 'unsupported', coverage: 'whole', additions: [],
    changes: [{ page: null, object: null, description: 'JY' }, { page: null, object: null, description: 'position-disdik-staf' }],
    permittedChanges: [{ page: null, object: null, description: '0190f000-0000-7000-8000-000000000abc' }],
    trust: 'trusted', timestamp: null, revocation: { status: 'not-checked', producedAt: '!A} z' }, verdict: 'warning', problems: ['\\{(4K', 'fD7w1'], warnings: [],
  }],
  warnings: [], valid: true,
} as ValidationReportView;

describe('the Periksa report PDF', () => {
  it('renders the payload the fuzz suite found (a U+0000 in the hash)', async () => {
    const pdf = await validationReportPdf(found, 'Asia/Jakarta');
    expect((await PDFDocument.load(pdf)).getPageCount()).toBeGreaterThan(0);
  });

  it('renders control characters, Arabic, right-to-left marks and emoji as \'?\'', async () => {
    const odd = '\u0000\u0007\u001b\u007f\u0081 \u202Eكتاب 😀 ﷺ\r\n\t';
    const pdf = await validationReportPdf({ ...found, fileName: odd, documentHash: odd, signatures: [{ ...found.signatures[0]!, problems: [odd], signer: { ...signer, commonName: odd } }] }, 'Asia/Jakarta');
    expect((await PDFDocument.load(pdf)).getPageCount()).toBeGreaterThan(0);
  });
});
