import { describe, expect, it } from 'vitest';
import { createRouter, type Handlers } from '../../main/ipc/router.ts';
import { AppError } from '../../common/errors.ts';
import { collectingLogger } from '../../common/logger.ts';
import type { Settings } from '../../common/ipc/app.ts';

const ctx = { origin: 'test' } as const;

function routerWith(overrides: Partial<Handlers> = {}) {
  let settings: Settings = { language: 'id', deskName: 'Meja 1', officeName: '', timeZone: 'Asia/Jakarta', serverUrl: '' };
  let handlerRuns = 0;
  // Only the channels these tests call; the rest of the contract is not needed here.
  const handlers = {
    'app.info': () => ({ version: '0.0.0', shell: 'browser-host', dataDir: '/tmp/x' }),
    'dashboard.get': () => ({ incomingToday: 0, incomingTotal: 0, outgoingTotal: 0, awaitingSignature: 0, outboxPending: 0, auditChainIntact: true, auditEntries: 0, auditAnchor: null }),
    'settings.get': () => settings,
    'settings.update': (patch) => { handlerRuns++; settings = { ...settings, ...patch }; return settings; },
    'connectivity.get': () => ({ state: 'unconfigured', checkedAt: null }),
    'devices.status': () => ({ state: 'running', restarts: 0, lastCrash: null }),
    ...overrides,
  } as Handlers;
  const log = collectingLogger();
  return { router: createRouter(handlers, log), log, runs: () => handlerRuns };
}

describe('IPC router', () => {
  it('answers a valid call with the handler reply', async () => {
    const { router } = routerWith();
    const res = await router.call('settings.update', { deskName: 'Meja Agenda' }, ctx);
    expect(res).toEqual({ ok: true, value: expect.objectContaining({ deskName: 'Meja Agenda' }) });
  });

  it('refuses an unknown channel with a typed error, not a crash', async () => {
    const { router } = routerWith();
    const res = await router.dispatch('fs.readFile', { path: '/etc/passwd' }, ctx);
    expect(res).toEqual({ ok: false, error: { code: 'UNKNOWN_CHANNEL', message: expect.stringMatching(/tidak dikenal/) } });
  });

  it.each([
    ['a wrong type', { deskName: 42 }],
    ['an unknown field', { deskName: 'x', isAdmin: true }],
    ['an empty desk name', { deskName: '   ' }],
    ['a non-http server URL', { serverUrl: 'file:///etc/passwd' }],
    ['not an object', 'DROP TABLE letters'],
    ['an array', [1, 2, 3]],
  ])('rejects %s before the handler runs', async (_what, payload) => {
    const { router, runs } = routerWith();
    const res = await router.dispatch('settings.update', payload, ctx);
    expect(res.ok).toBe(false);
    if (!res.ok) {
      expect(res.error.code).toBe('VALIDATION');
      expect(res.error.message).toMatch(/tidak sesuai/);
    }
    expect(runs()).toBe(0);
  });

  it('passes an AppError through with its own Bahasa Indonesia message', async () => {
    const { router } = routerWith({ 'dashboard.get': () => { throw new AppError('NOT_FOUND', 'Surat tidak ditemukan.'); } });
    const res = await router.call('dashboard.get', {}, ctx);
    expect(res).toEqual({ ok: false, error: { code: 'NOT_FOUND', message: 'Surat tidak ditemukan.' } });
  });

  it('hides a bug behind INTERNAL: no stack trace reaches the renderer, the log keeps it', async () => {
    const { router, log } = routerWith({ 'dashboard.get': () => { throw new TypeError('cannot read x of undefined'); } });
    const res = await router.call('dashboard.get', {}, ctx);
    expect(res.ok).toBe(false);
    expect(JSON.stringify(res)).not.toMatch(/TypeError|undefined|at /);
    expect(log.lines.some((l) => JSON.stringify(l).includes('cannot read x of undefined'))).toBe(true);
  });

  it('turns a full disk into a message the clerk can act on', async () => {
    const { router } = routerWith({ 'settings.update': () => { throw Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' }); } });
    const res = await router.call('settings.update', { deskName: 'Meja 2' }, ctx);
    expect(res).toEqual({ ok: false, error: { code: 'STORAGE_FULL', message: expect.stringMatching(/Disk penuh/) } });
  });

  it('refuses a reply that breaks the contract instead of passing it on', async () => {
    const { router } = routerWith({ 'dashboard.get': () => ({ incomingToday: -1 }) as never });
    const res = await router.call('dashboard.get', {}, ctx);
    expect(res).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
  });
});
