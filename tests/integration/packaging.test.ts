// Packages Loket the way a release would (electron-builder with build/electron-builder.yml,
// `--linux --dir`), with a stand-in Electron distribution instead of the one that cannot be
// downloaded here, and checks what an installed desk would actually get: the app.asar contents,
// the native addons beside it, and the fuses flipped in the executable.
// Needs dist/ (built by `bash build/setup.sh`, which `npm test` runs first).
import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { extractFile, listPackage, statFile } from '@electron/asar';
import { FuseV1Options, getCurrentFuseWire } from '@electron/fuses';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};
const electronVersion = (JSON.parse(readFileSync(join(root, 'node_modules/electron/package.json'), 'utf8')) as { version: string }).version;
const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
/** A fuse is one byte of the wire: ASCII '1' enabled, '0' disabled. */
const ENABLED = '1'.charCodeAt(0);
const DISABLED = '0'.charCodeAt(0);
/** Nowhere: a download attempt fails at once instead of hanging. */
const NOWHERE = 'http://127.0.0.1:9/';

/**
 * A stand-in for Electron's Linux distribution: an `electron` executable that carries the fuse wire
 * the way the real binary does (sentinel, version 1, eight fuses in Electron's default states:
 * RunAsNode, NODE_OPTIONS and --inspect enabled, asar integrity and asar-only loading off).
 */
function makeStandInElectron(dir: string): void {
  mkdirSync(join(dir, 'resources'), { recursive: true });
  const script = Buffer.from('#!/bin/sh\necho "stand-in Electron for the packaging test: not runnable" >&2\nexit 1\n# ');
  const wire = Buffer.concat([Buffer.from(SENTINEL), Buffer.from([1, 8]), Buffer.from('10110001'), Buffer.from('\n')]);
  writeFileSync(join(dir, 'electron'), Buffer.concat([script, wire]));
  chmodSync(join(dir, 'electron'), 0o755);
  writeFileSync(join(dir, 'LICENSE'), 'Electron stand-in\n');
  writeFileSync(join(dir, 'version'), electronVersion);
}

function electronBuilder(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string; timedOut: boolean }> {
  return new Promise((resolve) => {
    const child = execFile(join(root, 'node_modules/.bin/electron-builder'), args, { cwd: root, env, timeout: 240_000, maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      const timedOut = err !== null && (err as { killed?: boolean }).killed === true;
      resolve({ code: child.exitCode, output: stdout + stderr, timedOut });
    });
  });
}

function listFilesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).map((e) => relative(dir, join(e.parentPath, e.name)));
}

/** Top-level package names present under /node_modules in the archive (scoped ones as @scope/name). */
function packedPackages(files: string[]): Set<string> {
  const names = new Set<string>();
  for (const f of files) {
    const m = /^\/node_modules\/((?:@[^/]+\/)?[^/]+)\/package\.json$/.exec(f);
    if (m) names.add(m[1]!);
  }
  return names;
}

