// The house rules a reviewer would otherwise have to catch by eye (issue 12): no dead code, libraries
// reached only through their index, no SQL or database handle in a controller or a page, no promise
// left to fail unseen. Style is not linted; tsc already checks types.
import tseslint from 'typescript-eslint';

/** A library is used through `@cc/<lib>` (its index.ts); a path past it couples to its insides. */
const deepLibraryImport = {
  group: ['@cc/*/**'],
  message: 'Import the library through its index (@cc/<lib>); export what you need from there.',
};

/** What runs SQL or hands out a connection: it belongs in the owning library's query and store classes. */
const databaseAccess = [
  { name: 'typeorm', importNames: ['DataSource', 'EntityManager', 'QueryRunner'], message: 'No database access here: call the owning library’s query or store class.' },
  { name: '@nestjs/typeorm', importNames: ['InjectDataSource', 'InjectEntityManager'], message: 'No database access here: call the owning library’s query or store class.' },
  { name: '@cc/persistence', importNames: ['runSql', 'runPrepared', 'queryRows', 'sql', 'rawSql', 'joinSql'], message: 'No SQL here: call the owning library’s query or store class.' },
];

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'data/', 'coverage/', 'test-results/', 'screenshots/', '**/*.js', '**/*.mjs', '**/*.cjs'] },
  {
    files: ['**/*.ts'],
    languageOptions: {
      parser: tseslint.parser,
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { '@typescript-eslint': tseslint.plugin },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      // Unused imports, variables and parameters. A parameter that an interface or a framework
      // signature requires but the code does not read is named `_something`.
      '@typescript-eslint/no-unused-vars': [
        'error',
        { vars: 'all', args: 'all', argsIgnorePattern: '^_', caughtErrors: 'all', caughtErrorsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
      'no-restricted-imports': ['error', { patterns: [deepLibraryImport] }],
      // A promise nobody awaits fails as an unhandled rejection, far from its cause.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
    },
  },
  {
    // Controllers stay thin and pages only render: reading and writing is the libraries' query and store classes.
    files: ['**/*.controller.ts', 'libs/web/src/**/*.ts'],
    ignores: ['**/*.spec.ts', '**/*.e2e-spec.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: databaseAccess, patterns: [deepLibraryImport] }],
      'no-restricted-syntax': [
        'error',
        { selector: "CallExpression[callee.property.name='query']", message: 'No SQL here: call the owning library’s query or store class.' },
        { selector: "Decorator[expression.callee.name=/^Inject(DataSource|EntityManager)$/]", message: 'No database handle here: call the owning library’s query or store class.' },
      ],
    },
  },
);
