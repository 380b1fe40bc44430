import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';
import { importDirectionPlugin } from './scripts/import-direction.mjs';

export default tseslint.config(
  { ignores: ['**/dist/**', 'node_modules/**', '.cache/**', 'test/fixtures/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
      eqeqeq: ['error', 'always'],
      'no-console': 'off',
    },
  },
  {
    // The runner and the language server must never depend on the editor.
    files: ['runner/src/**/*.ts', 'server/src/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: ['vscode'], patterns: ['**/client/**'] }],
    },
  },
  {
    // Dependencies point one way (cli → commands → domain → infrastructure → contract → spec),
    // and the server and the client use the runner only through runner/package.json exports.
    // The layers are in scripts/import-direction.mjs; test/static/import-direction.test.ts
    // checks the same rule over the whole import graph.
    files: ['runner/src/**/*.ts', 'server/src/**/*.ts', 'client/src/**/*.ts'],
    plugins: { 'import-direction': importDirectionPlugin },
    rules: { 'import-direction/one-way': 'error' },
  },
  {
    files: ['**/*.mjs', '**/*.cjs', '**/*.js'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    // The bin shims are CommonJS so they run on any Node without a loader.
    files: ['**/bin/*.cjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
);
