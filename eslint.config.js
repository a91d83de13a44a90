// ESLint: the Lightning Web Components with Salesforce's rules; the TypeScript (service, scripts, fakes) with
// typescript-eslint's recommended rules. Types themselves are checked by `npm run typecheck` (tsc).
import lwcConfig from '@salesforce/eslint-config-lwc';
import jestPlugin from 'eslint-plugin-jest';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const lwcFiles = ['force-app/**/lwc/**/*.js', 'force-app/test/jest-mocks/**/*.js'];
const testFiles = ['force-app/**/lwc/**/__tests__/**/*.js', 'force-app/test/**/*.js'];
const tsFiles = ['sync-service/**/*.ts', 'fakes/**/*.ts', 'scripts/**/*.ts'];

export default [
  {
    ignores: ['**/node_modules/**', '**/dist/**', '.data/**', 'scripts/preview/modules/**', 'scripts/preview/stubs/**'],
  },
  ...lwcConfig.configs.recommended.map((config) => ({ ...config, files: lwcFiles })),
  // Prettier owns layout; this rule fights the parentheses Prettier removes.
  { files: lwcFiles, rules: { 'no-confusing-arrow': 'off' } },
  {
    files: testFiles,
    plugins: { jest: jestPlugin },
    languageOptions: { globals: { ...globals.node, ...globals.jest } },
    rules: { ...jestPlugin.configs.recommended.rules, '@lwc/lwc/no-unexpected-wire-adapter-usages': 'off' },
  },
  ...tseslint.configs.recommended.map((config) => ({ ...config, files: tsFiles })),
  {
    files: tsFiles,
    languageOptions: { globals: globals.node },
    rules: {
      // `const { secret: _, ...rest } = row` is how a field is dropped from a copy.
      '@typescript-eslint/no-unused-vars': ['error', { ignoreRestSiblings: true, varsIgnorePattern: '^_' }],
    },
  },
  // The fakes are test infrastructure: the product (sync-service/src) never imports one, by package name or by path.
  // Only the demo launcher (sync-service/demo) and tests, benchmarks and the preview may.
  {
    files: ['sync-service/src/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '(^@roster/fake-|(^|/)fakes?(/|$)|fake-(salesforce|graph|google))',
              message: 'Product code must not import a fake.',
            },
          ],
        },
      ],
      // A module name in a variable would hide the import from this rule and from the type checker.
      'no-restricted-syntax': [
        'error',
        { selector: 'ImportExpression[source.type!="Literal"]', message: 'Import modules by a literal name.' },
      ],
    },
  },
  // Tests and scripts read JSON bodies loosely; product code names its types (typed rows, typed answers).
  { files: ['sync-service/src/**/*.ts'], rules: { '@typescript-eslint/no-explicit-any': 'error' } },
  {
    files: ['sync-service/test/**/*.ts', 'fakes/**/*.ts', 'scripts/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
];
