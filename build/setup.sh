#!/usr/bin/env bash
# Brings a fresh Debian machine (or a developer's) to the point where Loket runs and its tests pass:
# missing apt packages (when root), Node 22, npm ci, native addons, and the built renderer/main.
# Idempotent and quick when nothing changed: each step keeps a stamp of what it was built from.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/toolchain.sh"
cd "$LOKET_ROOT"

log() { echo "[loket setup] $*" >&2; }

install_apt_packages() {
  local wanted missing=()
  wanted=$(sed -e 's/#.*//' -e '/^\s*$/d' build/apt-packages.txt | awk '{print $1}')
  for p in $wanted; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  ((${#missing[@]} == 0)) && return 0
  if [[ $(id -u) -ne 0 ]]; then
    log "missing Debian packages (install them as root): ${missing[*]}"
    return 1
  fi
  log "installing Debian packages: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# Runs "$@" only when the hash of the listed inputs changed since the last successful run.
stamp_hash() { cat "$@" 2>/dev/null | sha256sum | cut -d' ' -f1; }
when_changed() {
  local stamp=$1; shift
  local inputs=() ; while [[ $1 != -- ]]; do inputs+=("$1"); shift; done; shift
  local h; h="$(stamp_hash "${inputs[@]}")-$(node -v)"
  [[ -f $stamp && $(cat "$stamp") == "$h" ]] && return 0
  "$@"
  mkdir -p "$(dirname "$stamp")"; echo "$h" >"$stamp"
}

install_apt_packages
loket_ensure_node
log "node $(node -v) at $(command -v node)"

mkdir -p .cache
when_changed .cache/npm.stamp package.json package-lock.json -- npm ci --no-fund --no-audit --loglevel=error

# An addon over an optional system library is built only where the library's headers are: without
# libsane (Windows, a desk without SANE) Loket runs and packages without its SANE addon, scans from
# network scanners, and the SANE tests are skipped.
native_buildable() {
  case $1 in
    native/sane) [[ -f /usr/include/sane/sane.h || -f /usr/local/include/sane/sane.h ]] ;;
    *) true ;;
  esac
}
build_native() {
  local gyp dir
  for gyp in native/*/binding.gyp; do
    [[ -f $gyp ]] || continue
    dir=$(dirname "$gyp")
    if ! native_buildable "$dir"; then
      log "not building $dir: its library is not installed on this computer (the app runs without it)"
      rm -rf "$dir/build"
      continue
    fi
    log "building native addon $dir"
    (cd "$dir" && node-gyp rebuild --loglevel=warn >/dev/null)
  done
}
when_changed .cache/native.stamp $(find native -type f \( -name '*.cc' -o -name '*.h' -o -name '*.gyp' \) 2>/dev/null | sort) $(ls /usr/include/sane/sane.h /usr/local/include/sane/sane.h 2>/dev/null) -- build_native

build_app() {
  log "building renderer and main"
  vite build --config renderer/vite.config.ts --logLevel warn
  tsc -p tsconfig.build.json
}
when_changed .cache/app.stamp $(git ls-files -co --exclude-standard common main renderer native server dev resources tsconfig*.json 2>/dev/null | grep -v '\.test\.ts$' | sort) -- build_app
