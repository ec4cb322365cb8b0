import { createServer, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { createConnectivityMonitor } from '../../main/sync/connectivity.ts';
import type { Connectivity } from '../../common/ipc/app.ts';

function healthServer(): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    res.writeHead(req.url === '/health' ? 200 : 404).end('ok');
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => {
    const addr = server.address() as { port: number };
    resolve({ server, url: `http://127.0.0.1:${addr.port}` });
  }));
}

describe('online/offline indicator', () => {
  const stops: (() => void)[] = [];
  afterEach(() => { stops.splice(0).forEach((s) => s()); });

  it('says a desk without a server is standalone, not offline', async () => {
    const monitor = createConnectivityMonitor({ serverUrl: () => '', onChange: () => {} });
    stops.push(monitor.stop);
    expect((await monitor.checkNow()).state).toBe('unconfigured');
  });

  it('goes online when the server answers and offline when it stops, telling the desk each time', async () => {
    const { server, url } = await healthServer();
    const changes: Connectivity['state'][] = [];
    const monitor = createConnectivityMonitor({ serverUrl: () => url, onChange: (s) => changes.push(s.state), timeoutMs: 1000 });
    stops.push(monitor.stop);
    expect((await monitor.checkNow()).state).toBe('online');
    server.closeAllConnections();
    await new Promise((r) => server.close(r));
    expect((await monitor.checkNow()).state).toBe('offline');
    expect(changes).toEqual(['online', 'offline']);
  });

  it('probes the new server at once when the address is changed', async () => {
    const { server, url } = await healthServer();
    let current = 'http://127.0.0.1:9';
    const monitor = createConnectivityMonitor({ serverUrl: () => current, onChange: () => {}, timeoutMs: 1000 });
    stops.push(monitor.stop, () => server.close());
    expect((await monitor.checkNow()).state).toBe('offline');
    current = url;
    expect((await monitor.checkNow()).state).toBe('online');
  });
});
