// Pengaturan shows main's refusal next to the field it concerns, in the desk's language.
import { describe, expect, it } from 'vitest';
import { collectingLogger } from '../../common/logger.ts';
import type { Settings } from '../../common/ipc/app.ts';
import { AppError } from '../../common/errors.ts';
import { createRouter, type Handlers } from '../../main/ipc/router.ts';
import { issuesByField } from '../../renderer/src/features/settings/field-errors.ts';
import { errorText, fieldErrorText } from '../../renderer/src/i18n/index.ts';

const ctx = { origin: 'test' } as const;

function deskRouter(update: (patch: Partial<Settings>) => Settings) {
  const settings: Settings = { language: 'id', deskName: 'Loket Bagian Umum', officeName: '', timeZone: 'Asia/Jakarta', serverUrl: '' };
  // Only the channels these tests call; the rest of the contract is not needed here.
  const handlers: Partial<Handlers> = {
    'app.info': () => ({ version: '0.1.0', shell: 'browser-host', dataDir: '/tmp/loket' }),
    'dashboard.get': () => ({ incomingToday: 0, incomingTotal: 0, outgoingTotal: 0, awaitingSignature: 0, outboxPending: 0, auditChainIntact: true, auditEntries: 0, auditAnchor: null }),
    'settings.get': () => settings,
    'settings.update': update,
    'connectivity.get': () => ({ state: 'unconfigured', checkedAt: null }),
    'devices.status': () => ({ state: 'running', restarts: 0, lastCrash: null }),
  };
  return createRouter(handlers as Handlers, collectingLogger());
}

describe('settings form errors', () => {
  it('an empty desk name and a server address without http(s) are each reported next to their own field, in Bahasa Indonesia', async () => {
    const router = deskRouter(() => { throw new Error('must not run: the router refuses first'); });
    const result = await router.call('settings.update', { deskName: '   ', officeName: 'Dinas Kesehatan', serverUrl: 'eoffice.contoh.go.id' }, ctx);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const byField = issuesByField(result.error);
    expect([...byField.keys()].sort()).toEqual(['deskName', 'serverUrl']);
    expect(fieldErrorText('deskName', byField.get('deskName')!, 'id')).toBe('Nama meja wajib diisi');
    expect(fieldErrorText('serverUrl', byField.get('serverUrl')!, 'id')).toMatch(/^Alamat server harus diawali http:\/\/ atau https:\/\//);
    expect(fieldErrorText('serverUrl', byField.get('serverUrl')!, 'en')).toBe('The server address must start with http:// or https://, or be left empty.');
  });

  it('a full disk while saving is not blamed on a field; the clerk reads main\'s message, or its English text', async () => {
    const router = deskRouter(() => { throw new AppError('STORAGE_FULL'); });
    const result = await router.call('settings.update', { deskName: 'Meja Arsip' }, ctx);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(issuesByField(result.error).size).toBe(0);
    expect(errorText(result.error, 'id')).toMatch(/^Disk penuh/);
    expect(errorText(result.error, 'en')).toMatch(/^The disk is full/);
  });
});
