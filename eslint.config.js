// Lint: typescript-eslint's recommended rules, plus the package boundaries of
// STYLE.md: protocol imports nothing of ours; client and server import
// protocol, not each other; the dashboard imports client and protocol.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const boundary = (files, forbidden, message) => ({
  files,
  rules: {
    'no-restricted-imports': ['error', { patterns: forbidden.map((group) => ({ group: [group], message })) }],
  },
});

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', 'bench/results/**', 'e2e/screenshots/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      '@typescript-eslint/no-explicit-any': 'off',
      'no-constant-condition': ['error', { checkLoops: false }],
    },
  },
  {
    files: ['**/*.mjs', '**/*.js', 'scripts/**'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly', setTimeout: 'readonly', Buffer: 'readonly' } },
  },
  boundary(['packages/protocol/src/**'], ['@herald/*', '../../server/*', '../../client/*'], 'protocol imports nothing of ours'),
  boundary(['packages/client/src/**'], ['@herald/server', '@herald/dashboard', '**/server/src/**'], 'client imports protocol only'),
  boundary(['packages/server/src/**', 'packages/server/bin/**'], ['@herald/client', '@herald/dashboard', '**/client/src/**'], 'server imports protocol only'),
  boundary(['packages/dashboard/src/**'], ['@herald/server', '**/server/src/**'], 'the dashboard talks to the server through the client SDK'),
);
