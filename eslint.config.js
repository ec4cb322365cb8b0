// Lint, with the layering of DESIGN.md as one table that fails the build (build/eslint-plugin-layers.js):
// who may import whom, which packages only one layer may load, and no import cycle between
// capabilities or files. tests/unit/lint-boundaries.test.ts shows each rule failing where it must.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import layersPlugin from './build/eslint-plugin-layers.js';

/** First match wins: a file belongs to the first layer whose `files` hold it. */
const layers = [
  {
    name: 'contract', files: ['common/ipc/**', 'common/letters.ts'], mayImport: [], noNodeBuiltins: true,
    why: 'the IPC contract is bundled into the sandboxed renderer; it imports zod and itself only.',
  },
  { name: 'errors', files: ['common/errors.ts'], mayImport: ['contract'], noNodeBuiltins: true, why: 'AppError is shared with the renderer.' },
  {
    name: 'dates', files: ['common/dates.ts'], mayImport: ['contract'], noNodeBuiltins: true,
    why: 'dates and times in the office\'s time zone are written the same by the renderer, the desk and the server.',
  },
  { name: 'shared', files: ['common/**'], mayImport: ['contract', 'errors', 'dates'], why: 'the shared package imports nothing of ours.' },
  { name: 'native', files: ['native/**'], mayImport: [], why: 'an addon package stands alone; the app maps its errors to messages.' },
  {
    name: 'device worker', files: ['main/devices/**'], mayImport: ['shared', 'dates', 'errors', 'contract', 'native'],
    why: 'the device worker carries only the drivers and the shared package (a driver that crashes takes nothing else with it).',
  },
  {
    name: 'electron shell', files: ['main/electron/**'], mayImport: ['shared', 'dates', 'errors', 'contract', 'main', 'device worker'], mayImportDynamically: ['dev'],
    why: 'the shell is thin over the core; the development aids are loaded only when unpackaged (dist/dev is not shipped).',
  },
  {
    name: 'main', files: ['main/**'], mayImport: ['shared', 'dates', 'errors', 'contract', 'device worker'],
    why: 'the desk core is plain Node over the shared package: no server code, no development aids, no renderer, native drivers only through the device worker.',
  },
  {
    name: 'renderer', files: ['renderer/src/**'], mayImport: ['contract', 'errors', 'dates'], noNodeBuiltins: true,
    why: 'the sandboxed renderer talks to main only through window.loket and the contract.',
  },
  { name: 'server', files: ['server/**'], mayImport: ['shared', 'dates', 'errors', 'contract'], why: 'the server imports the shared package only (the desk is deployed apart from it).' },
  {
    name: 'dev', files: ['dev/**'], mayImport: ['shared', 'dates', 'errors', 'contract', 'native', 'device worker', 'main', 'electron shell', 'server'],
    why: 'development aids may use everything; nothing of the product uses them.',
  },
];

/** Packages only one layer may load (specifier patterns). */
const packages = [
  { pattern: '^electron$', allowedIn: ['main/electron/**'], message: 'Only main/electron/ imports electron (DESIGN.md: layers).' },
  { pattern: '^pkcs11js$|\\.node$', allowedIn: ['main/devices/**', 'native/**'], message: 'Native drivers are loaded only in the device worker (main/devices/).' },
];

/** Folders whose sub-folders are one capability each (see unitOf in the plugin). */
const containers = ['common', 'main', 'main/letters', 'main/sign', 'server', 'dev', 'native', 'renderer/src', 'renderer/src/features', 'renderer/src/features/letters'];

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', '.tools/**', '.cache/**', 'native/**/build/**', 'tests/lint-fixtures/**', 'release/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['**/*.{ts,tsx,cts,mts}'],
    plugins: { layers: layersPlugin },
    rules: {
      'layers/allowed-imports': ['error', { layers, packages }],
      'layers/no-cycle': ['error', { roots: ['common', 'main', 'server', 'native', 'dev', 'renderer/src'], containers }],
    },
  },
);
