// Lint, with the layering of DESIGN.md as rules that fail the build:
// - only main/electron/ imports electron;
// - the renderer imports nothing from main/ but the IPC contract, and no Node built-ins;
// - native addons (pkcs11js, *.node, native/) are loaded only by the device worker (main/devices/);
// - server/ does not import the client (main/, renderer/, native/).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const electron = { name: 'electron', message: 'Hanya main/electron/ yang boleh memakai electron (DESIGN.md: layers).' };
const nativeAddons = [
  { group: ['pkcs11js'], message: 'Driver native hanya dimuat di device worker (main/devices/).' },
  { regex: '\\.node$', message: 'Addon native hanya dimuat di device worker (main/devices/).' },
  { regex: '(^|/)native/', message: 'Addon native hanya dimuat di device worker (main/devices/).' },
];

// import() and require() escape no-restricted-imports; these selectors close that door.
const dynamicElectron = [
  { selector: "ImportExpression[source.value='electron']", message: electron.message },
  { selector: "CallExpression[callee.name='require'][arguments.0.value='electron']", message: electron.message },
];
const dynamicNative = [
  { selector: "ImportExpression[source.value=/^pkcs11js$|\\.node$|(^|\\/)native\\//]", message: nativeAddons[0].message },
  { selector: "CallExpression[callee.name='require'][arguments.0.value=/^pkcs11js$|\\.node$|(^|\\/)native\\//]", message: nativeAddons[0].message },
];

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', '.tools/**', '.cache/**', 'native/**/build/**', 'tests/lint-fixtures/**'] },
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
    files: ['main/**/*.{ts,cts}', 'renderer/src/**/*.{ts,tsx}', 'server/**/*.ts'],
    ignores: ['main/electron/**', 'main/devices/**'],
    rules: { 'no-restricted-syntax': ['error', ...dynamicElectron, ...dynamicNative] },
  },
  { files: ['main/electron/**/*.{ts,cts}'], rules: { 'no-restricted-syntax': ['error', ...dynamicNative] } },
  { files: ['main/devices/**/*.ts'], rules: { 'no-restricted-syntax': ['error', ...dynamicElectron] } },
  {
    files: ['main/**/*.{ts,cts}'],
    ignores: ['main/electron/**', 'main/devices/**'],
    rules: { 'no-restricted-imports': ['error', { paths: [electron], patterns: nativeAddons }] },
  },
  {
    files: ['main/devices/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { paths: [electron] }] },
  },
  {
    files: ['renderer/src/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [electron],
        patterns: [
          ...nativeAddons,
          { regex: '(^|/)main/(?!ipc/contract(\\.ts)?$)', message: 'Renderer hanya boleh mengimpor kontrak IPC (main/ipc/contract.ts) dari main/.' },
          { regex: '^node:', message: 'Renderer berjalan di sandbox: tidak ada modul Node.' },
        ],
      }],
    },
  },
  {
    files: ['server/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [electron],
        patterns: [
          ...nativeAddons,
          { regex: '(^|/)(main|renderer)/', message: 'server/ tidak boleh mengimpor kode klien (main/, renderer/).' },
        ],
      }],
    },
  },
);
