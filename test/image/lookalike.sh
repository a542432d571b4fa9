#!/usr/bin/env bash
# Builds a local look-alike of an official base image and tags it under its Docker Hub name, so
# that `podman build --pull=never` builds the Dockerfile unchanged on a machine that reaches no
# container registry (only Debian's mirror and the npm registry).
#
#   test/image/lookalike.sh node:26.10.0-bookworm-slim
#   test/image/lookalike.sh debian:bookworm-slim
#
# node:<version>-<debian>-slim is laid out as nodejs/docker-node's slim Dockerfile lays it out:
# Debian <debian> minbase with the slim image's path excludes, a `node` user and group (uid/gid
# 1000), Node <version> in /usr/local (Node's release binary and headers, from the npm registry
# package node-linux-<arch>; other architectures' OpenSSL headers removed), the npm that release
# bundles, Yarn 1 up to Node 24 (as those images carry it), docker-entrypoint.sh.
# A real image of that name (pulled from a registry) is used as it is; a look-alike is rebuilt
# when this recipe changes (its hash is in the image's labels).
set -euo pipefail

ref=${1:?usage: lookalike.sh node:<version>-<debian>-slim | debian:<debian>-slim}
name="docker.io/library/$ref"
recipe=$(sha256sum "$0" | cut -c1-16)
if podman image exists "$name"; then
  made=$(podman image inspect --format '{{index .Labels "stytch-mock.lookalike"}}' "$name")
  if [ "$made" = "$recipe" ] || [ -z "$made" ] || [ "$made" = '<no value>' ]; then exit 0; fi
fi
case "$(uname -m)" in
  x86_64) arch=x64 openssl_arch=linux-x86_64 ;;
  aarch64) arch=arm64 openssl_arch=linux-aarch64 ;;
  *) echo "lookalike.sh: no recipe for $(uname -m)" >&2; exit 2 ;;
esac

if [[ $ref =~ ^node:([0-9]+\.[0-9]+\.[0-9]+)-([a-z]+)-slim$ ]]; then
  node_version=${BASH_REMATCH[1]} suite=${BASH_REMATCH[2]}
elif [[ $ref =~ ^debian:([a-z]+)-slim$ ]]; then
  node_version='' suite=${BASH_REMATCH[1]}
else
  echo "lookalike.sh: no recipe for $ref (an exact node:X.Y.Z-<debian>-slim or debian:<debian>-slim)" >&2
  exit 2
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
hooks=()
if [ -n "$node_version" ]; then
  (cd "$work" && npm pack --silent "node-linux-$arch@$node_version" >/dev/null)
  mkdir "$work/node" "$work/npm"
  tar -xzf "$work/node-linux-$arch-$node_version.tgz" -C "$work/node" --strip-components=1
  npm_version=$(grep -m1 -oE 'upgrade npm to [0-9]+\.[0-9]+\.[0-9]+' "$work/node/CHANGELOG.md" | cut -d' ' -f4)
  (cd "$work" && npm pack --silent "npm@$npm_version" >/dev/null)
  tar -xzf "$work/npm-$npm_version.tgz" -C "$work/npm" --strip-components=1
  cat >"$work/docker-entrypoint.sh" <<'EOF'
#!/bin/sh
set -e
if [ "${1#-}" != "${1}" ] || [ -z "$(command -v "${1}")" ] || { [ -f "${1}" ] && ! [ -x "${1}" ]; }; then
  set -- node "$@"
fi
exec "$@"
EOF
  hooks+=(
    --customize-hook='chroot "$1" groupadd --gid 1000 node'
    --customize-hook='chroot "$1" useradd --uid 1000 --gid node --shell /bin/bash --create-home node'
    --customize-hook="cp -a '$work/node/bin' '$work/node/include' '$work/node/share' \"\$1/usr/local/\""
    --customize-hook="find \"\$1/usr/local/include/node/openssl/archs\" -mindepth 1 -maxdepth 1 ! -name $openssl_arch -exec rm -rf {} +"
    --customize-hook="mkdir -p \"\$1/usr/local/lib/node_modules\" && cp -a '$work/npm' \"\$1/usr/local/lib/node_modules/npm\""
    --customize-hook='ln -s ../lib/node_modules/npm/bin/npm-cli.js "$1/usr/local/bin/npm"'
    --customize-hook='ln -s ../lib/node_modules/npm/bin/npx-cli.js "$1/usr/local/bin/npx"'
    --customize-hook='ln -s node "$1/usr/local/bin/nodejs"'
    --customize-hook="install -m 0755 '$work/docker-entrypoint.sh' \"\$1/usr/local/bin/docker-entrypoint.sh\""
  )
  if [ "${node_version%%.*}" -le 24 ]; then
    (cd "$work" && npm pack --silent yarn@1.22.22 >/dev/null)
    mkdir "$work/yarn"
    tar -xzf "$work/yarn-1.22.22.tgz" -C "$work/yarn" --strip-components=1
    hooks+=(
      --customize-hook="mkdir -p \"\$1/opt\" && cp -a '$work/yarn' \"\$1/opt/yarn-v1.22.22\""
      --customize-hook='ln -s /opt/yarn-v1.22.22/bin/yarn "$1/usr/local/bin/yarn"'
      --customize-hook='ln -s /opt/yarn-v1.22.22/bin/yarnpkg "$1/usr/local/bin/yarnpkg"'
    )
  fi
fi

# The slim variant's excludes (debuerreotype's slimify list): documentation, manuals, locales.
slim=()
for path in '/usr/share/doc/*' '/usr/share/info/*' '/usr/share/linda/*' \
  '/usr/share/lintian/overrides/*' '/usr/share/locale/*' '/usr/share/man/*'; do
  slim+=(--dpkgopt="path-exclude=$path")
done
slim+=(--dpkgopt='path-include=/usr/share/doc/*/copyright')

mmdebstrap --quiet --variant=minbase --mode=root \
  --hook-dir=/usr/share/mmdebstrap/hooks/merged-usr "${slim[@]}" "${hooks[@]}" \
  --customize-hook='rm -rf "$1"/var/lib/apt/lists/* "$1"/var/cache/apt/*' \
  "$suite" "$work/rootfs.tar" \
  "deb http://deb.debian.org/debian $suite main" \
  "deb http://deb.debian.org/debian $suite-updates main" \
  "deb http://deb.debian.org/debian-security $suite-security main"

changes=(--change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'
  --change "LABEL stytch-mock.lookalike=$recipe")
if [ -n "$node_version" ]; then
  changes+=(--change "ENV NODE_VERSION=$node_version"
    --change 'ENTRYPOINT ["docker-entrypoint.sh"]' --change 'CMD ["node"]')
else
  changes+=(--change 'CMD ["bash"]')
fi
podman import --quiet "${changes[@]}" "$work/rootfs.tar" "$name" >/dev/null
echo "built the look-alike $name"
