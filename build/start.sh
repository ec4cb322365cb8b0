#!/usr/bin/env bash
# The README's start command (npm start): Electron when its binary is present, otherwise the
# browser host, which opens Chromium in app mode when a display exists or prints the URL.
set -euo pipefail
bash "$(dirname "${BASH_SOURCE[0]}")/setup.sh"
source "$(dirname "${BASH_SOURCE[0]}")/toolchain.sh"
loket_ensure_node
cd "$LOKET_ROOT"
exec node dev/start.ts "$@"
