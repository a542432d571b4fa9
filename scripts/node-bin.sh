#!/usr/bin/env bash
# Prints the bin folder of Node <version>, fetched once from the npm registry package
# node-linux-<arch> (the official binary) into ~/.cache/stytch-mock/node/<version>.
# CI runs every suite on each supported Node this way:
#   PATH="$(scripts/node-bin.sh 26.10.0):$PATH" npm test
set -euo pipefail
version=${1:?usage: scripts/node-bin.sh <version>}
case "$(uname -m)" in
  x86_64) arch=x64 ;;
  aarch64 | arm64) arch=arm64 ;;
  *) echo "node-bin.sh: no node-linux package for $(uname -m)" >&2; exit 2 ;;
esac
dir=${XDG_CACHE_HOME:-$HOME/.cache}/stytch-mock/node/$version
if [ ! -x "$dir/bin/node" ]; then
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  (cd "$tmp" && npm pack --silent "node-linux-$arch@$version" >/dev/null)
  mkdir -p "$dir"
  tar -xzf "$tmp"/node-linux-*.tgz -C "$dir" --strip-components=1
fi
echo "$dir/bin"
