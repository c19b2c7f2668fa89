import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.medvault/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-properties': [
        'error',
        { object: 'Math', property: 'random', message: 'Use node:crypto randomness.' },
      ],
    },
  },
  {
    // The UI: hooks only at the top level of components and hooks, and effects that name every
    // value they read, so a page never shows an answer for inputs it no longer has.
    files: ['web/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
      // Node globals do not exist in the browser; web/src/types/node-buffer-shim.d.ts declares
      // Buffer only so a shared server module typechecks.
      'no-restricted-globals': [
        'error',
        { name: 'Buffer', message: 'Node only: use Uint8Array and TextEncoder in the browser.' },
        { name: 'process', message: 'Node only: the browser has no process.' },
      ],
    },
  },
  {
    files: ['test/**/*.ts'],
    rules: { 'no-restricted-properties': 'off' },
  },
);
