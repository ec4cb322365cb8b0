// The preload is the renderer's only door to main. This runs the real preload.cts (compiled the
// way tsc compiles it for dist/) inside a vm context with the same wrapper Electron gives a
// sandboxed preload, and an `electron` module that records what the preload does with it.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runInNewContext } from 'node:vm';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { IPC_EVENT, IPC_INVOKE } from '../../main/electron/security.ts';

type Listener = (...args: unknown[]) => void;

interface Loaded {
  exposed: Map<string, unknown>;
  invokes: unknown[][];
  listeners: Map<string, Set<Listener>>;
  required: string[];
  emit(channel: string, ...args: unknown[]): void;
}

function loadPreload(): Loaded {
  const source = readFileSync(join(import.meta.dirname, '../../main/electron/preload.cts'), 'utf8');
  const { outputText } = ts.transpileModule(source, {
    fileName: 'preload.cts',
    compilerOptions: { module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext, target: ts.ScriptTarget.ES2023, verbatimModuleSyntax: true },
  });

  const exposed = new Map<string, unknown>();
  const invokes: unknown[][] = [];
  const listeners = new Map<string, Set<Listener>>();
  const required: string[] = [];
  const electron = {
    contextBridge: {
      exposeInMainWorld(key: string, api: unknown) {
        exposed.set(key, api);
      },
    },
    ipcRenderer: {
      invoke(...args: unknown[]) {
        invokes.push(args);
        return Promise.resolve({ ok: true, value: 'jawaban' });
      },
      on(channel: string, listener: Listener) {
        if (!listeners.has(channel)) listeners.set(channel, new Set());
        listeners.get(channel)!.add(listener);
      },
      removeListener(channel: string, listener: Listener) {
        listeners.get(channel)?.delete(listener);
      },
      send() {
        throw new Error('the preload must not use ipcRenderer.send');
      },
    },
  };
  const require = (id: string) => {
    required.push(id);
    if (id !== 'electron') throw new Error(`a sandboxed preload cannot require ${id}`);
    return electron;
  };
  const module = { exports: {} };
  // Electron's sandboxed preload wrapper passes these (lib/sandboxed_renderer): nothing else exists.
  const wrapper = `(function (require, process, Buffer, global, setImmediate, clearImmediate, exports, module) {${outputText}\n})`;
  const fn = runInNewContext(wrapper, {}, { filename: 'preload.cjs' }) as (...args: unknown[]) => void;
  fn(require, {}, undefined, {}, undefined, undefined, module.exports, module);

  return {
    exposed, invokes, listeners, required,
    emit(channel, ...args) {
      for (const l of listeners.get(channel) ?? []) l(...args);
    },
  };
}

describe('the preload gives the page window.loket and nothing else', () => {
  it('exposes exactly one global, loket, with exactly invoke and on, and requires nothing but electron', () => {
    const { exposed, required } = loadPreload();
    expect([...exposed.keys()]).toEqual(['loket']);
    const api = exposed.get('loket') as Record<string, unknown>;
    expect(Object.keys(api).sort()).toEqual(['invoke', 'on']);
    expect(typeof api.invoke).toBe('function');
    expect(typeof api.on).toBe('function');
    expect(required).toEqual(['electron']);
  });

  it('a clerk saving settings sends one invoke on the agreed channel, with the channel and payload as given', async () => {
    const { exposed, invokes } = loadPreload();
    const api = exposed.get('loket') as { invoke(c: string, p: unknown): Promise<unknown> };
    await expect(api.invoke('settings.update', { deskName: 'Meja Agenda 1' })).resolves.toEqual({ ok: true, value: 'jawaban' });
    expect(invokes).toEqual([[IPC_INVOKE, 'settings.update', { deskName: 'Meja Agenda 1' }]]);
  });

  it('a screen listening for settings.changed hears only that event, gets only the payload (never the IPC event and its sender), and can stop listening', () => {
    const { exposed, emit, listeners } = loadPreload();
    const api = exposed.get('loket') as { on(e: string, l: (p: unknown) => void): () => void };
    const heard: unknown[][] = [];
    const stop = api.on('settings.changed', (...args: unknown[]) => heard.push(args));
    expect(listeners.get(IPC_EVENT)?.size).toBe(1);

    const ipcEvent = { sender: { send: () => undefined }, senderFrame: {} };
    emit(IPC_EVENT, ipcEvent, 'connectivity.changed', { state: 'offline', checkedAt: null });
    emit(IPC_EVENT, ipcEvent, 'settings.changed', { deskName: 'Meja Agenda 1' });
    expect(heard).toEqual([[{ deskName: 'Meja Agenda 1' }]]);

    stop();
    expect(listeners.get(IPC_EVENT)?.size).toBe(0);
    emit(IPC_EVENT, ipcEvent, 'settings.changed', { deskName: 'lagi' });
    expect(heard).toHaveLength(1);
  });

  it('refuses a listener that is not a function instead of registering it', () => {
    const { exposed, listeners } = loadPreload();
    const api = exposed.get('loket') as { on(e: string, l: unknown): () => void };
    expect(() => api.on('settings.changed', 'bukan fungsi')).toThrow('listener must be a function');
    expect(listeners.get(IPC_EVENT)?.size ?? 0).toBe(0);
  });
});
