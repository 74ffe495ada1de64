// One lint setup for the whole repository. The layering rules of DESIGN.md live here so a
// wrong import fails `npm test` instead of waiting for a reviewer.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

const nodeBuiltins = [
  'node:*',
  'fs',
  'path',
  'os',
  'child_process',
  'crypto',
  'http',
  'net',
  'url',
  'util',
  'events',
  'stream',
];

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'dist/',
      'release/',
      'test-results/',
      'playwright-report/',
      '.electron-native/',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
    },
  },
  {
    files: [
      '**/*.{js,mjs,cjs}',
      'scripts/**',
      'bench/**',
      'bin/**',
      '*.config.*',
      'tests/**',
      'src-main/**',
    ],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    files: ['bin/**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    // The contract and domain math run everywhere: no Node, no Electron, no DOM.
    files: ['src-shared/**'],
    languageOptions: { globals: { ...globals['shared-node-browser'] } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: nodeBuiltins,
              message: 'src-shared runs in every process: no Node built-ins.',
            },
            { group: ['electron', 'electron/*'], message: 'src-shared must not import electron.' },
            {
              group: ['**/src-main/**', '**/src-renderer/**', 'react', 'react-dom'],
              message: 'src-shared depends on nothing above it.',
            },
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        'window',
        'document',
        'navigator',
        'process',
        'Buffer',
        'require',
      ],
    },
  },
  {
    // The core is plain Node so it runs headless and in tests: Electron stays in src-main/electron.
    files: ['src-main/core/**', 'src-main/cli/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['electron', 'electron/*'],
              message: 'The core never imports electron; put it in src-main/electron.',
            },
            {
              group: ['**/src-renderer/**', '**/electron/**', 'react', 'react-dom'],
              message: 'The core does not depend on the UI or the Electron adapter.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['src-renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: nodeBuiltins,
              message: 'The renderer is a sandboxed web page: no Node built-ins.',
            },
            {
              group: ['electron', 'electron/*'],
              message: 'The renderer talks to main only through window.airdeck.',
            },
            {
              group: ['**/src-main/**'],
              message: 'The renderer reaches the core only through the contract.',
            },
          ],
        },
      ],
    },
  },
);
