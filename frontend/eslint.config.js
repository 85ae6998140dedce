// ESLint (flat config): the recommended rules over the app (a browser bundle) and its tests and
// config (Node). Formatting is Prettier's (.prettierrc.json), checked by `npm run lint`.

import js from '@eslint/js';
import globals from 'globals';

export default [
  { ignores: ['dist/', 'node_modules/'] },
  js.configs.recommended,
  { files: ['src/**/*.js'], languageOptions: { globals: globals.browser } },
  { files: ['test/**/*.js', '*.config.js'], languageOptions: { globals: globals.node } },
  {
    rules: {
      'no-unused-vars': ['error', { argsIgnorePattern: '^_', caughtErrors: 'none' }],
      eqeqeq: ['error', 'always'],
      'prefer-const': 'error',
      'no-var': 'error',
    },
  },
];
