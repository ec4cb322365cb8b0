// The office's kop and templates at its desks, through the real server (SQLite and PostgreSQL): the admin
// kantor of the Dinas Kesehatan saves a new agency line, a new closing for the nota dinas and a new logo;
// a drafter's desk gets them at its next sync and its new drafts print them (pdftotext reads the line,
// the logo's blue shows where the shipped logo was), while a draft started before keeps the shipped kop
// (in the office's own name, as every draft written before the office saved its own).
// Offline, the desk keeps using the last version it received; a later version changes new drafts only.
// A desk of another office keeps the shipped defaults, in its own name.
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../common/logger.ts';
import { chunkContentType } from '../../common/protocol/blobs.ts';
import type { NaskahVersionData } from '../../common/protocol/naskah.ts';
import { demoPassword } from '../../server/demo/seed.ts';
import { createTransfers, type Transfers } from '../../main/documents/transfers.ts';
import { draftingHandlers, draftRenderer } from '../../main/letters/drafting/drafting.ts';
import { naskahHandlers } from '../../main/letters/drafting/naskah.ts';
import { layout } from '../../main/letters/drafting/render.ts';
import { naskahSource, shippedLetterhead, shippedTemplates } from '../../main/letters/drafting/templates.ts';
import { sampleDraft } from '../support/drafts.ts';
import { drawnLogo, pngClaiming } from '../support/logos.ts';
import { renderPage, type Rendered } from '../support/pdf-render.ts';
import { createTestTls, type TestTls } from '../support/tls.ts';
import { backendNames, Databases, startTestServer, type Session, type TestServer } from '../support/server.ts';
import { startTestDesk, type TestDesk } from '../support/sync-desk.ts';

const ctx = { origin: 'test' as const };
/** The shipped kop, in the office's own name until its admin saves one (the shipped agency's e-mail line left out). */
const shippedKop = (office: string) => ({ agency: office, contact: '' });
const newAgency = 'DINAS KESEHATAN DAN KELUARGA BERENCANA';
const newClosing = 'Demikian disampaikan untuk menjadi perhatian dan pelaksanaan.';

let tls: TestTls;
let work: string;
beforeAll(() => { tls = createTestTls(); work = mkdtempSync(join(tmpdir(), 'loket-naskah-desks-')); });
afterAll(() => { for (const dir of [tls.dir, work]) rmSync(dir, { recursive: true, force: true }); });

/** pdftotext of the letter's first page, whitespace folded. */
function textOf(pdf: Uint8Array, name: string): string {
  const file = join(work, `${name}.pdf`);
  writeFileSync(file, pdf);
  return execFileSync('pdftotext', ['-f', '1', '-l', '1', file, '-']).toString('utf8').replace(/\s+/g, ' ');
}

/** Strongly blue pixels where the letterhead's logo sits (the test logo is a blue ring; the shipped one is not blue). */
function bluePixelsInLogo(page: Rendered, dpi: number): number {
  const px = (pt: number) => Math.round((pt * dpi) / 72);
  const x0 = px(layout.margin.left);
  const y0 = px(layout.margin.top);
  const side = px(layout.kop.logoHeight);
  let blue = 0;
  for (let y = y0; y < y0 + side; y++) {
    for (let x = x0; x < x0 + side; x++) {
      const i = (y * page.width + x) * 4;
      if (page.rgba[i + 2]! > 170 && page.rgba[i]! < 90 && page.rgba[i + 1]! < 110) blue++;
    }
  }
  return blue;
}

