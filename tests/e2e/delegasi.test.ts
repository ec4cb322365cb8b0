// Delegasi end to end (the browser host, Debian's Chromium, one server): the admin kantor of the Dinas
// Kesehatan opens Delegasi, is told a Plt cannot be made for a position that has its holder, makes the
// Sekretaris Plh of the Kepala Dinas with the head's approval, sees it in effect once synced; at the
// Sekretaris's desk the delegation shows among those in effect, without the admin's form; a draft the
// staff sends to the head for signature then waits in her Tanda Tangan, its block to read
// "Plh. Kepala Dinas Kesehatan" — and it is gone from there once the head is back early. Made Plh
// again, she signs a draft at her desk while its network is cut, as the head signs it at his: the
// server refuses hers with the reason, she voids it (batal) and its QR page says so. Beside the
// delegations, the admin marks the document types no Plh/Plt may sign: refused while the desk's network
// is cut (the ticks stay), saved once it is back, and another desk shows the office's list.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { formatCalendarDate, localDate } from '../../common/dates.ts';
import { uuidv7 } from '../../common/ids.ts';
import { shippedTemplates } from '../../main/letters/drafting/templates.ts';
import { demoPassword } from '../../server/demo/seed.ts';
import { sampleDraft } from '../support/drafts.ts';
import { createTestToken, type TestToken } from '../support/softhsm.ts';
import { launchChromium } from '../support/desk.ts';
import { officeDesks, type OfficeDesks } from '../support/office-desks.ts';
import { Databases, startTestServer, type TestServer } from '../support/server.ts';
import { createTestTls, type TestTls } from '../support/tls.ts';

const screenshots = join(import.meta.dirname, 'screenshots');
const nota = shippedTemplates().find((t) => t.type === 'nota_dinas')!;

