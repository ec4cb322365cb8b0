// Several desks of one office in the browser host, each pointed at the test server and opened in
// its own Chromium context, signed in as one of the demo people: the set-up of every E2E story that
// passes work from desk to desk (disposition, delegation, paraf), and of a story at one desk against
// the server. A desk may reach the server through a link the test can cut and restore, to play a
// desk that loses its network during its step.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { demoPassword } from '../../server/demo/seed.ts';
import type { ServerConfigInput } from '../../server/config.ts';
import { launchChromium, startDesk, type RunningDesk } from './desk.ts';
import { Databases, startTestServer, type TestServer } from './server.ts';
import { startTestDesk, type TestDesk } from './sync-desk.ts';
import { createTestTls, type TestTls } from './tls.ts';

/** A TCP link between one desk and the server that the test cuts (connections dropped, new ones refused) and restores. */
export interface CuttableLink {
  url: string;
  cut(): void;
  restore(): void;
  close(): Promise<void>;
}

export async function cuttableLink(serverUrl: string): Promise<CuttableLink> {
  const target = new URL(serverUrl);
  const open = new Set<Socket>();
  let up = true;
  const server: Server = createServer((client) => {
    if (!up) { client.destroy(); return; }
    const upstream = connect(Number(target.port), target.hostname);
    open.add(client).add(upstream);
    const drop = () => { client.destroy(); upstream.destroy(); open.delete(client); open.delete(upstream); };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    client.pipe(upstream).pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    url: `https://127.0.0.1:${port}`,
    cut() { up = false; for (const s of open) s.destroy(); open.clear(); },
    restore() { up = true; },
    close: () => new Promise<void>((resolve) => { for (const s of open) s.destroy(); server.close(() => resolve()); }),
  };
}

/** Signs in as `username` (the demo password) on a page that shows the sign-in screen, and waits until the session has begun. */
export async function signInOn(page: Page, username: string): Promise<void> {
  await page.getByTestId('screen-masuk').waitFor();
  await page.getByTestId('masuk-username').fill(username);
  await page.getByTestId('masuk-password').fill(demoPassword);
  await page.getByTestId('masuk-submit').click();
  await page.getByTestId('session-badge').waitFor();
}

export interface OfficeDeskOptions {
  /** Environment of the desk's process beyond the server CA (a token module, a TSA). */
  env?: NodeJS.ProcessEnv;
  /** Reach the server through a link the test can cut. */
  cuttable?: boolean;
  /** Work on the desk's store before it starts (lease number blocks, seed classifications). */
  prepare?(desk: TestDesk): Promise<void> | void;
}

export interface OfficeDesk {
  desk: RunningDesk;
  link: CuttableLink | null;
}

export interface OfficeDesks {
  /** A desk whose settings point at the test server (or a cuttable link to it), started in the browser host. */
  deskFor(options?: OfficeDeskOptions): Promise<OfficeDesk>;
  /** The desk opened in a new Chromium context and signed in as `username` (the demo password). */
  signIn(desk: OfficeDesk | RunningDesk, username: string, viewport?: { width: number; height: number }): Promise<Page>;
  close(): Promise<void>;
}

export function officeDesks(options: { srv: TestServer; tls: TestTls; browser: () => Browser; name: string }): OfficeDesks {
  const desks: RunningDesk[] = [];
  const links: CuttableLink[] = [];
  const dirs: string[] = [];
  return {
    async deskFor(o = {}) {
      const dir = mkdtempSync(join(tmpdir(), `loket-e2e-${options.name}-`));
      dirs.push(dir);
      const link = o.cuttable ? await cuttableLink(options.srv.url) : null;
      if (link) links.push(link);
      const prepared = await startTestDesk({ serverUrl: link?.url ?? options.srv.url, caFile: options.tls.trusted.caCert, dir });
      await o.prepare?.(prepared);
      await prepared.close();
      const desk = await startDesk({ dataDir: dir, env: { LOKET_SERVER_CA: options.tls.trusted.caCert, ...o.env } });
      desks.push(desk);
      return { desk, link };
    },
    async signIn(desk, username, viewport = { width: 1280, height: 900 }) {
      const running = 'desk' in desk ? desk.desk : desk;
      const page = await (await options.browser().newContext({ viewport, locale: 'id-ID' })).newPage();
      await page.goto(running.launchUrl);
      await signInOn(page, username);
      return page;
    },
    async close() {
      for (const d of desks) await d.stop();
      for (const l of links) await l.close();
      for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface OfficeInBrowser extends OfficeDesks {
  /** The running test server; read it inside the block's tests and hooks. */
  readonly srv: TestServer;
  readonly tls: TestTls;
  readonly browser: Browser;
}

/**
 * Inside a describe block: the test server on SQLite with its TLS CA, Chromium, and the office's desks
 * (officeDesks), started before the block's tests and taken down after them.
 */
export function officeInBrowser(name: string, options: { config?: Partial<ServerConfigInput> } = {}): OfficeInBrowser {
  const databases = new Databases('sqlite');
  let tls: TestTls | undefined;
  let srv: TestServer | undefined;
  let browser: Browser | undefined;
  let desks: OfficeDesks | undefined;
  beforeAll(async () => {
    tls = createTestTls();
    srv = await startTestServer({ databases, tls, ...(options.config ? { config: options.config } : {}) });
    browser = await launchChromium();
    desks = officeDesks({ srv, tls, browser: () => browser!, name });
  });
  afterAll(async () => {
    await browser?.close();
    await desks?.close();
    await srv?.close();
    databases.stop();
    if (tls) rmSync(tls.dir, { recursive: true, force: true });
  });
  const started = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('the office is read before its block has started it');
    return value;
  };
  return {
    get srv() { return started(srv); },
    get tls() { return started(tls); },
    get browser() { return started(browser); },
    deskFor: (o) => started(desks).deskFor(o),
    signIn: (desk, username, viewport) => started(desks).signIn(desk, username, viewport),
    close: () => started(desks).close(),
  };
}
