#!/usr/bin/env bash
# Prints the bin folder of Node <version> with the npm that Node release bundles, fetched once from
# the npm registry (the package node-linux-<arch>, a repackaging of Node's release binary, and
# npm@<the version Node's changelog names>) into ~/.cache/stytch-mock/node/. Linux only.
# CI runs every suite on each supported Node this way:
#   PATH="$(scripts/node-bin.sh 26.10.0):$PATH" npm test
set -euo pipefail
version=${1:?usage: scripts/node-bin.sh <version>}
[ "$(uname -s)" = Linux ] || { echo "node-bin.sh: Linux only" >&2; exit 2; }
case "$(uname -m)" in
  x86_64) arch=x64 ;;
  aarch64 | arm64) arch=arm64 ;;
  *) echo "node-bin.sh: no node-linux package for $(uname -m)" >&2; exit 2 ;;
esac
dir=${XDG_CACHE_HOME:-$HOME/.cache}/stytch-mock/node/$version-linux-$arch
if [ ! -x "$dir/bin/npm" ]; then
  tmp=$(mktemp -d)
  trap 'rm -rf "$tmp"' EXIT
  (cd "$tmp" && npm pack --silent "node-linux-$arch@$version" >/dev/null)
  mkdir "$tmp/node"
  tar -xzf "$tmp"/node-linux-*.tgz -C "$tmp/node" --strip-components=1
  npm_version=$(grep -m1 -oE 'upgrade npm to [0-9]+\.[0-9]+\.[0-9]+' "$tmp/node/CHANGELOG.md" | cut -d' ' -f4)
  (cd "$tmp" && npm pack --silent "npm@$npm_version" >/dev/null)
  mkdir -p "$tmp/node/lib/node_modules/npm"
  tar -xzf "$tmp/npm-$npm_version.tgz" -C "$tmp/node/lib/node_modules/npm" --strip-components=1
  ln -s ../lib/node_modules/npm/bin/npm-cli.js "$tmp/node/bin/npm"
  ln -s ../lib/node_modules/npm/bin/npx-cli.js "$tmp/node/bin/npx"
  mkdir -p "$(dirname "$dir")"
  rm -rf "$dir"
  mv "$tmp/node" "$dir"
fi
echo "$dir/bin"
