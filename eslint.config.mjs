// @ts-check
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';

const frameworkAndIo = [
  {
    group: [
      '@nestjs/*',
      'typeorm',
      'typeorm/*',
      'pg',
      'nats',
      'nats/*',
      '@ferry/contracts',
      '@ferry/contracts/*',
    ],
    message: 'libs/plan is the pure core: no framework, database or broker imports.',
  },
  {
    group: [
      'node:*',
      'fs',
      'fs/*',
      'path',
      'child_process',
      'net',
      'http',
      'https',
      'os',
      'worker_threads',
      'process',
    ],
    message: 'libs/plan is the pure core: no Node I/O; read files at the edge (CLI, services).',
  },
];

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'coverage/**',
      'bin/**',
      'scratch/**',
      '**/*.js',
      '**/*.mjs',
    ],
  },
  eslint.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { parserOptions: { projectService: false } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['../../../*', '**/libs/*', '**/apps/*'],
              message: 'Use the @ferry/* path aliases across projects.',
            },
          ],
        },
      ],
    },
  },
  {
    // Tests exercise an app's own modules (process supervision, executor internals) directly.
    files: ['test/**/*.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    files: ['libs/plan/**/*.ts'],
    ignores: ['libs/plan/**/*.spec.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: frameworkAndIo }],
      'no-restricted-globals': [
        'error',
        { name: 'process', message: 'libs/plan is pure: take settings as arguments.' },
        { name: 'require', message: 'libs/plan is pure.' },
      ],
    },
  },
);
