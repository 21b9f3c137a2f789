#!/usr/bin/env bash
# test.sh - the project's test command (`npm test`): dependencies, build, then every
# vitest project (unit and integration). Extra arguments go to vitest, e.g.
#   npm test -- test/unit/selector.test.ts
# The exit code is vitest's.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/ensure-deps.sh

# Unit tests do not need the build, so a failed build is reported and the tests still
# run; the CLI tests then fail and carry the failure into the exit code.
if ! npm run --silent build; then
  echo "test.sh: build failed; tests that run the CLI will fail" >&2
fi

exec npx vitest run "$@"
