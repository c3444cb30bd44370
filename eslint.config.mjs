import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

// Module boundaries: apps never import apps; the runtime knows nothing of our API.
const depConstraints = [
  { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:api', 'type:util', 'type:runtime', 'type:testing'] },
  // type:testing is test tooling (vitest projects, the control plane): any project's tests may use it.
  { sourceTag: 'type:runtime', onlyDependOnLibsWithTags: ['type:util', 'type:testing'] },
  { sourceTag: 'type:api', onlyDependOnLibsWithTags: ['type:util', 'type:testing'] },
  { sourceTag: 'type:util', onlyDependOnLibsWithTags: ['type:util', 'type:testing'] },
  { sourceTag: 'type:testing', onlyDependOnLibsWithTags: ['type:util', 'type:runtime'] },
  { sourceTag: 'scope:shared', onlyDependOnLibsWithTags: ['scope:shared'] },
  ...['registry-workload', 'storage', 'routes', 'node-ca', 'pull-secrets', 'pruner', 'status', 'registry-auth'].map((app) => ({
    sourceTag: `scope:${app}`,
    onlyDependOnLibsWithTags: ['scope:shared', `scope:${app}`],
  })),
];

export default [
  ...nx.configs['flat/base'],
  ...nx.configs['flat/typescript'],
  { ignores: ['**/dist', '**/out-tsc', '**/node_modules', '**/vitest.config.*.timestamp*'] },
  {
    files: ['**/*.ts'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        { enforceBuildableLibDependency: false, allow: [], depConstraints, banTransitiveDependencies: true },
      ],
    },
  },
  {
    files: ['**/*.ts'],
    languageOptions: { parser: tseslint.parser },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // What the apps run: Node 24's ES module view of node:http reads its WebSocket getter, which loads the
    // bundled undici (~12 MiB resident per process). Types are free; the module comes from controller-runtime.
    // Patterns are relative to each project's eslint.config.mjs; test tooling turns the rule off in its own.
    files: ['src/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: ['node:http', 'http'].map((name) => ({
            name,
            allowTypeImports: true,
            message: "import { http } from '@image-registry/controller-runtime' (node-http.ts says why)",
          })),
        },
      ],
    },
  },
];