describe('packaging the desk app with electron-builder', () => {
  let work: string;
  let appDir: string;
  let asarPath: string;
  let files: string[];
  let build: { code: number | null; output: string; timedOut: boolean };

  beforeAll(async () => {
    for (const needed of ['dist/main/electron/main.js', 'dist/main/electron/preload.cjs', 'dist/renderer/index.html']) {
      if (!existsSync(join(root, needed))) throw new Error(`${needed} is missing: build the app first with \`bash build/setup.sh\``);
    }
    work = mkdtempSync(join(tmpdir(), 'loket-packaging-'));
    makeStandInElectron(join(work, 'electron-dist'));
    build = await electronBuilder([
      '--linux', '--dir', '--x64', '--projectDir', root, '--config', 'build/electron-builder.yml',
      `-c.electronDist=${join(work, 'electron-dist')}`,
      `-c.electronVersion=${electronVersion}`,
      // Rebuilding needs Electron's headers from the network; the addons are N-API (see the config).
      '-c.npmRebuild=false',
      `-c.directories.output=${join(work, 'out')}`,
    ], {
      ...process.env,
      ELECTRON_MIRROR: NOWHERE,
      ELECTRON_BUILDER_BINARIES_MIRROR: NOWHERE,
      HTTP_PROXY: NOWHERE, HTTPS_PROXY: NOWHERE, http_proxy: NOWHERE, https_proxy: NOWHERE, NO_PROXY: '', no_proxy: '',
      electron_config_cache: join(work, 'cache'),
      ELECTRON_BUILDER_CACHE: join(work, 'cache'),
      CSC_IDENTITY_AUTO_DISCOVERY: 'false',
    });
    appDir = join(work, 'out', 'linux-unpacked');
    asarPath = join(appDir, 'resources', 'app.asar');
    files = existsSync(asarPath) ? listPackage(asarPath, { isPack: false }) : [];
  });

  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it('builds offline from the stand-in Electron, without trying to download anything', () => {
    expect(build.timedOut, build.output).toBe(false);
    expect(build.code, build.output).toBe(0);
    expect(build.output).not.toMatch(/download(ing)? (electron|https?:)/i);
    expect(existsSync(join(appDir, 'loket'))).toBe(true);
    expect(existsSync(asarPath)).toBe(true);
  });

  it('app.asar holds the Electron main, the preload, the device worker and the built renderer', () => {
    for (const f of ['/package.json', '/dist/main/electron/main.js', '/dist/main/electron/preload.cjs', '/dist/main/app/core.js', '/dist/common/ipc/index.js', '/dist/renderer/index.html']) {
      expect(files, f).toContain(f);
    }
    expect(files.some((f) => /^\/dist\/renderer\/assets\/.+\.js$/.test(f))).toBe(true);
    const packagedPkg = JSON.parse(extractFile(asarPath, 'package.json').toString('utf8')) as { main: string };
    expect(files).toContain('/' + packagedPkg.main);
  });

  it('every production dependency is packed', () => {
    const packed = packedPackages(files);
    for (const name of Object.keys(pkg.dependencies)) expect(packed.has(name), name).toBe(true);
  });

  it('no development tool is packed: no vitest, typescript, electron-builder, electron, react sources, nor any devDependency no production package needs', () => {
    const packed = packedPackages(files);
    for (const name of ['vitest', 'typescript', 'electron-builder', 'electron', 'eslint', 'vite', 'react', 'react-dom', 'playwright-core', '@types/node']) {
      expect(packed.has(name), name).toBe(false);
    }
    // A devDependency may only be present because some packed production package depends on it.
    const neededByProduction = new Set<string>();
    for (const name of packed) {
      const manifest = JSON.parse(extractFile(asarPath, `node_modules/${name}/package.json`).toString('utf8')) as { dependencies?: Record<string, string>; optionalDependencies?: Record<string, string> };
      for (const dep of Object.keys({ ...manifest.dependencies, ...manifest.optionalDependencies })) neededByProduction.add(dep);
    }
    for (const name of Object.keys(pkg.devDependencies)) {
      if (packed.has(name)) expect(neededByProduction.has(name) || name in pkg.dependencies, `devDependency ${name} is packed`).toBe(true);
    }
  });

  it('no sources, tests, server build or source maps are packed', () => {
    const ours = files.filter((f) => !f.startsWith('/node_modules/'));
    expect(ours.filter((f) => /^\/(main|renderer|server|native|tests|bench|build|resources)\//.test(f))).toEqual([]);
    expect(ours.filter((f) => f.startsWith('/dist/server'))).toEqual([]);
    expect(ours.filter((f) => /\.(ts|tsx|cts|map)$/.test(f))).toEqual([]);
  });

  it('native addons are unpacked beside app.asar, where they can be loaded, and only this platform\'s better-sqlite3 build is shipped', () => {
    const addons = files.filter((f) => f.endsWith('.node'));
    expect(addons).toEqual(expect.arrayContaining(['/node_modules/better-sqlite3/prebuilds/linux-x64.node', '/node_modules/pkcs11js/build/Release/pkcs11.node']));
    // The SANE addon goes where its compiled wrapper loads it from, when this machine built it.
    if (existsSync(join(root, 'native/sane/build/Release/sane.node'))) expect(addons).toContain('/dist/native/sane/build/Release/sane.node');
    else expect(addons.filter((f) => f.includes('sane'))).toEqual([]);
    expect(files).toContain('/dist/native/sane/index.js');
    for (const addon of addons) {
      expect((statFile(asarPath, addon.slice(1)) as { unpacked?: boolean }).unpacked, addon).toBe(true);
      expect(existsSync(join(appDir, 'resources', 'app.asar.unpacked', addon)), addon).toBe(true);
    }
    expect(addons.filter((f) => f.includes('better-sqlite3/prebuilds/') && !f.endsWith('linux-x64.node'))).toEqual([]);
    expect(files.filter((f) => f.startsWith('/node_modules/better-sqlite3/deps/') || f.startsWith('/node_modules/better-sqlite3/src/'))).toEqual([]);
  });

  it('templates, fonts and default configuration from resources/ are shipped as extra resources', () => {
    const wanted = listFilesUnder(join(root, 'resources'));
    const shipped = new Set(listFilesUnder(join(appDir, 'resources', 'resources')));
    for (const f of wanted) expect(shipped.has(f), f).toBe(true);
  });

  it('the executable\'s fuses are flipped: no run-as-node, NODE_OPTIONS or --inspect; app code only from the integrity-checked app.asar', async () => {
    const wire = await getCurrentFuseWire(join(appDir, 'loket'));
    expect(wire[FuseV1Options.RunAsNode]).toBe(DISABLED);
    expect(wire[FuseV1Options.EnableNodeOptionsEnvironmentVariable]).toBe(DISABLED);
    expect(wire[FuseV1Options.EnableNodeCliInspectArguments]).toBe(DISABLED);
    expect(wire[FuseV1Options.EnableEmbeddedAsarIntegrityValidation]).toBe(ENABLED);
    expect(wire[FuseV1Options.OnlyLoadAppFromAsar]).toBe(ENABLED);
    expect(wire[FuseV1Options.GrantFileProtocolExtraPrivileges]).toBe(DISABLED);
    expect(wire[FuseV1Options.EnableCookieEncryption]).toBe(ENABLED);
  });
});
