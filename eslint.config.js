import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'cdk.out/', '.gatehouse/', 'coverage/', 'web/dist/'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['**/local/**', '#local/*'], message: 'production code never imports the local cloud' }] },
      ],
    },
  },
  {
    // The domain is pure: no SDK, and nothing from the outer layers, not even a type: the domain
    // declares the ports it consumes (domain/<family>/ports.ts) and adapters implement them
    // (docs/architecture.md). test/unit/architecture/lint-rules.test.ts checks that this rule fires.
    files: ['functions/lib/domain/**'],
    rules: {
      'no-restricted-imports': 'off',
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['**/local/**', '#local/*'], message: 'production code never imports the local cloud' },
            { group: ['@aws-sdk/*', '@aws-lambda-powertools/*', '@middy/*'], message: 'domain/ is pure: reach AWS through a port that an adapter implements' },
            {
              group: ['**/adapters/**', '#lib/adapters/*', '**/runtime/**', '#lib/runtime/*', '**/http/**', '#lib/http/*'],
              message: 'domain/ depends on no adapter, runtime or HTTP code, not even a type: declare the port in domain/<family>/ports.ts',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['local/**', 'test/**', 'bench/**', 'infra/**'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    files: ['test/**', 'bench/**'],
    rules: { '@typescript-eslint/no-unsafe-member-access': 'off', '@typescript-eslint/no-unsafe-assignment': 'off' },
  },
  {
    files: ['eslint.config.js'],
    extends: [tseslint.configs.disableTypeChecked],
  },
);
