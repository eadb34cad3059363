// Lint config: typescript-eslint's type-checked recommended rules (each file read with the types tsc
// sees, through the project service), no `any`, Lit and custom-element rules for the widget, and zero
// warnings allowed (npm run lint passes --max-warnings 0).
import js from '@eslint/js';
import lit from 'eslint-plugin-lit';
import wc from 'eslint-plugin-wc';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'bench/results/**', 'test-artifacts/**', 'examples/**/dist/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
  },
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      // An async function without an await is how a synchronous implementation keeps an async contract
      // (the memory and SQLite adapters, Fastify plugins): what it throws becomes a rejection.
      '@typescript-eslint/require-await': 'off',
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
    files: ['widget/**/*.ts'],
    extends: [lit.configs['flat/recommended'], wc.configs['flat/recommended']],
    rules: {
      // Lit calls a template's event listener with the element as `this` (the `host` render option),
      // so `@click=${this.onClick}` is bound.
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  {
    // Plain JavaScript (configs, examples) has no types to check against.
    files: ['**/*.js', '**/*.mjs'],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
  {
    files: ['examples/**/*.js'],
    languageOptions: { globals: { document: 'readonly' } },
  },
);
