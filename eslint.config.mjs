// @ts-check
import eslint from '@eslint/js';
import stylistic from '@stylistic/eslint-plugin';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'chaos/reports/**', '.run/**'] },
  eslint.configs.recommended,
  {
    // Prettier wraps code at 140 but not comments or strings: those are broken by hand, and this keeps them so.
    plugins: { '@stylistic': stylistic },
    rules: { '@stylistic/max-len': ['error', { code: 140, ignoreUrls: true }] },
  },
  {
    files: ['**/*.ts'],
    extends: [...tseslint.configs.recommendedTypeChecked],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      // A dropped promise is a lost failure (or an orphaned process): these two are the point of linting here.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
    },
  },
  {
    // Functions a reader can hold. Tests are exempt: a describe block is a list, not logic. So are
    // the two adversary scripts jest runs by hand (libs/testing/checker/tamper-platform.ts, measure-checker.ts).
    files: ['**/*.ts', 'apps/api/public/**/*.js'],
    ignores: ['**/*.spec.ts', '**/*.e2e-spec.ts', 'libs/testing/checker/tamper-platform.ts', 'libs/testing/checker/measure-checker.ts'],
    rules: { 'max-lines-per-function': ['error', { max: 65, skipBlankLines: true, skipComments: true, IIFEs: true }] },
  },
  {
    // The browser page is one IIFE (no bundler): its inner functions are what the rule measures.
    files: ['apps/api/public/**/*.js'],
    languageOptions: { globals: globals.browser, sourceType: 'script' },
    rules: { 'max-lines-per-function': ['error', { max: 65, skipBlankLines: true, skipComments: true, IIFEs: false }] },
  },
  { files: ['*.js', '*.mjs', '*.cjs', 'scripts/**/*.mjs'], languageOptions: { globals: globals.node } },
);
