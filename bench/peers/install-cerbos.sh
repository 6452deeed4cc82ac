#!/usr/bin/env bash
# Installs the Cerbos server binary (npm package @cerbos/cerbos-linux-x64) into a cache directory outside
# the repository and prints the binary's path. Idempotent: a second run only prints the path.
# Usage: bench/peers/install-cerbos.sh   (cache: ${BENCH_WORK:-/tmp/gavel-bench}/peers/cerbos)
set -euo pipefail
version="0.55.0"
dir="${BENCH_WORK:-/tmp/gavel-bench}/peers/cerbos"
package="@cerbos/cerbos-linux-x64"
# The package ships the binary as its main file, named after the package.
find_binary() {
  local b="$dir/node_modules/$package/cerbos-linux-x64"
  [[ -f "$b" ]] && echo "$b"
}
binary="$(find_binary || true)"
if [[ -z "$binary" ]] || ! "$binary" --version 2>/dev/null | grep -q "$version"; then
  mkdir -p "$dir"
  npm install --silent --no-audit --no-fund --prefix "$dir" "$package@$version" >&2
  binary="$(find_binary)"
fi
[[ -n "$binary" ]] || { echo "cerbos binary not found under $dir" >&2; exit 1; }
chmod +x "$binary"
echo "$binary"
