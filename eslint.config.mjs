// @ts-check
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import { layeringConfig } from './eslint/code-layering.mjs';
import { LAYERED_FILES, LAYERS } from './eslint/layers.mjs';

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
  // Layer rules (docs/architecture.md): they are the architecture, so they are lint errors. The
  // table of what each folder may import, files and npm packages alike, is eslint/layers.mjs.
  layeringConfig(import.meta.dirname, LAYERS, LAYERED_FILES),
  {
    files: ['src/renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    files: ['bin/**/*.js', 'scripts/**/*.js', '.ci/**/*.js'],
    languageOptions: { sourceType: 'commonjs', globals: { ...globals.node } },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
