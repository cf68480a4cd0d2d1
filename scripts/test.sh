#!/usr/bin/env bash
# The whole test suite: unit, integration and end-to-end, against real PostgreSQL and Redis.
# Ends with one line "N passed, N failed" and exits non-zero when anything failed.
set -uo pipefail
cd "$(dirname "$0")/.."

[ -d node_modules ] || npm ci --no-audit --no-fund || npm install --no-audit --no-fund
bash scripts/ensure-services.sh || exit 1
# Some tests run the built worker as its own process (to kill it outright).
npm run build --silent || { echo "0 passed, 1 failed"; exit 1; }

# The house rules (eslint.config.mjs) and the compiler over the tests too (the build leaves them out and
# jest's transpiler does not type-check): a failure is one failed check, and the tests still run.
lint_failed=0
npm run lint --silent || lint_failed=1
npm run typecheck --silent || lint_failed=1

mkdir -p test-results
rm -f test-results/jest*.json

# Tests that time an outage or kill a process run one at a time (their figures mean something only
# on a quiet machine). The rest run two at a time, which halves their share of the wall time on two
# cores (most of it is loading the application into each test file); so do the browser tests, one
# Chromium each, after the others (each waits on its browser as much as on its own work).
SERIAL='test/(worker-[a-z-]+|service-outages|concurrency)\.e2e-spec\.ts$'
BROWSER='test/browser/'
status=0
if [ "$#" -gt 0 ]; then
  results=(jest.json)
  npx jest --ci --json --outputFile=test-results/jest.json "$@" || status=$?
else
  results=(jest-parallel.json jest-browser.json jest-serial.json)
  npx jest --ci --json --outputFile=test-results/jest-parallel.json --maxWorkers=2 --testPathIgnorePatterns "$SERIAL" "$BROWSER" /node_modules/ || status=$?
  npx jest --ci --json --outputFile=test-results/jest-browser.json --maxWorkers=2 --testPathPattern "$BROWSER" || status=$?
  npx jest --ci --json --outputFile=test-results/jest-serial.json --runInBand --testPathPattern "$SERIAL" || status=$?
fi

node -e '
  const { existsSync } = require("node:fs");
  const [dir, lint, ...files] = process.argv.slice(1);
  const lintFailed = Number(lint);
  let passed = 1 - lintFailed, failed = lintFailed;
  for (const f of files) {
    // A run that wrote no results (jest itself crashed) is one failure, never silently nothing.
    if (!existsSync(`${dir}/${f}`)) { failed += 1; continue; }
    const r = require(`${dir}/${f}`);
    // A suite that failed without a failing test (it did not load, or beforeAll threw) counts once.
    const failedSuites = r.numFailedTestSuites - r.testResults.filter((s) => s.assertionResults.some((a) => a.status === "failed")).length;
    passed += r.numPassedTests;
    failed += r.numFailedTests + Math.max(0, failedSuites);
  }
  console.log(`${passed} passed, ${failed} failed`);
  process.exit(failed > 0 ? 1 : 0);
' "$PWD/test-results" "$lint_failed" "${results[@]}" || status=1
exit $status
