#!/usr/bin/env bash
# Fetch the pinned tree-sitter runtime and grammars (deps/grammars.lock) with `npm pack`, which
# downloads a package tarball and runs none of its scripts. Each tarball is checked against its
# pinned sha512 before it is unpacked; prebuilt .node/.wasm files are dropped. Idempotent: a
# grammar already unpacked at the pinned version is left alone.
# Usage: scripts/fetch-grammars.sh [DEST]   (default: .deps beside this script's repo)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
dest=${1:-$root/.deps}
lock=$root/deps/grammars.lock
mkdir -p "$dest/tarballs"
export npm_config_cache=${npm_config_cache:-$dest/npm-cache}
command -v npm >/dev/null || { echo "fetch-grammars: npm is required (apt-get install npm)" >&2; exit 2; }

grep -vE '^\s*(#|$)' "$lock" | while read -r spec dir sha sources; do
  stamp="$dest/$dir/.gapmap-pin"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$spec $sha" ]; then continue; fi
  tgz=$(cd "$dest/tarballs" && npm pack --silent "$spec" 2>/dev/null | tail -n 1)
  [ -n "$tgz" ] && [ -f "$dest/tarballs/$tgz" ] || { echo "fetch-grammars: npm pack $spec failed" >&2; exit 2; }
  got=$(sha512sum "$dest/tarballs/$tgz" | cut -d' ' -f1)
  if [ "$got" != "$sha" ]; then
    echo "fetch-grammars: checksum mismatch for $spec ($tgz): expected $sha, got $got" >&2
    rm -f "$dest/tarballs/$tgz"; exit 2
  fi
  rm -rf "$dest/$dir"; mkdir -p "$dest/$dir"
  tar -xzf "$dest/tarballs/$tgz" -C "$dest/$dir" --strip-components=1 --no-same-owner \
    --exclude='*.node' --exclude='*.wasm' --exclude='prebuilds'
  echo "$spec $sha" >"$stamp"
  echo "fetch-grammars: $spec ok" >&2
done
