import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStore, type Store } from '../../main/store/store.ts';
import { SettingsSchema, type Settings } from '../../common/ipc/app.ts';
import { AppError } from '../../common/errors.ts';
import { collectingLogger } from '../../common/logger.ts';

let dir: string;
let file: string;
let store: Store;
let log: ReturnType<typeof collectingLogger>;
const reopen = () => {
  store.close();
  log = collectingLogger();
  store = openStore(file, { log });
};

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'loket-settings-'));
  file = join(dir, 'loket.db');
  log = collectingLogger();
  store = openStore(file, { log });
});
afterEach(() => {
  store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('desk settings', () => {
  it('a new desk speaks Bahasa Indonesia, is called Meja Loket and shows times in WIB until the office chooses its zone', () => {
    expect(SettingsSchema.parse(store.settings.get())).toEqual({ language: 'id', deskName: 'Meja Loket', officeName: '', timeZone: 'Asia/Jakarta', serverUrl: '', tokenModulePath: '', tsaUrl: '', ocspUrl: '', verifyUrl: '', cscUrl: '', bsreUrl: '', signingMethods: {} });
  });

  it('a renamed desk keeps its name after a restart, and the audit log says who renamed it from what', () => {
    const saved = store.settings.update({ deskName: '  Meja Agenda ', serverUrl: 'https://eoffice.contoh.go.id' }, 'meja:Meja Loket');
    expect(saved).toMatchObject({ deskName: 'Meja Agenda', serverUrl: 'https://eoffice.contoh.go.id' });
    reopen();
    expect(store.settings.get()).toEqual(saved);
    const [entry] = store.audit.list();
    expect(entry).toMatchObject({ actor: 'meja:Meja Loket', action: 'settings.updated', entity: 'settings', entityId: null });
    expect(JSON.parse(entry!.details)).toEqual({
      changed: { deskName: { from: 'Meja Loket', to: 'Meja Agenda' }, serverUrl: { from: '', to: 'https://eoffice.contoh.go.id' } },
    });
  });

  it('saving the form without changes writes nothing to the audit log', () => {
    store.settings.update({ language: 'en' }, 'meja:Meja Loket');
    store.settings.update({ language: 'en', deskName: 'Meja Loket' }, 'meja:Meja Loket');
    expect(store.audit.count()).toBe(1);
  });

  it('a wrong server address is refused with a message the clerk understands, and nothing is saved', () => {
    let error: unknown;
    try {
      store.settings.update({ officeName: 'Dinas Kominfo', serverUrl: 'eoffice.contoh.go.id' } as Partial<Settings>, 'meja:Meja Loket');
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'VALIDATION', message: expect.stringMatching(/Alamat server harus diawali http/) });
    expect(store.settings.get().officeName).toBe('');
    expect(store.audit.count()).toBe(0);
  });

  it('a setting damaged on disk falls back to its default instead of breaking the desk', () => {
    store.settings.update({ deskName: 'Meja Agenda' }, 'meja:Meja Loket');
    const db = new Database(file);
    db.prepare(`INSERT INTO settings (key, value, updated_at) VALUES ('language', '"fr"', '2026-11-23T00:00:00Z')`).run();
    db.close();
    reopen();
    expect(store.settings.get()).toMatchObject({ language: 'id', deskName: 'Meja Agenda' });
    expect(log.lines).toContainEqual(expect.objectContaining({ level: 'warn', key: 'language' }));
  });
});
