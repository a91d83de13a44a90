// Jest for the Lightning Web Components only: the service has its own vitest suite.
import { createRequire } from 'node:module';
import { writeApexMocks } from './force-app/test/apexMocks.cjs';

const require = createRequire(import.meta.url);
const { jestConfig } = require('@salesforce/sfdx-lwc-jest/config');

// One jest.fn wire adapter per @AuraEnabled method that really exists in force-app's Apex.
const apexMockDir = writeApexMocks();

export default {
  ...jestConfig,
  roots: ['<rootDir>/force-app'],
  testMatch: ['**/__tests__/**/*.test.js'],
  moduleNameMapper: {
    '^@salesforce/apex/(\\w+\\.\\w+)$': `${apexMockDir}/$1.js`,
    '^roster-test$': '<rootDir>/force-app/test/rosterTest.js',
    // lightning/modal and its parts, which sfdx-lwc-jest does not stub (or stubs without their content).
    '^lightning/modal$': '<rootDir>/force-app/test/jest-mocks/lightning/modal.js',
    '^lightning/modal(Header|Body|Footer)$': '<rootDir>/force-app/test/jest-mocks/lightning/modal$1/modal$1.js',
  },
  setupFilesAfterEnv: [...(jestConfig.setupFilesAfterEnv ?? []), '<rootDir>/force-app/test/jestSetup.js'],
  testTimeout: 15000,
};
