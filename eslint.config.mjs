// @ts-check
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const NODE_BUILTINS =
  'fs|path|os|net|tls|http|https|http2|crypto|child_process|stream|zlib|url|util|events|worker_threads|dgram|dns|readline|buffer|process|sqlite';
const nodeModulePatterns = [
  { regex: `^(node:.*|(${NODE_BUILTINS})(/.*)?)$`, message: 'No Node modules here: this layer runs in the browser too.' },
];
const electronPattern = { regex: '^electron(/.*)?$', message: 'Only src/main/electron and src/preload may import electron.' };

export default tseslint.config(
  {
    ignores: ['out/**', 'dist/**', 'node_modules/**', 'src/main/gen/**', 'test-results/**', 'playwright-report/**', 'bench-results/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/no-explicit-any': 'error',
      'no-console': 'off',
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      // Protocol codecs match control bytes on purpose.
      'no-control-regex': 'off',
    },
  },
  // Layer rules (docs/architecture.md): they are the architecture, so they are lint errors.
  {
    files: ['src/main/**/*.ts', 'sim/**/*.ts', 'bench/**/*.ts', 'test/**/*.ts', 'e2e/**/*.ts'],
    ignores: ['src/main/electron/**'],
    rules: { 'no-restricted-imports': ['error', { patterns: [electronPattern] }] },
  },
  {
    files: ['src/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            electronPattern,
            ...nodeModulePatterns,
            { group: ['**/main/**', '**/renderer/**', '**/preload/**', '**/sim/**'], message: 'src/shared imports nothing above it.' },
          ],
        },
      ],
    },
  },
  {
    files: ['src/renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            electronPattern,
            ...nodeModulePatterns,
            { group: ['**/main/**', '**/preload/**', '**/sim/**'], message: 'The renderer reaches main only through the contract (window.printdeck).' },
          ],
        },
      ],
    },
  },
  {
    files: ['src/preload/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [...nodeModulePatterns, { group: ['**/main/**', '**/renderer/**', '**/sim/**'], message: 'The preload builds on src/shared only.' }] },
      ],
    },
  },
  {
    // Main-side domains never reach into the renderer or preload.
    files: ['src/main/**/*.ts'],
    ignores: ['src/main/electron/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [electronPattern, { group: ['**/renderer/**', '**/preload/**'], message: 'Main talks to the renderer only through the contract.' }] },
      ],
    },
  },
  {
    files: ['src/main/electron/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['**/renderer/**', '**/preload/**'], message: 'Main talks to the renderer only through the contract.' }] }],
    },
  },
  {
    files: ['bin/**/*.js', 'scripts/**/*.js', '.ci/**/*.js'],
    languageOptions: { sourceType: 'commonjs', globals: { ...globals.node } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
