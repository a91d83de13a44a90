// ESLint for the Lightning Web Components only; the service is type-checked by tsc.
import lwcConfig from '@salesforce/eslint-config-lwc';
import jestPlugin from 'eslint-plugin-jest';
import globals from 'globals';

const lwcFiles = ['force-app/**/lwc/**/*.js', 'force-app/test/jest-mocks/**/*.js'];
const testFiles = ['force-app/**/lwc/**/__tests__/**/*.js', 'force-app/test/**/*.js'];

export default [
  { ignores: ['**/node_modules/**', 'sync-service/**', 'scripts/**', '.data/**'] },
  ...lwcConfig.configs.recommended.map((config) => ({ ...config, files: lwcFiles })),
  // Prettier owns layout; this rule fights the parentheses Prettier removes.
  { files: lwcFiles, rules: { 'no-confusing-arrow': 'off' } },
  {
    files: testFiles,
    plugins: { jest: jestPlugin },
    languageOptions: { globals: { ...globals.node, ...globals.jest } },
    rules: { ...jestPlugin.configs.recommended.rules, '@lwc/lwc/no-unexpected-wire-adapter-usages': 'off' },
  },
];
