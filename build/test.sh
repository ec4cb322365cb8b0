#!/usr/bin/env bash
# The README's test command (npm test): set up the machine, then lint, type-check and run every
# test suite (unit, integration, E2E) with real components.
set -euo pipefail
bash "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
source "$(dirname "${BASH_SOURCE[0]}")/toolchain.sh"
loket_ensure_node
cd "$LOKET_ROOT"

echo "[loket test] lint (import boundaries fail the build)"
eslint . --max-warnings 0
echo "[loket test] type-check"
tsc -p tsconfig.json
tsc -p renderer/tsconfig.json
echo "[loket test] unit, integration and E2E tests"
vitest run "$@"
