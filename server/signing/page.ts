// The public verification page as HTML, in Bahasa Indonesia, self-contained (its style and script
// inline and allowed by hash in its Content-Security-Policy; nothing loaded from elsewhere). The
// visitor's file is checked in their own browser: WebCrypto hashes it and the page compares the hash
// with those of the signed letter, so the letter a citizen holds never leaves their computer, the
// server needs no upload endpoint to bound and guard, and a file of any size costs the server nothing.
import { createHash } from 'node:crypto';
import type { OfficeTimeZone } from '../../common/ipc/app.ts';
import { formatCalendarDate, formatMoment } from '../../common/dates.ts';

/** What the page may show of a signed letter, as its security classification allows. */
export type Verification =
  | { kind: 'none' }
  | { kind: 'malformed' }
  | { kind: 'not-found' }
  /** rahasia: only that a signed letter with this id exists, and whether it was voided. */
  | { kind: 'secret'; voided: Voided | null }
  | {
    kind: 'signed';
    /** The office voided (batal) the letter after it was signed: it stands for nothing any more. */
    voided: Voided | null;
    letterNumber: string;
    letterDate: string;
    /** null: not shown (terbatas). */
    subject: string | null;
    office: string;
    signatures: { name: string; position: string; signedAt: string; timeZone: OfficeTimeZone }[];
    /** SHA-256 of the signed file and of its later revisions. */
    fileHashes: string[];
  };

/** When the office voided the letter, and why (not shown for a rahasia letter). */
export interface Voided {
  at: string;
  reason: string;
  timeZone: OfficeTimeZone;
}

const style = `
:root { color-scheme: light; --ink: #1d2530; --muted: #5b6573; --line: #d7dce3; --ok: #116a3a; --ok-bg: #e7f5ec; --bad: #9b1c1c; --bad-bg: #fdecec; }
* { box-sizing: border-box; }
body { margin: 0; font: 16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif; color: var(--ink); background: #f4f6f9; }
main { max-width: 44rem; margin: 0 auto; padding: 2rem 1rem 3rem; }
h1 { font-size: 1.5rem; margin: 0 0 .25rem; }
h2 { font-size: 1.15rem; margin: 0 0 .5rem; }
.sub { color: var(--muted); margin: 0 0 1.5rem; }
.card { background: #fff; border: 1px solid var(--line); border-radius: 10px; padding: 1.25rem 1.5rem; margin-bottom: 1.25rem; }
.badge { display: inline-block; font-weight: 600; color: var(--ok); background: var(--ok-bg); border-radius: 999px; padding: .2rem .8rem; margin: 0 0 1rem; }
.badge.muted { color: var(--muted); background: #eef1f5; }
.badge.bad { color: var(--bad); background: var(--bad-bg); }
.void { color: var(--bad); background: var(--bad-bg); border-radius: 8px; padding: .75rem 1rem; margin: 0 0 1rem; }
dl { display: grid; grid-template-columns: 11rem 1fr; gap: .5rem 1rem; margin: 0; }
dt { color: var(--muted); }
dd { margin: 0; font-weight: 500; overflow-wrap: anywhere; grid-column: 2; }
.hidden-field { color: var(--muted); font-weight: 400; font-style: italic; }
.drop { display: block; border: 2px dashed var(--line); border-radius: 10px; padding: 1.5rem; text-align: center; cursor: pointer; }
.drop.over { border-color: var(--ink); background: #eef1f5; }
.drop input { display: block; margin: .75rem auto 0; }
#hasil { margin: 1rem 0 0; padding: .9rem 1rem; border-radius: 8px; display: none; }
#hasil[data-hasil] { display: block; }
#hasil[data-hasil="sesuai"] { color: var(--ok); background: var(--ok-bg); }
#hasil[data-hasil="tidak-sesuai"], #hasil[data-hasil="galat"] { color: var(--bad); background: var(--bad-bg); }
#hasil strong { display: block; font-size: 1.2rem; letter-spacing: .02em; }
form.code { display: flex; gap: .5rem; flex-wrap: wrap; }
form.code input { flex: 1 1 18rem; font: inherit; padding: .5rem .75rem; border: 1px solid var(--line); border-radius: 6px; }
form.code button { font: inherit; padding: .5rem 1rem; border-radius: 6px; border: 0; background: var(--ink); color: #fff; }
.note { color: var(--muted); font-size: .9rem; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
`;

