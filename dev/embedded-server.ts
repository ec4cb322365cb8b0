// The embedded default: the central server on loopback with SQLite, a development CA and the demo
// organisation, all under one data directory, so `npm start` runs the whole story on one machine.
// The desk connects to `url` trusting only `caFile`, exactly as it would trust an agency CA.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseConfig } from '../server/config.ts';
import { createDevCertificates } from './server-ca.ts';
import { seedDemo } from '../server/demo/seed.ts';
import { createServer, type RunningServer } from '../server/app.ts';

export interface EmbeddedServer {
  url: string;
  /** The development CA the desk must trust for this server. */
  caFile: string;
  server: RunningServer;
  close(): Promise<void>;
}

export async function startEmbeddedServer(options: { dataDir: string; port?: number; logLevel?: 'info' | 'warn' | 'error' | 'silent' }): Promise<EmbeddedServer> {
  const dir = join(options.dataDir, 'server');
  const tlsDir = join(dir, 'tls');
  const certs = existsSync(join(tlsDir, 'server.pem'))
    ? { caCert: join(tlsDir, 'ca.pem'), serverCert: join(tlsDir, 'server.pem'), serverKey: join(tlsDir, 'server.key') }
    : createDevCertificates(tlsDir);
  const config = parseConfig({
    host: '127.0.0.1',
    port: options.port ?? 0,
    tls: { certFile: certs.serverCert, keyFile: certs.serverKey },
    database: { kind: 'sqlite', file: join(dir, 'server.sqlite') },
    blobDir: join(dir, 'blobs'),
    logLevel: options.logLevel ?? 'warn',
  });
  const server = await createServer(config);
  await seedDemo(server.db);
  const url = await server.listen();
  return { url, caFile: certs.caCert, server, close: () => server.close() };
}
