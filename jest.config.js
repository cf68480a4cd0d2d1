/** One jest config for unit, integration and end-to-end tests; @swc/jest compiles TypeScript fast. */
const { readFileSync } = require('node:fs');
const swcrc = JSON.parse(readFileSync(`${__dirname}/.swcrc`, 'utf8'));

module.exports = {
  rootDir: __dirname,
  testEnvironment: 'node',
  roots: ['<rootDir>/workflows', '<rootDir>/libs', '<rootDir>/apps', '<rootDir>/test'],
  testMatch: ['**/*.spec.ts', '**/*.e2e-spec.ts'],
  transform: {
    '^.+\\.ts$': ['@swc/jest', { ...swcrc, swcrc: false }],
    // A few dependencies ship ES modules only; Node 20 can require them, jest cannot, so compile them.
    '^.+\\.js$': ['@swc/jest', { ...swcrc, swcrc: false, jsc: { ...swcrc.jsc, parser: { syntax: 'ecmascript' } } }],
  },
  transformIgnorePatterns: ['/node_modules/(?!(@fastify/static/node_modules/)?content-disposition/|jose/|@scure/base/|(@otplib/plugin-crypto-noble/node_modules/)?@noble/hashes/)'],
  moduleNameMapper: {
    '^@cc/workflows$': '<rootDir>/workflows/index.ts',
    '^@cc/workflows/(.*)$': '<rootDir>/workflows/$1',
    '^@cc/(config|persistence|identity|cases|common|registry|demo-data|queues|deadlines|notifications|composition|calendar|evidence|stats|web|documents|letters|case-file|inbound-mail|audit|data-protection)$': '<rootDir>/libs/$1/src/index.ts',
    '^@cc/wording$': '<rootDir>/libs/wording/src/index.ts',
    '^@cc/notifications/templates$': '<rootDir>/libs/notifications/src/templates/index.ts',
    '^@cc/api$': '<rootDir>/apps/api/src/create-api-app.ts',
    '^@cc/worker$': '<rootDir>/apps/worker/src/create-worker.ts',
  },
  testTimeout: 60_000,
};
