// The renderer's WebSocket bridge against a real socket server speaking the browser host's wire
// format, stopped and restarted the way a host restart looks from the desk.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Settings } from '../../common/ipc/app.ts';
import { createSocketBridge, type HostConnection, type SocketBridge } from '../../renderer/src/bridge/socket-bridge.ts';

interface InvokeFrame { kind: 'invoke'; id: number; channel: string; payload: unknown }

const settings: Settings = { language: 'id', deskName: 'Loket Bagian Umum', officeName: 'Dinas Kesehatan', timeZone: 'Asia/Jakarta', serverUrl: '' };

/** A socket server on 127.0.0.1 that answers like the host; 'dashboard.get' is held unanswered. */
class Host {
  readonly received: InvokeFrame[] = [];
  private readonly http: Server;
  private readonly sockets: WebSocketServer;
  private readonly receivedWaiters: (() => void)[] = [];

  private constructor(http: Server, sockets: WebSocketServer) {
    this.http = http;
    this.sockets = sockets;
    sockets.on('connection', (ws: WebSocket) => {
      ws.on('message', (data) => {
        const frame = JSON.parse(data.toString()) as InvokeFrame;
        this.received.push(frame);
        for (const wake of this.receivedWaiters.splice(0)) wake();
        if (frame.channel === 'settings.get') ws.send(JSON.stringify({ kind: 'reply', id: frame.id, result: { ok: true, value: settings } }));
      });
    });
  }

  static async start(port = 0): Promise<Host> {
    const http = createServer();
    const sockets = new WebSocketServer({ server: http, path: '/ipc' });
    await new Promise<void>((resolve) => http.listen(port, '127.0.0.1', resolve));
    const host = new Host(http, sockets);
    host.boundPort = (http.address() as AddressInfo).port;
    return host;
  }

  readonly port = (): number => this.boundPort;
  private boundPort = 0;
  private stopped = false;

  get url(): string {
    return `ws://127.0.0.1:${this.boundPort}/ipc`;
  }

  send(frame: unknown): void {
    const text = typeof frame === 'string' ? frame : JSON.stringify(frame);
    for (const ws of this.sockets.clients) ws.send(text);
  }

  waitForCall(channel: string): Promise<void> {
    if (this.received.some((f) => f.channel === channel)) return Promise.resolve();
    return new Promise((resolve) => this.receivedWaiters.push(() => { if (this.received.some((f) => f.channel === channel)) resolve(); else void this.waitForCall(channel).then(resolve); }));
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    for (const ws of this.sockets.clients) ws.terminate();
    await new Promise<void>((resolve) => this.sockets.close(() => resolve()));
    this.http.closeAllConnections();
    await new Promise<void>((resolve) => this.http.close(() => resolve()));
  }
}

function reach(bridge: SocketBridge, target: HostConnection): Promise<void> {
  if (bridge.connection() === target) return Promise.resolve();
  return new Promise((resolve) => {
    const off = bridge.onConnection((state) => { if (state === target) { off(); resolve(); } });
  });
}

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
  vi.restoreAllMocks();
});

async function deskAndHost() {
  const host = await Host.start();
  const bridge = createSocketBridge({ url: host.url, retryDelaysMs: [20, 50] });
  let current = host;
  cleanup.push(() => current.stop());
  cleanup.push(() => bridge.close());
  return {
    host: () => current,
    bridge,
    async restartHost() {
      current = await Host.start(host.port());
      return current;
    },
  };
}

