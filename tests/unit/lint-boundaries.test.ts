// The layering of DESIGN.md is enforced by ESLint, and `npm test` runs it with --max-warnings 0:
// these cases show each forbidden import is reported as an error where it must be.
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const eslint = new ESLint({ cwd: new URL('../..', import.meta.url).pathname });

async function restrictedImportErrors(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? [])
    .filter((m) => (m.ruleId === 'no-restricted-imports' || m.ruleId === 'no-restricted-syntax') && m.severity === 2)
    .map((m) => m.message);
}

describe('import boundaries fail the build', () => {
  it.each([
    ['main/store/sneaky.ts', "import { app } from 'electron';\nexport const a = app;\n", /main\/electron/],
    ['main/host/sneaky.ts', "const { app } = await import('electron');\nexport const a = app;\n", /main\/electron/],
    ['main/sign/sneaky.cts', "const pkcs11 = require('pkcs11js');\nexport const a = pkcs11;\n", /device worker/],
    ['main/electron/sneaky.ts', "const sane = await import('../../native/sane/build/Release/sane.node');\nexport const a = sane;\n", /device worker/],
    ['renderer/src/sneaky.ts', "import { openStore } from '../../main/store/store.ts';\nexport const a = openStore;\n", /kontrak IPC/],
    ['renderer/src/sneaky.ts', "import { readFileSync } from 'node:fs';\nexport const a = readFileSync;\n", /sandbox/],
    ['main/sign/sneaky.ts', "import * as pkcs11 from 'pkcs11js';\nexport const a = pkcs11;\n", /device worker/],
    ['main/scan/sneaky.ts', "import sane from '../../native/sane/index.ts';\nexport const a = sane;\n", /device worker/],
    ['server/sneaky.ts', "import { createCore } from '../main/app/core.ts';\nexport const a = createCore;\n", /klien/],
  ])('%s: %s', async (filePath, code, expected) => {
    const errors = await restrictedImportErrors(filePath, code);
    expect(errors.some((m) => expected.test(m))).toBe(true);
  });

  it.each([
    ['main/electron/main.ts', "import { app } from 'electron';\nexport const a = app;\n"],
    ['main/devices/token/x.ts', "import * as pkcs11 from 'pkcs11js';\nexport const a = pkcs11;\n"],
    ['renderer/src/x.ts', "import type { LoketBridge } from '../common/ipc/index.ts';\nexport type A = LoketBridge;\n"],
  ])('allows %s', async (filePath, code) => {
    expect(await restrictedImportErrors(filePath, code)).toEqual([]);
  });
});