describe('Delegasi', () => {
  const databases = new Databases('sqlite');
  let tls: TestTls;
  let srv: TestServer;
  let browser: Browser;
  let office: OfficeDesks;
  let sekretaris: Page;
  let admin: Page;
  let token: TestToken;

  beforeAll(async () => {
    tls = createTestTls();
    srv = await startTestServer({ databases, tls });
    token = createTestToken();
    browser = await launchChromium();
    office = officeDesks({ srv, tls, browser: () => browser, name: 'delegasi' });
  });
  afterAll(async () => {
    await browser?.close();
    await office?.close();
    await srv?.close();
    databases.stop();
    token?.cleanup();
    rmSync(tls.dir, { recursive: true, force: true });
  });

  it('the admin makes the Sekretaris Plh of the Kepala Dinas, and her desk shows it in effect', async () => {
    admin = await office.signIn(await office.deskFor(), 'admin.dinkes', { width: 1280, height: 1000 });
    await admin.getByTestId('nav-delegasi').click();
    await admin.getByTestId('screen-delegasi').waitFor();
    const form = admin.getByTestId('delegation-form');
    await form.waitFor({ timeout: 20_000 });
    // The structure reaches the desk with the first sync.
    await expect.poll(async () => (await admin.getByTestId('delegation-position').locator('option').count()), { timeout: 20_000 }).toBeGreaterThan(5);
    await admin.getByTestId('delegation-position').selectOption('position-dinkes-penandatangan');
    await expect.poll(() => form.innerText()).toContain('Dijabat Dr. Ahmad Fauzi: pilih Plh.');
    await admin.getByTestId('delegation-kind-plt').check();
    await admin.getByTestId('delegation-delegate').selectOption('user-verifikator-dinkes');
    const today = localDate(new Date(), 'Asia/Jakarta');
    const later = localDate(new Date(Date.now() + 3 * 86_400_000), 'Asia/Jakarta');
    await admin.getByTestId('delegation-from').fill(today);
    await admin.getByTestId('delegation-until').fill(later);
    await admin.getByTestId('delegation-reason').fill('Cuti tahunan');
    await admin.getByTestId('delegation-approver').fill('Dr. Ahmad Fauzi');
    await admin.getByTestId('delegation-approver-position').fill('Kepala Dinas Kesehatan');
    await admin.getByTestId('delegation-approved-on').fill(today);
    await admin.getByTestId('delegation-reference').fill('800/41/Dinkes/2026');
    await admin.getByTestId('delegation-submit').click();
    await expect.poll(() => admin.getByTestId('delegation-form-error').innerText()).toContain('masih dijabat Dr. Ahmad Fauzi');

    await admin.getByTestId('delegation-kind-plh').check();
    await admin.getByTestId('delegation-submit').click();
    const row = admin.getByTestId('delegations-current').getByTestId('delegation-row');
    await row.waitFor();
    expect(await row.innerText()).toMatch(/Kepala Dinas Kesehatan[\s\S]*Plh\. Sri Handayani[\s\S]*800\/41\/Dinkes\/2026/);
    // From today: from the moment it was recorded; to its last day, a whole day at the office.
    expect(await row.getByTestId('delegation-period').innerText()).toMatch(new RegExp(`^${formatCalendarDate(today, 'id')} \\d{2}\\.\\d{2} WIB – ${formatCalendarDate(later, 'id')}$`));
    // Sent at the next sync; the row is then the server's.
    await expect.poll(() => admin.getByTestId('delegation-pending').count(), { timeout: 30_000 }).toBe(0);
    await admin.screenshot({ path: join(screenshots, 'delegasi.png'), fullPage: true });

    sekretaris = await office.signIn(await office.deskFor(), 'verifikator.dinkes', { width: 1280, height: 1000 });
    await sekretaris.getByTestId('nav-delegasi').click();
    const mine = sekretaris.getByTestId('delegations-current').getByTestId('delegation-row');
    await mine.waitFor({ timeout: 30_000 });
    expect(await mine.innerText()).toContain('Plh. Sri Handayani');
    expect(await sekretaris.getByTestId('delegation-form').count()).toBe(0);
    expect(await sekretaris.getByTestId('delegation-end').count()).toBe(0);
  });

  it("during the period the head's draft waits in the Sekretaris's Tanda Tangan, to be signed as Plh.", async () => {
    // The staff member's desk sends a nota dinas straight to the head (no verifiers), as Konsep does.
    const staff = await srv.login('staf.dinkes', 'desk-delegasi-staf');
    const draftId = uuidv7();
    const hal = 'Permohonan data cakupan imunisasi triwulan IV';
    const content = { ...sampleDraft(nota), hal, signer: { position: 'Kepala Dinas Kesehatan', name: 'Dr. Ahmad Fauzi', rank: 'Pembina Utama Muda (IV/c)', nip: '197001011995031001' } };
    const now = () => new Date().toISOString();
    expect(await srv.pushOne(staff, 'draft.save', { draftId, version: 1, type: 'nota_dinas', content, attachments: [], status: 'draft', letterId: null, savedAt: now() })).toMatchObject({ status: 'applied' });
    expect(await srv.pushOne(staff, 'draft.submit', { draftId, version: 1, verifiers: [], signerId: 'user-penandatangan-dinkes', classificationCode: '440', submittedAt: now() })).toMatchObject({ status: 'applied' });

    await sekretaris.getByTestId('nav-tanda-tangan').click();
    const row = sekretaris.locator('.tt-letter').filter({ hasText: hal });
    await row.waitFor({ timeout: 60_000 });
    expect(await row.locator('[data-testid^="signing-as-"]').innerText()).toContain('Plh. Kepala Dinas Kesehatan');
    expect(await row.locator('[data-testid="waiting-for"]').innerText()).toContain('Dr. Ahmad Fauzi');
    await sekretaris.screenshot({ path: join(screenshots, 'tanda-tangan-plh.png'), fullPage: true });

    // Marked strategic by the office, the nota dinas says at her letter, before any PIN, that a Plh may not sign it; unmarked, it is hers again.
    const officeAdmin = await srv.login('admin.dinkes', 'desk-delegasi-admin-server');
    expect(await srv.pushOne(officeAdmin, 'delegation.strategic_types', { documentTypes: ['nota_dinas'] })).toMatchObject({ status: 'applied' });
    const refusal = row.locator('[data-testid^="letter-refusal-"]');
    await expect.poll(async () => {
      await sekretaris.getByTestId('nav-beranda').click();
      await sekretaris.getByTestId('nav-tanda-tangan').click();
      await row.waitFor({ timeout: 30_000 });
      return refusal.count();
    }, { timeout: 60_000 }).toBe(1);
    expect(await refusal.innerText()).toContain('Sri Handayani memegang jabatannya sebagai Plh., yang tidak berwenang menandatanganinya (UU 30/2014 pasal 14)');
    expect(await srv.pushOne(officeAdmin, 'delegation.strategic_types', { documentTypes: [] })).toMatchObject({ status: 'applied' });
    await expect.poll(async () => {
      await sekretaris.getByTestId('nav-beranda').click();
      await sekretaris.getByTestId('nav-tanda-tangan').click();
      await row.waitFor({ timeout: 30_000 });
      return refusal.count();
    }, { timeout: 60_000 }).toBe(0);

    // The head is back early: once her desk hears it, the letter is no longer hers to sign.
    await admin.getByTestId('nav-delegasi').click();
    await admin.getByTestId('delegation-end').click();
    await admin.getByTestId('delegation-end-reason').fill('Kepala Dinas kembali bertugas');
    await admin.getByTestId('delegation-end-confirm').click();
    await expect.poll(() => admin.getByTestId('delegation-pending').count(), { timeout: 30_000 }).toBe(0);
    await sekretaris.getByTestId('nav-beranda').click();
    await sekretaris.getByTestId('nav-tanda-tangan').click();
    await expect.poll(() => sekretaris.locator('.tt-letter').filter({ hasText: hal }).count(), { timeout: 60_000 }).toBe(0);
  });

  it('a draft the head and his Plh both signed (hers offline): the server keeps his, hers is refused with the reason, she voids it, and its QR page says it is void', async () => {
    const year = Number(localDate(new Date(), 'Asia/Jakarta').slice(0, 4));
    const now = () => new Date().toISOString();
    const officeAdmin = await srv.login('admin.dinkes', 'desk-delegasi-admin-again');
    expect(await srv.pushOne(officeAdmin, 'delegation.create', {
      delegationId: uuidv7(), positionId: 'position-dinkes-penandatangan', delegateUserId: 'user-verifikator-dinkes', kind: 'plh', startsAt: now(), endsAt: new Date(Date.now() + 2 * 86_400_000).toISOString(),
      approval: { approverName: 'Dr. Ahmad Fauzi', approverPosition: 'Kepala Dinas Kesehatan', approvedOn: localDate(new Date(), 'Asia/Jakarta'), reference: '800/44/Dinkes/2026' }, reason: 'Dinas luar',
    })).toMatchObject({ status: 'applied' });
    // Her desk, with the token, holds outgoing numbers leased during the period.
    const plhDesk = await office.deskFor({
      cuttable: true, env: { SOFTHSM2_CONF: token.conf, LOKET_TOKEN_MODULE: token.module },
      async prepare(desk) {
        await desk.sync.auth.login('verifikator.dinkes', demoPassword);
        const block = await desk.sync.numberBlocks.lease('out', year, 5);
        desk.store.agenda.addLeasedBlock({ leaseId: block.leaseId, book: 'out', year: block.year, first: block.first, last: block.last }, 'test');
        await desk.sync.auth.logout();
      },
    });
    const staff = await srv.login('staf.dinkes', 'desk-delegasi-staf-again');
    const draftId = uuidv7();
    const hal = 'Laporan kejadian luar biasa campak';
    const content = { ...sampleDraft(nota), hal, signer: { position: 'Kepala Dinas Kesehatan', name: 'Dr. Ahmad Fauzi', rank: 'Pembina Utama Muda (IV/c)', nip: '197001011995031001' } };
    expect(await srv.pushOne(staff, 'draft.save', { draftId, version: 1, type: 'nota_dinas', content, attachments: [], status: 'draft', letterId: null, savedAt: now() })).toMatchObject({ status: 'applied' });
    expect(await srv.pushOne(staff, 'draft.submit', { draftId, version: 1, verifiers: [], signerId: 'user-penandatangan-dinkes', classificationCode: '440', submittedAt: now() })).toMatchObject({ status: 'applied' });

    const plh = await office.signIn(plhDesk, 'verifikator.dinkes', { width: 1280, height: 1000 });
    await plh.getByTestId('nav-tanda-tangan').click();
    const letter = plh.locator('.tt-letter').filter({ hasText: hal }).locator('input[type="checkbox"]');
    await letter.waitFor({ timeout: 60_000 });
    // Her network goes; she signs it at her desk.
    plhDesk.link!.cut();
    await expect.poll(() => plh.getByTestId('connectivity').getAttribute('data-state'), { timeout: 40_000 }).toBe('offline');
    await plh.getByTestId('token-login').click();
    await plh.getByTestId('pin-input').fill(token.pin);
    await plh.getByTestId('pin-submit').click();
    await plh.getByTestId('token-open').waitFor({ timeout: 30_000 });
    await plh.getByTestId(`cert-${token.keys.rsa.id}`).check();
    await letter.check();
    await plh.getByTestId('sign-button').click();
    await plh.getByTestId('sign-confirm-ok').click();
    await expect.poll(() => plh.locator('[data-outcome="signed"]').count(), { timeout: 60_000 }).toBe(1);

    // Meanwhile the head, back at his desk, signs the same draft with a number of his own.
    const head = await srv.login('penandatangan.dinkes', 'desk-delegasi-head');
    const lease = await srv.call('POST', '/numbering/lease', { token: head.accessToken, json: { book: 'out', year, count: 1 } });
    const headLetter = uuidv7();
    expect(await srv.pushOne(head, 'letter.register', {
      letterId: headLetter, direction: 'out', year, agendaNumber: (lease.json as { first: number }).first, receivedAt: null, letterNumber: `440/${(lease.json as { first: number }).first}/Dinkes/${year}`,
      letterDate: localDate(new Date(), 'Asia/Jakarta'), sender: 'Dinas Kesehatan', addressee: 'Kepala Puskesmas', subject: hal, summary: '', urgency: 'biasa', security: 'biasa', classification: '440', attachments: [],
    })).toMatchObject({ status: 'applied' });
    expect(await srv.pushOne(head, 'draft.sign', { draftId, version: 1, letterId: headLetter, signedAt: now() })).toMatchObject({ status: 'applied' });

    // Back online, her signature is refused with the reason, at the letter.
    plhDesk.link!.restore();
    const refused = plh.getByTestId('refused-signatures').locator('.tt-letter').filter({ hasText: hal });
    await refused.waitFor({ timeout: 60_000 });
    expect(await refused.locator('[role="alert"]').innerText()).toMatch(/Konsep ini sudah ditandatangani oleh Dr\. Ahmad Fauzi pada .+; tanda tangan kedua tidak diterima server\. Batalkan surat ini/);
    const letterId = (await refused.getAttribute('data-testid'))!.replace('refused-', '');
    await plh.screenshot({ path: join(screenshots, 'tanda-tangan-ditolak.png'), fullPage: true });

    // She voids hers, with the reason offered.
    await refused.getByTestId('void-open').click();
    expect(await refused.getByTestId('void-reason').inputValue()).toMatch(/^Tanda tangan ditolak server: Konsep ini sudah ditandatangani/);
    await refused.getByTestId('void-reason').fill('Rangkap: Kepala Dinas sudah menandatangani konsep ini.');
    await refused.getByTestId('void-confirm').click();
    await expect.poll(() => plh.getByTestId('refused-signatures').count(), { timeout: 30_000 }).toBe(0);
    await plh.getByTestId('nav-surat-keluar').click();
    const row = plh.getByTestId('sk-row').filter({ hasText: hal });
    expect(await row.getByTestId('sk-row-status').innerText()).toBe('batal');
    await row.click();
    expect(await plh.getByTestId('sk-void-notice').innerText()).toContain('Rangkap: Kepala Dinas sudah menandatangani konsep ini.');
    expect(await plh.getByTestId('sk-detail-signerName').innerText()).toBe('Sri Handayani (Plh. Kepala Dinas Kesehatan)');
    expect(await plh.getByTestId('sk-not-sendable').count()).toBe(0);

    // The QR of her letter now says it is void; his stands.
    const visitor = await (await browser.newContext({ viewport: { width: 900, height: 900 }, locale: 'id-ID', ignoreHTTPSErrors: true })).newPage();
    await expect.poll(async () => {
      await visitor.goto(`${srv.url}/verifikasi?id=${letterId}`);
      return visitor.locator('[data-status]').getAttribute('data-status');
    }, { timeout: 60_000 }).toBe('void');
    expect(await visitor.locator('main').innerText()).toContain('Rangkap: Kepala Dinas sudah menandatangani konsep ini.');
    await visitor.screenshot({ path: join(screenshots, 'verifikasi-batal.png'), fullPage: true });
    await visitor.close();
  });

  it('the admin marks the strategic document types: refused offline with the ticks kept, saved once connected, shown at another desk', async () => {
    const adminDesk = await office.deskFor({ cuttable: true });
    const admin = await office.signIn(adminDesk, 'admin.dinkes', { width: 1280, height: 1000 });
    await admin.getByTestId('nav-delegasi').click();
    const panel = admin.getByTestId('strategic-types');
    await panel.waitFor({ timeout: 20_000 });
    expect(await panel.innerText()).toContain('Plh/Plt tidak boleh menandatangani jenis naskah ini — UU 30/2014 pasal 14');
    expect(await admin.getByTestId('strategic-save').isDisabled()).toBe(true);
    await admin.getByTestId('strategic-surat_edaran').check();
    await admin.getByTestId('strategic-nota_dinas').check();

    // The network goes: saving is refused with the reason, and the ticks stay on screen.
    adminDesk.link!.cut();
    await expect.poll(() => admin.getByTestId('connectivity').getAttribute('data-state'), { timeout: 40_000 }).toBe('offline');
    await admin.getByTestId('strategic-save').click();
    expect(await admin.getByTestId('strategic-error').innerText()).toContain('hanya dapat diubah saat meja ini tersambung ke server kantor');
    expect(await admin.getByTestId('strategic-nota_dinas').isChecked()).toBe(true);
    expect(await admin.getByTestId('strategic-surat_edaran').isChecked()).toBe(true);

    adminDesk.link!.restore();
    await expect.poll(() => admin.getByTestId('connectivity').getAttribute('data-state'), { timeout: 40_000 }).toBe('online');
    await admin.getByTestId('strategic-save').click();
    // The offline refusal goes once the save is taken; the office's list (set before on the server) then shows this one.
    await expect.poll(() => admin.getByTestId('strategic-error').count(), { timeout: 30_000 }).toBe(0);
    await expect.poll(() => admin.getByTestId('strategic-state').innerText(), { timeout: 30_000 }).toContain('Ditetapkan kantor');
    expect(await admin.getByTestId('strategic-nota_dinas').isChecked()).toBe(true);
    expect(await admin.getByTestId('strategic-surat_undangan').isChecked()).toBe(false);
    await panel.screenshot({ path: join(screenshots, 'delegasi-strategis.png') });

    const staff = await office.signIn(await office.deskFor(), 'staf.dinkes', { width: 1280, height: 1000 });
    await staff.getByTestId('nav-delegasi').click();
    const theirs = staff.getByTestId('strategic-nota_dinas');
    await theirs.waitFor({ timeout: 20_000 });
    await expect.poll(() => theirs.isChecked(), { timeout: 30_000 }).toBe(true);
    expect(await theirs.isDisabled()).toBe(true);
    expect(await staff.getByTestId('strategic-surat_edaran').isChecked()).toBe(true);
    expect(await staff.getByTestId('strategic-save').count()).toBe(0);
    expect(await staff.getByTestId('strategic-state').innerText()).toContain('Hanya admin kantor');
  });
});
