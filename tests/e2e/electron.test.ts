// The desk story of the browser E2E, run in the real Electron shell through Playwright's _electron:
// the window opens on Beranda from app://loket/, the page sees window.loket with invoke/on and no
// Node, and a setting saved in Pengaturan survives a reload. Electron's binary cannot be downloaded
// on the build machines, so where none is installed (ELECTRON_OVERRIDE_DIST_PATH, or a normal
// install's node_modules/electron/dist) the suite reports itself skipped, with the reason in its name.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { _electron, type ElectronApplication, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findElectronBinary } from '../../dev/electron-binary.ts';

const root = join(import.meta.dirname, '..', '..');
const electronBinary = findElectronBinary(root);
const title = electronBinary
  ? `the desk in Electron (${electronBinary})`
  : 'Electron (lewati: biner Electron tidak tersedia di mesin ini — setel ELECTRON_OVERRIDE_DIST_PATH ke folder Electron yang terpasang)';

describe.skipIf(!electronBinary)(title, () => {
  let app: ElectronApplication;
  let page: Page;
  let dataDir: string;

  beforeAll(async () => {
    if (!existsSync(join(root, 'dist/main/electron/main.js'))) throw new Error('dist/ is missing: build the app first with `bash build/setup.sh`');
    dataDir = mkdtempSync(join(tmpdir(), 'loket-electron-e2e-'));
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(process.env)) if (v !== undefined) env[k] = v;
    app = await _electron.launch({
      executablePath: electronBinary!,
      args: [root],
      cwd: root,
      env: { ...env, LOKET_DATA_DIR: dataDir, LOKET_LOG_LEVEL: 'warn' },
      timeout: 60_000,
    });
    page = await app.firstWindow();
    await page.getByTestId('screen-beranda').waitFor();
  });

  afterAll(async () => {
    await app?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  it('the clerk opens Loket and sees Beranda, served from app://loket/', async () => {
    await expect(page.getByRole('heading', { name: 'Beranda', level: 1 }).isVisible()).resolves.toBe(true);
    expect(new URL(page.url()).origin).toBe('app://loket');
  });

  it('the page reaches main only through window.loket (invoke and on), with no Node in sight', async () => {
    const seen = await page.evaluate(() => ({
      keys: Object.keys((globalThis as unknown as { loket: object }).loket).sort(),
      require: typeof (globalThis as unknown as { require?: unknown }).require,
      process: typeof (globalThis as unknown as { process?: unknown }).process,
      module: typeof (globalThis as unknown as { module?: unknown }).module,
    }));
    expect(seen).toEqual({ keys: ['invoke', 'on'], require: 'undefined', process: 'undefined', module: 'undefined' });
  });

  it('a desk name saved in Pengaturan is still there after the window reloads', async () => {
    await page.getByTestId('nav-pengaturan').click();
    const deskName = page.getByTestId('settings-desk-name');
    await deskName.fill('Meja Agenda Electron');
    await page.getByTestId('settings-save').click();
    await page.getByTestId('settings-saved').waitFor();

    await page.reload();
    await page.getByTestId('header-desk-name').filter({ hasText: 'Meja Agenda Electron' }).waitFor();
    const stored = await page.evaluate(() => (globalThis as unknown as { loket: { invoke(c: string, p: object): Promise<{ ok: boolean; value?: { deskName: string } }> } }).loket.invoke('settings.get', {}));
    expect(stored).toMatchObject({ ok: true, value: { deskName: 'Meja Agenda Electron' } });
  });
});
