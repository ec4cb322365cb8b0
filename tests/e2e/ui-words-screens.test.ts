// The words check over every screen a person opens: each route of the navigation
// (renderer/src/features/registry.ts) is rendered in Chromium through the browser host for every
// role that sees it — operator, pejabat (verifier), kepala (signer) and admin kantor of the Dinas
// Kesehatan, on a desk with the real server — and the text it shows (and its placeholders, titles
// and labels for screen readers) is checked with tests/support/ui-words.ts: no English, no internal
// identifier, no error code. One desk, one browser, one sign-in per role.
import type { Page } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { availableFeatures } from '../../renderer/src/features/registry.ts';
import { officeInBrowser, signInOn, type OfficeDesk } from '../support/office-desks.ts';
import { rawWordIn } from '../support/ui-words.ts';

const roles = [
  ['operator', 'operator.dinkes'],
  ['pejabat', 'verifikator.dinkes'],
  ['kepala', 'penandatangan.dinkes'],
  ['admin', 'admin.dinkes'],
] as const;

/** Every piece of text the screen shows a person: its lines, and what it says in placeholders, titles and accessible labels. */
function shownText(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const doc = (globalThis as unknown as { document: { body: { innerText: string }; querySelectorAll(s: string): Iterable<{ getAttribute(n: string): string | null }> } }).document;
    const lines = doc.body.innerText.split('\n').map((l) => l.trim()).filter(Boolean);
    for (const el of doc.querySelectorAll('[placeholder], [title], [aria-label]')) {
      for (const name of ['placeholder', 'title', 'aria-label']) {
        const value = el.getAttribute(name);
        if (value) lines.push(value);
      }
    }
    return lines;
  });
}

describe('the words check over every screen, for every role', () => {
  const office = officeInBrowser('words');
  let desk: OfficeDesk;
  let page: Page;

  beforeAll(async () => {
    desk = await office.deskFor({ env: { SANE_CONFIG_DIR: '' } });
    page = await (await office.browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'id-ID' })).newPage();
  });

  it('shows no English, internal name or error code on any screen', async () => {
    const findings: string[] = [];
    const seen = new Set<string>();
    await page.goto(desk.desk.launchUrl);
    for (const [role, username] of roles) {
      await signInOn(page, username);
      const shown = await page.locator('[data-testid^="nav-"]').evaluateAll((links) => links.map((l) => (l as unknown as { getAttribute(n: string): string | null }).getAttribute('data-testid')!.slice(4)));
      for (const id of availableFeatures().filter((f) => shown.includes(f))) {
        seen.add(id);
        await page.getByTestId(`nav-${id}`).click();
        await page.getByTestId(`screen-${id}`).waitFor();
        // What the screen reads from main has arrived: nothing says "Memuat…" any more (or a few seconds have passed).
        await expect.poll(async () => (await shownText(page)).some((l) => /^Memuat/.test(l)), { timeout: 5_000 }).toBe(false).catch(() => undefined);
        for (const line of await shownText(page)) {
          const found = rawWordIn(line);
          if (found) findings.push(`${role} · ${id}: ${found.kind} "${found.match}" in "${line}"`);
        }
      }
      await page.getByTestId('logout').click();
    }
    expect([...new Set(findings)]).toEqual([]);
    // Every route was opened by some role.
    expect([...seen].sort()).toEqual([...availableFeatures()].sort());
  });
});
