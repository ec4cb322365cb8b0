// The layering of DESIGN.md is enforced by ESLint (the layer table in eslint.config.js, the rules in
// build/eslint-plugin-layers.js), and `npm test` runs it with --max-warnings 0: these cases show
// each forbidden import and each import cycle is reported as an error where it must be, and the
// imports the table allows pass.
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: new URL('../..', import.meta.url).pathname });

async function layerErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId?.startsWith('layers/') && m.severity === 2).map((m) => m.message);
}

describe('import boundaries fail the build', () => {
  it.each([
    ['main/store/sneaky.ts', "import { app } from 'electron';\nexport const a = app;\n", /Only main\/electron/],
    ['main/host/sneaky.ts', "const { app } = await import('electron');\nexport const a = app;\n", /Only main\/electron/],
    ['main/sign/sneaky.cts', "const pkcs11 = require('pkcs11js');\nexport const a = pkcs11;\n", /device worker/],
    ['main/sign/sneaky.ts', "import * as pkcs11 from 'pkcs11js';\nexport const a = pkcs11;\n", /device worker/],
    ['main/electron/sneaky.ts', "const sane = await import('../../native/sane/build/Release/sane.node');\nexport const a = sane;\n", /device worker|may not import native/],
    ['main/scan/sneaky.ts', "import sane from '../../native/sane/index.ts';\nexport const a = sane;\n", /main may not import native/],
    ['renderer/src/sneaky.ts', "import { openStore } from '../../main/store/store.ts';\nexport const a = openStore;\n", /renderer may not import main/],
    ['renderer/src/sneaky.ts', "import { Mutation } from '../../common/protocol/index.ts';\nexport const a = Mutation;\n", /renderer may not import shared/],
    ['renderer/src/sneaky.ts', "import { readFileSync } from 'node:fs';\nexport const a = readFileSync;\n", /no node: modules/],
    ['server/sneaky.ts', "import { createCore } from '../main/app/core.ts';\nexport const a = createCore;\n", /server may not import main/],
    ['server/sync/sneaky.ts', "import { deskAids } from '../../dev/desk-aids.ts';\nexport const a = deskAids;\n", /server may not import dev/],
    ['main/devices/sneaky.ts', "import { openStore } from '../store/store.ts';\nexport const a = openStore;\n", /device worker may not import main/],
    ['main/devices/scanner/sneaky.ts', "import type { Store } from '../../store/store.ts';\nexport type A = Store;\n", /device worker may not import main/],
    ['main/scan/sneaky.ts', "import { deskAids } from '../../dev/desk-aids.ts';\nexport const a = deskAids;\n", /main may not import dev/],
    ['main/electron/sneaky.ts', "import { deskAids } from '../../dev/desk-aids.ts';\nexport const a = deskAids;\n", /electron shell may not import dev/],
    ['common/sneaky.ts', "import { openStore } from '../main/store/store.ts';\nexport const a = openStore;\n", /shared may not import main/],
    ['common/ipc/sneaky.ts', "import { uuidv7 } from '../ids.ts';\nexport const a = uuidv7;\n", /contract may not import shared/],
    ['common/ipc/sneaky.ts', "import { readFileSync } from 'node:fs';\nexport const a = readFileSync;\n", /no node: modules/],
    ['native/sane/sneaky.ts', "import { AppError } from '../../common/errors.ts';\nexport const a = AppError;\n", /native may not import errors/],
  ])('%s: %s', async (filePath, code, expected) => {
    const errors = await layerErrors(filePath, code);
    expect(errors.some((m) => expected.test(m)), errors.join('\n')).toBe(true);
  });

  it.each([
    ['main/electron/main.ts', "import { app } from 'electron';\nexport const a = app;\n"],
    ['main/electron/sneaky.ts', "const aids = (await import('../../dev/desk-aids.ts')).deskAids;\nexport const a = aids;\n"],
    ['main/devices/token/x.ts', "import * as pkcs11 from 'pkcs11js';\nimport { AppError } from '../../../common/errors.ts';\nexport const a = [pkcs11, AppError];\n"],
    ['renderer/src/x.ts', "import type { LoketBridge } from '../../common/ipc/index.ts';\nimport { AppError } from '../../common/errors.ts';\nexport type A = LoketBridge;\nexport const b = AppError;\n"],
    ['server/x.ts', "import { Mutation } from '../common/protocol/index.ts';\nexport const a = Mutation;\n"],
    ['dev/x.ts', "import { createCore } from '../main/app/core.ts';\nimport { createServer } from '../server/app.ts';\nexport const a = [createCore, createServer];\n"],
    ['bench/x.ts', "import * as pkcs11 from 'pkcs11js';\nexport const a = pkcs11;\n"],
  ])('allows %s', async (filePath, code) => {
    expect(await layerErrors(filePath, code)).toEqual([]);
  });
});

describe('import cycles fail the build', () => {
  it('between capabilities: the store importing the composition root that opens it', async () => {
    const errors = await layerErrors('main/store/sneaky.ts', "import { createCore } from '../app/core.ts';\nexport const a = createCore;\n");
    expect(errors.some((m) => /import cycle between capabilities: main\/store → main\/app/.test(m)), errors.join('\n')).toBe(true);
  });

  it('between files of one capability: the contract\'s building blocks importing the index that composes them', async () => {
    const errors = await layerErrors('common/ipc/base.ts', "import { channels } from './index.ts';\nexport const a = channels;\n");
    expect(errors.some((m) => /import cycle between files: common\/ipc\/base\.ts → common\/ipc\/index\.ts/.test(m)), errors.join('\n')).toBe(true);
  });

  it('a type-only import closes no cycle (it is erased before the program runs)', async () => {
    expect(await layerErrors('main/store/sneaky.ts', "import type { Core } from '../app/core.ts';\nexport type A = Core;\n")).toEqual([]);
  });
});
