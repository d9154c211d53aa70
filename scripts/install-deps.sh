#!/usr/bin/env bash
# Installs the Debian packages gapmap builds with, skipping those already present. Idempotent.
# Run as root (or with sudo available). Debian 12 or newer.
set -euo pipefail
packages=(cmake g++ make git ca-certificates nodejs npm
          libcli11-dev nlohmann-json3-dev libfmt-dev doctest-dev libcurl4-openssl-dev zlib1g-dev graphviz)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
# A machine may have node/npm from elsewhere (nodesource, nvm): that is fine too.
if command -v npm >/dev/null 2>&1; then
  missing=("${missing[@]/nodejs/}"); missing=("${missing[@]/npm/}")
fi
read -r -a missing <<<"${missing[*]}"
[ ${#missing[@]} -eq 0 ] && exit 0
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "install-deps: installing ${missing[*]}" >&2
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