const script = `
(() => {
  const out = document.getElementById('hasil');
  const input = document.getElementById('berkas');
  const zone = document.getElementById('jatuhkan');
  const expected = new Set(JSON.parse(document.getElementById('sidik').textContent));
  const maxBytes = 200 * 1024 * 1024;
  function show(kind, title, text) {
    out.dataset.hasil = kind;
    out.replaceChildren();
    const strong = document.createElement('strong');
    strong.textContent = title;
    out.append(strong, text);
  }
  async function check(file) {
    if (!file) return;
    if (!window.crypto || !crypto.subtle) {
      show('galat', 'Tidak dapat diperiksa', 'Peramban ini tidak dapat menghitung sidik berkas. Buka halaman ini dengan peramban yang lebih baru.');
      return;
    }
    if (file.size > maxBytes) {
      show('galat', 'Tidak dapat diperiksa', 'Berkas lebih besar dari 200 MB, sehingga tidak dapat diperiksa di sini.');
      return;
    }
    show('proses', 'Memeriksa…', 'Menghitung sidik berkas di peramban ini.');
    const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', await file.arrayBuffer()));
    const hex = Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
    if (expected.has(hex)) {
      show('sesuai', 'Sesuai', 'Berkas "' + file.name + '" sama persis dengan surat yang ditandatangani secara elektronik.');
    } else {
      show('tidak-sesuai', 'Tidak sesuai', 'Berkas "' + file.name + '" berbeda dari surat yang ditandatangani: berkas ini bukan surat itu, atau sudah diubah sesudah ditandatangani. Mintalah berkas aslinya kepada pengirim.');
    }
  }
  input.addEventListener('change', () => check(input.files[0]));
  // A file dropped anywhere on the page is checked, never opened in place of the page.
  document.addEventListener('dragover', (e) => { e.preventDefault(); zone.classList.add('over'); });
  document.addEventListener('dragleave', () => zone.classList.remove('over'));
  document.addEventListener('drop', (e) => {
    e.preventDefault();
    zone.classList.remove('over');
    check(e.dataTransfer && e.dataTransfer.files[0]);
  });
})();
`;

