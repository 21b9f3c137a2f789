#!/usr/bin/env bash
# test.sh - the project's test command (`npm test`): dependencies, build, a type check of the
# tests, then every vitest project (unit and integration). Extra arguments go to vitest, e.g.
#   npm test -- test/unit/selector.test.ts
# The exit code is vitest's, or 1 when the tests do not type-check.
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

bash scripts/ensure-deps.sh
# Without chromium the picture tests fail and say so; the rest still runs.
bash scripts/ensure-chromium.sh || true

# Unit tests do not need the build, so a failed build is reported and the tests still
# run; the CLI tests then fail and carry the failure into the exit code.
if ! npm run --silent build; then
  echo "test.sh: build failed; tests that run the CLI will fail" >&2
fi

# vitest strips types without checking them; the tests are type-checked here.
if ! npx tsc -p tsconfig.test.json; then
  echo "test.sh: the tests do not type-check" >&2
  exit 1
fi

exec npx vitest run "$@"