describe.each(backendNames())('on %s', (backend) => {
  const databases = new Databases(backend);
  let srv: TestServer;
  const desks: TestDesk[] = [];
  beforeAll(async () => { srv = await startTestServer({ databases, tls }); });
  afterAll(async () => {
    for (const d of desks) await d.close();
    await srv?.close();
    databases.stop();
  });

  /** A desk signed in as `username` with its Konsep handlers rendering with the kop kept on it, as core.ts wires them. */
  async function desk(username: string) {
    const d = await startTestDesk({ serverUrl: srv.url, caFile: tls.trusted.caCert });
    desks.push(d);
    await d.sync.auth.login(username, demoPassword);
    const transfers: Transfers = createTransfers(join(work, `${username}-${desks.length}`), createLogger({ level: 'error' }));
    const renderer = draftRenderer(d.blobs, naskahSource({ kept: d.store.naskah, officeId: () => d.sync.session.user()?.officeId ?? null, officeName: () => d.sync.session.user()?.officeName ?? null }));
    const konsep = draftingHandlers({ store: d.store, blobs: d.blobs, transfers, renderer, actor: () => d.sync.session.user()?.id ?? 'desk', changed: () => undefined });
    const sync = async () => expect(await d.sync.engine.syncNow()).toMatchObject({ lastError: null });
    /** A nota dinas drafted and filled in; its preview's PDF bytes. */
    const draft = async () => {
      const created = await konsep['drafting.create']({ type: 'nota_dinas' }, ctx);
      const nota = (await konsep['drafting.templates']({}, ctx)).templates.find((t) => t.type === 'nota_dinas')!;
      const saved = await konsep['drafting.save']({ id: created.id, version: created.version, content: { ...sampleDraft(nota), hal: 'Laporan cakupan imunisasi' } }, ctx);
      return { id: saved.id, naskahVersion: saved.content.naskahVersion };
    };
    const preview = async (id: string) => {
      const ref = await konsep['drafting.preview']({ id }, ctx);
      const pieces: Buffer[] = [];
      for (let offset = 0; offset < ref.size;) {
        const { chunk } = await transfers.read(ref.fileId, offset);
        pieces.push(chunk);
        offset += chunk.length;
      }
      return new Uint8Array(Buffer.concat(pieces));
    };
    return { d, konsep, sync, draft, preview };
  }

  async function saveAsAdmin(admin: Session, agency: string, logo: Buffer | null, basedOn: string | null): Promise<NaskahVersionData> {
    let logoSha256: string | null = null;
    if (logo) {
      logoSha256 = createHash('sha256').update(logo).digest('hex');
      await srv.call('POST', '/blobs', { token: admin.accessToken, json: { sha256: logoSha256, size: logo.length } });
      await srv.call('PATCH', `/blobs/${logoSha256}/upload`, { token: admin.accessToken, body: logo, headers: { 'content-type': chunkContentType, 'upload-offset': '0' } });
    }
    const { logo: _shipped, ...lines } = shippedLetterhead();
    const templates = shippedTemplates().map((t) => t.type !== 'nota_dinas' ? t : { ...t, body: [...t.body.slice(0, -1), { kind: 'paragraph' as const, runs: [{ text: newClosing }] }] });
    const r = await srv.call('PUT', '/admin/offices/office-dinkes/naskah', { token: admin.accessToken, json: { letterhead: { ...lines, agency, logoSha256 }, templates, basedOn } });
    expect(r.status, r.body.toString()).toBe(200);
    return r.json as NaskahVersionData;
  }

  it('a drafter\'s desk prints the kop and closing its admin saved, after sync and offline; earlier drafts keep theirs; another office keeps the shipped kop', async () => {
    const drafter = await desk('staf.dinkes');
    await drafter.sync();
    const before = await drafter.draft();
    expect(before.naskahVersion).toBeUndefined();

    const admin = await srv.login('admin.dinkes', 'desk-naskah-admin');
    const v1 = await saveAsAdmin(admin, newAgency, await drawnLogo('png', [0.1, 0.2, 0.9]), null);
    // Not on the desk until it syncs.
    expect((await drafter.konsep['drafting.templates']({}, ctx)).letterhead).toMatchObject(shippedKop('DINAS KESEHATAN'));
    await drafter.sync();
    const templates = await drafter.konsep['drafting.templates']({}, ctx);
    expect(templates.letterhead.agency).toBe(newAgency);
    expect(templates.templates.find((t) => t.type === 'nota_dinas')!.body.at(-1)).toEqual({ kind: 'paragraph', runs: [{ text: newClosing }] });

    const after = await drafter.draft();
    expect(after.naskahVersion).toBe(v1.id);
    const edited = await drafter.preview(after.id);
    expect(textOf(edited, 'edited')).toContain(newAgency);
    expect(textOf(edited, 'edited')).toContain(newClosing);
    const old = await drafter.preview(before.id);
    expect(textOf(old, 'old')).toMatch(/DINAS KESEHATAN(?! DAN)/);
    expect(textOf(old, 'old')).not.toContain(newAgency);
    expect(textOf(old, 'old')).not.toContain(shippedLetterhead().contact);
    expect(textOf(old, 'old')).not.toContain(shippedLetterhead().agency);
    // The logo: the admin's blue ring where the shipped logo was.
    const dpi = 100;
    expect(bluePixelsInLogo(renderPage(edited, { work, name: 'edited-page', dpi }), dpi)).toBeGreaterThan(1500);
    expect(bluePixelsInLogo(renderPage(old, { work, name: 'old-page', dpi }), dpi)).toBeLessThan(50);

    // Offline, the last version received is what new drafts get.
    drafter.d.store.settings.update({ serverUrl: 'https://127.0.0.1:9' }, 'test');
    await drafter.d.sync.engine.syncNow();
    const offline = await drafter.draft();
    expect(offline.naskahVersion).toBe(v1.id);
    expect(textOf(await drafter.preview(offline.id), 'offline')).toContain(newAgency);
    drafter.d.store.settings.update({ serverUrl: srv.url }, 'test');

    // A later version changes new drafts, not the ones already written.
    const v2 = await saveAsAdmin(admin, 'DINAS KESEHATAN', null, v1.id);
    await drafter.sync();
    const latest = await drafter.draft();
    expect(latest.naskahVersion).toBe(v2.id);
    expect(textOf(await drafter.preview(latest.id), 'v2')).toMatch(/DINAS KESEHATAN (?!DAN)/);
    expect(textOf(await drafter.preview(after.id), 'v1-again')).toContain(newAgency);

    const disdik = await desk('staf.disdik');
    await disdik.sync();
    expect((await disdik.konsep['drafting.templates']({}, ctx)).letterhead).toMatchObject(shippedKop('DINAS PENDIDIKAN DAN KEBUDAYAAN'));
    expect((await disdik.draft()).naskahVersion).toBeUndefined();
  });
  it('the admin kantor saves from the desk through the server; offline, another role or a broken logo is refused in Indonesian before anything is sent', async () => {
    const admin = await desk('admin.dinkes');
    await admin.sync();
    let online = true;
    const editorFor = (d: TestDesk) => naskahHandlers({
      store: d.store, transfers: createTransfers(join(work, `editor-${desks.length}`), createLogger({ level: 'error' })),
      source: naskahSource({ kept: d.store.naskah, officeId: () => d.sync.session.user()?.officeId ?? null }),
      user: () => d.sync.session.user(), online: () => online, client: d.sync.client, accessToken: () => d.sync.auth.accessToken(), log: createLogger({ level: 'error' }),
    });
    const editor = editorFor(admin.d);
    const start = await editor['naskah.get']({}, ctx);
    expect(start).toMatchObject({ canEdit: true, online: true });
    const logo = await drawnLogo('jpeg', [0.8, 0.5, 0.1]);
    const letterhead = { ...start.letterhead, agency: 'DINAS KESEHATAN KOTA DUMAI', logo: logo.toString('base64') };

    online = false;
    await expect(editor['naskah.save']({ letterhead, templates: start.templates, basedOn: start.versionId }, ctx))
      .rejects.toMatchObject({ code: 'NASKAH_OFFLINE', message: expect.stringMatching(/memerlukan sambungan ke server kantor/) });
    online = true;
    const broken = { ...letterhead, logo: pngClaiming(await drawnLogo('png', [0, 0, 0]), 500, 500).toString('base64') };
    await expect(editor['naskah.preview']({ letterhead: broken, template: start.templates[0]! }, ctx)).rejects.toMatchObject({ code: 'VALIDATION', message: expect.stringMatching(/rusak/) });
    await expect(editor['naskah.save']({ letterhead: broken, templates: start.templates, basedOn: start.versionId }, ctx)).rejects.toMatchObject({ code: 'VALIDATION' });

    const saved = await editor['naskah.save']({ letterhead, templates: start.templates, basedOn: start.versionId }, ctx);
    // Kept on the admin's desk at once, the logo's bytes with it.
    expect(saved.version).toBeGreaterThanOrEqual(1);
    expect(saved.letterhead).toMatchObject({ agency: 'DINAS KESEHATAN KOTA DUMAI', logo: logo.toString('base64') });
    // A second editor still on the old version is told to reload, in Indonesian.
    await expect(editor['naskah.save']({ letterhead, templates: start.templates, basedOn: start.versionId }, ctx))
      .rejects.toMatchObject({ code: 'NASKAH_REFUSED', message: expect.stringMatching(/sudah diubah dari meja lain/) });

    const staff = await desk('staf.dinkes');
    await staff.sync();
    const staffEditor = editorFor(staff.d);
    expect(await staffEditor['naskah.get']({}, ctx)).toMatchObject({ canEdit: false, versionId: saved.versionId, letterhead: { logo: logo.toString('base64') } });
    await expect(staffEditor['naskah.save']({ letterhead, templates: start.templates, basedOn: saved.versionId }, ctx)).rejects.toMatchObject({ code: 'NASKAH_ADMIN_ONLY' });
  });
});