const cspHash = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`;

/** The page's Content-Security-Policy: nothing but its own inline style and script, no frames, forms to itself only. */
export const verificationPolicy = [
  "default-src 'none'", `style-src ${cspHash(style)}`, `script-src ${cspHash(script)}`, "form-action 'self'", "base-uri 'none'", "frame-ancestors 'none'",
].join('; ');

const escape = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** "2026-03-02" → "2 Maret 2026". */
function dateText(isoDate: string): string {
  return formatCalendarDate(isoDate, 'id', 'long');
}

/** The signing time as the letter's stamp shows it: at the office, with WIB/WITA/WIT. */
function timeText(iso: string, zone: OfficeTimeZone): string {
  return formatMoment(iso, zone, 'id', 'long');
}

function codeForm(value: string): string {
  return `<form class="code" method="get" action="">
    <label class="visually-hidden" for="kode">Kode verifikasi</label>
    <input id="kode" name="id" value="${escape(value)}" placeholder="Kode verifikasi dari kode QR surat" autocomplete="off" required>
    <button type="submit">Periksa</button>
  </form>`;
}

function body(v: Verification, id: string): string {
  switch (v.kind) {
    case 'none':
      return `<section class="card"><h2>Periksa surat</h2><p>Pindai kode QR pada tanda tangan elektronik surat, atau masukkan kode verifikasinya.</p>${codeForm('')}</section>`;
    case 'malformed':
      return `<section class="card" data-status="malformed"><h2>Kode tidak dikenal</h2><p>Kode verifikasi ini tidak berbentuk kode surat. Periksa lagi alamat dari kode QR, atau ketik kodenya.</p>${codeForm(id)}</section>`;
    case 'not-found':
      return `<section class="card" data-status="not-found"><h2>Surat tidak ditemukan</h2>
        <p>Tidak ada surat bertanda tangan elektronik dengan kode ini di server kantor. Surat yang baru ditandatangani tampil di sini setelah meja penanda tangan tersinkron dengan server; bila surat sudah lama ditandatangani, hubungi kantor pengirimnya.</p>${codeForm(id)}</section>`;
    case 'secret':
      return v.voided !== null
        ? `<section class="card" data-status="void"><p class="badge bad">Dibatalkan</p>
        <p data-field="void">Surat bertanda tangan elektronik dengan kode ini dibatalkan oleh kantor pengirimnya pada ${escape(timeText(v.voided.at, v.voided.timeZone))} dan <strong>tidak berlaku</strong>. Surat ini bersifat <strong>rahasia</strong>, sehingga keterangannya tidak ditampilkan di sini.</p></section>`
        : `<section class="card" data-status="secret"><p class="badge muted">Tercatat</p>
        <p data-field="secret">Surat bertanda tangan elektronik dengan kode ini tercatat di server kantor. Surat ini bersifat <strong>rahasia</strong>, sehingga keterangannya tidak ditampilkan di sini.</p></section>`;
    case 'signed': {
      const signers = v.signatures.map((s) => `<dd data-field="signer">${escape(s.name)}</dd>${s.position ? `<dd data-field="position">${escape(s.position)}</dd>` : ''}`).join('');
      const times = v.signatures.map((s) => `<dd data-field="signedAt">${escape(timeText(s.signedAt, s.timeZone))}</dd>`).join('');
      const subject = v.subject === null
        ? '<dd data-field="subject" class="hidden-field">tidak ditampilkan: surat ini bersifat terbatas</dd>'
        : `<dd data-field="subject">${escape(v.subject)}</dd>`;
      const status = v.voided === null
        ? '<section class="card" data-status="signed"><p class="badge">Tercatat: ditandatangani secara elektronik</p>'
        : `<section class="card" data-status="void"><p class="badge bad">Dibatalkan: surat ini tidak berlaku</p>
        <p data-field="void" class="void">Surat ini ditandatangani secara elektronik, lalu dibatalkan oleh kantor pengirimnya pada ${escape(timeText(v.voided.at, v.voided.timeZone))}. Alasan: ${escape(v.voided.reason || '-')}</p>`;
      return `${status}
        <dl>
          <dt>Nomor surat</dt><dd data-field="letterNumber">${escape(v.letterNumber)}</dd>
          <dt>Tanggal surat</dt><dd data-field="letterDate">${escape(dateText(v.letterDate))}</dd>
          <dt>Perihal</dt>${subject}
          <dt>Penanda tangan</dt>${signers}
          <dt>Kantor</dt><dd data-field="office">${escape(v.office)}</dd>
          <dt>Waktu tanda tangan</dt>${times}
        </dl></section>
        <section class="card"><h2>Cocokkan berkas Anda</h2>
        <p>Jatuhkan PDF surat yang Anda terima ke halaman ini, atau pilih berkasnya. Berkas tidak dikirim ke mana pun: sidiknya (SHA-256) dihitung di peramban ini lalu dicocokkan dengan sidik surat yang ditandatangani.</p>
        <label class="drop" id="jatuhkan">Jatuhkan berkas PDF di sini, atau pilih:<input type="file" id="berkas" accept="application/pdf,.pdf"></label>
        <div id="hasil" role="status" aria-live="polite"></div>
        <script type="application/json" id="sidik">${JSON.stringify(v.fileHashes)}</script>
        <script>${script}</script>
        ${v.voided === null ? '' : '<p class="note">Berkas yang sesuai pun tetap surat yang sudah dibatalkan.</p>'}
        <p class="note">Yang dicocokkan hanya isi berkas, bit demi bit. Untuk memeriksa tanda tangannya sendiri (sertifikat, waktu, keutuhan), buka PDF dengan aplikasi pembaca PDF yang dapat memeriksa tanda tangan elektronik.</p></section>`;
    }
  }
}

export function verificationPage(v: Verification, id: string): string {
  return `<!doctype html>
<html lang="id"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex">
<title>Verifikasi surat elektronik</title><style>${style}</style></head>
<body><main>
<h1>Verifikasi surat elektronik</h1>
<p class="sub">Halaman ini menunjukkan apakah sebuah surat tercatat ditandatangani secara elektronik di server kantor, dan mencocokkan berkas yang Anda pegang dengan surat itu.</p>
${body(v, id)}
</main></body></html>`;
}

/** The page a visitor meets who asked too often within a minute. */
export function throttledPage(retryAfter: number): string {
  return `<!doctype html>
<html lang="id"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="robots" content="noindex">
<title>Verifikasi surat elektronik</title><style>${style}</style></head>
<body><main><h1>Verifikasi surat elektronik</h1>
<section class="card" data-status="throttled"><h2>Terlalu banyak permintaan</h2><p>Terlalu banyak pemeriksaan dari alamat ini dalam satu menit. Tunggu ${retryAfter} detik lalu muat ulang halaman ini.</p></section>
</main></body></html>`;
}
