// Starts the central server from its configuration (file given by --config or LOKET_SERVER_CONFIG,
// then LOKET_SERVER_* environment variables). `--demo` seeds the demo organisation when the
// database is empty. Logs are JSON lines on stdout.
//   node server/main.ts --config server.json [--demo]
import { parseArgs } from 'node:util';
import { loadConfig } from './config.ts';
import { createServer } from './app.ts';
import { seedDemo } from './demo/seed.ts';

const { values } = parseArgs({ options: { config: { type: 'string' }, demo: { type: 'boolean', default: false } } });
const config = loadConfig(values.config ? { file: values.config } : {});
const server = await createServer(config);
if (values.demo && (await seedDemo(server.db))) server.app.log.info('demo organisation seeded');
const url = await server.listen();
server.app.log.info({ url, database: config.database.kind }, 'Loket server ready');

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    server.app.log.info({ signal }, 'shutting down');
    server.close().then(() => process.exit(0), (err: unknown) => {
      server.app.log.error({ err }, 'shutdown failed');
      process.exit(1);
    });
  });
}