describe('renderer bridge over the browser host socket', () => {
  it('a call made while the desk is still connecting waits for the connection and gets the host reply', async () => {
    const { bridge } = await deskAndHost();
    expect(bridge.connection()).toBe('connecting');
    const result = await bridge.invoke('settings.get', {});
    expect(result).toEqual({ ok: true, value: settings });
    expect(bridge.connection()).toBe('connected');
  });

  it('an event the host pushes reaches the screen that listens for it, and only that one', async () => {
    const { bridge, host } = await deskAndHost();
    await reach(bridge, 'connected');
    const settingsSeen: unknown[] = [];
    bridge.on('settings.changed', (p) => settingsSeen.push(p));
    const connectivity = new Promise((resolve) => bridge.on('connectivity.changed', resolve));
    host().send({ kind: 'event', event: 'connectivity.changed', payload: { state: 'online', checkedAt: '2026-11-23T09:00:00.000Z' } });
    expect(await connectivity).toEqual({ state: 'online', checkedAt: '2026-11-23T09:00:00.000Z' });
    expect(settingsSeen).toEqual([]);
  });

  it('when the host stops in the middle of a call, the call ends with "Aplikasi inti tidak terhubung" instead of hanging, and calls while disconnected fail at once', async () => {
    const { bridge, host } = await deskAndHost();
    const pending = bridge.invoke('dashboard.get', {});
    await host().waitForCall('dashboard.get');
    await host().stop();
    expect(await pending).toEqual({ ok: false, error: { code: 'HOST_UNREACHABLE', message: 'Aplikasi inti tidak terhubung. Menyambung ulang…' } });
    await reach(bridge, 'disconnected');
    expect(await bridge.invoke('settings.get', {})).toMatchObject({ ok: false, error: { code: 'HOST_UNREACHABLE' } });
  });

  it('when the host comes back on the same address, the desk reconnects by itself and keeps hearing events', async () => {
    const { bridge, host, restartHost } = await deskAndHost();
    await reach(bridge, 'connected');
    const states: HostConnection[] = [];
    bridge.onConnection((s) => states.push(s));
    const devices: unknown[] = [];
    bridge.on('devices.changed', (p) => devices.push(p));

    await host().stop();
    await reach(bridge, 'disconnected');
    const back = await restartHost();
    await reach(bridge, 'connected');
    expect(states[0]).toBe('disconnected');
    expect(states.at(-1)).toBe('connected');

    expect(await bridge.invoke('settings.get', {})).toEqual({ ok: true, value: settings });
    const heard = new Promise((resolve) => bridge.on('devices.changed', resolve));
    back.send({ kind: 'event', event: 'devices.changed', payload: { state: 'restarting', restarts: 1, lastCrash: '2026-11-23T09:01:00.000Z' } });
    await heard;
    expect(devices).toEqual([{ state: 'restarting', restarts: 1, lastCrash: '2026-11-23T09:01:00.000Z' }]);
  });

  it('a garbled frame, an unknown event or an event that breaks the contract is ignored, and the desk keeps working', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const { bridge, host } = await deskAndHost();
    await reach(bridge, 'connected');
    const seen: unknown[] = [];
    bridge.on('connectivity.changed', (p) => seen.push(p));
    const valid = new Promise((resolve) => bridge.on('dashboard.changed', resolve));
    host().send('{not json');
    host().send({ kind: 'event', event: 'fs.changed', payload: {} });
    host().send({ kind: 'event', event: 'connectivity.changed', payload: { state: 'sideways', checkedAt: null } });
    host().send({ kind: 'reply', id: 9999, result: { ok: true, value: 1 } });
    host().send({ kind: 'event', event: 'dashboard.changed', payload: {} });
    await valid;
    expect(seen).toEqual([]);
    expect(warn).toHaveBeenCalledTimes(3);
    expect(await bridge.invoke('settings.get', {})).toEqual({ ok: true, value: settings });
  });

  it('a closed bridge stops reconnecting and answers calls with HOST_UNREACHABLE', async () => {
    const { bridge } = await deskAndHost();
    await reach(bridge, 'connected');
    bridge.close();
    expect(bridge.connection()).toBe('disconnected');
    expect(await bridge.invoke('settings.get', {})).toMatchObject({ ok: false, error: { code: 'HOST_UNREACHABLE' } });
  });
});
