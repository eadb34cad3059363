// Lint config: typescript-eslint's type-aware recommended rules, no `any`,
// and zero warnings allowed (npm run lint passes --max-warnings 0).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'bench/results/**', 'test-artifacts/**', 'examples/**/dist/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    // Assertions that cannot fail. uvu's assert.throws / assert.not.throws call the block synchronously
    // and drop a returned promise, so an async block never counts.
    files: ['test/**/*.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector:
            'CallExpression[callee.property.name="throws"] > :matches(ArrowFunctionExpression, FunctionExpression)[async=true]',
          message:
            'assert.throws / assert.not.throws cannot see an async block fail: await the call and check the rejection.',
        },
      ],
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
  {
    files: ['examples/**/*.js'],
    languageOptions: { globals: { document: 'readonly' } },
  },
);
