#!/usr/bin/env bash
# The whole test suite: unit, integration and end-to-end, against real PostgreSQL and Redis.
# Ends with one line "N passed, N failed" and exits non-zero when anything failed.
set -uo pipefail
cd "$(dirname "$0")/.."

[ -d node_modules ] || npm ci --no-audit --no-fund || npm install --no-audit --no-fund
bash scripts/ensure-services.sh || exit 1
# Some tests run the built worker as its own process (to kill it outright).
npm run build --silent || { echo "0 passed, 1 failed"; exit 1; }

# The house rules (eslint.config.mjs): a lint failure is one failed check, and the tests still run.
lint_failed=0
npm run lint --silent || lint_failed=1

mkdir -p test-results
result=test-results/jest.json
rm -f "$result"
npx jest --ci --json --outputFile="$result" "$@"
status=$?

if [ -f "$result" ]; then
  node -e '
    const r = require(process.argv[1]);
    const failedSuites = r.numFailedTestSuites - r.testResults.filter((s) => s.assertionResults.some((a) => a.status === "failed")).length;
    const lintFailed = Number(process.argv[2]);
    console.log(`${r.numPassedTests + (1 - lintFailed)} passed, ${r.numFailedTests + Math.max(0, failedSuites) + lintFailed} failed`);
  ' "$PWD/$result" "$lint_failed"
else
  echo "$((1 - lint_failed)) passed, $((1 + lint_failed)) failed"
  status=1
fi
[ "$lint_failed" -eq 0 ] || status=1
exit $status
