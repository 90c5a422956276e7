// Lint, including the process boundaries of ARCHITECTURE.md:
// - `electron` only in main/app/** and preload/**;
// - renderer/** imports no Node built-ins, nothing from main/ or native/, and from preload/ only types of preload/api
//   and the print contract, preload/print (which the renderer's rules hold too: it runs in the renderer);
// - no network modules or fetch anywhere but the YubiHSM transport and simulator (loopback only, checked there).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import { builtinModules } from 'node:module';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];
const networkModules = ['http', 'https', 'net', 'tls', 'dgram', 'http2'].flatMap((m) => [m, `node:${m}`]);

/** Electron, a list of modules (one reason for all) and fetch refused, each with the sentence the author reads. */
const bannedImports = ({ electron, modules, reason, fetch, patterns }) => ({
  'no-restricted-imports': [
    'error',
    { paths: [{ name: 'electron', message: electron }, ...modules.map((name) => ({ name, message: reason }))], ...(patterns ? { patterns } : {}) },
  ],
  'no-restricted-globals': ['error', { name: 'fetch', message: fetch }],
});

export default tseslint.config(
  { ignores: ['node_modules/**', 'out/**', 'dist/**', 'test-results/**', 'scratch/**', 'test/fixtures/lint/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      'no-empty': ['error', { allowEmptyCatch: true }],
    },
  },
  {
    files: ['main/**/*.ts', 'native/**/*.ts', 'preload/**/*.ts', 'renderer/**/*.{ts,tsx}'],
    ignores: ['main/app/**', 'preload/index.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [{ name: 'electron', message: 'Only main/app/** and preload/ may import electron (ARCHITECTURE.md).' }],
          patterns: [{ group: ['electron/*'], message: 'Only main/app/** and preload/ may import electron.' }],
        },
      ],
    },
  },
  {
    files: ['main/**/*.ts', 'native/**/*.ts', 'preload/**/*.ts'],
    ignores: ['native/yubihsm/transport/**', 'native/yubihsm/simulator/**', 'main/app/**', 'preload/index.ts'],
    rules: bannedImports({
      electron: 'Only main/app/** and preload/ may import electron (ARCHITECTURE.md).',
      modules: networkModules,
      reason: 'No network code outside the YubiHSM transport and simulator.',
      fetch: 'No network: fetch is banned outside the YubiHSM transport.',
    }),
  },
  {
    files: ['renderer/**/*.{ts,tsx}', 'preload/print/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      ...bannedImports({
        electron: 'The renderer never imports electron.',
        modules: nodeBuiltins,
        reason: 'The renderer runs sandboxed: no Node built-ins.',
        fetch: 'No network in the renderer.',
        patterns: [
          {
            group: ['**/main/**', '**/native/**', '../main', '../../main', '../native', '../../native'],
            message: 'The renderer imports nothing from main/ or native/.',
          },
          {
            group: ['**/preload/*', '!**/preload/api', '!**/preload/print'],
            message: 'The renderer may import only types from preload/api, and the print contract preload/print.',
          },
        ],
      }),
      '@typescript-eslint/consistent-type-imports': 'off',
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    rules: {
      // preload/api may be imported for types only.
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/preload/api'], allowTypeImports: true, message: 'Import only types from preload/api.' }] },
      ],
    },
  },
);
