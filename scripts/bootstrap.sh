#!/usr/bin/env bash
# One step from a fresh clone to a built gapmap: Debian packages, pinned grammars, configure, build.
# GAPMAP_PRESET picks the CMake preset (default: "default"; CI uses "ci" for -Werror, "asan" for
# the sanitizer build).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
preset=${GAPMAP_PRESET:-default}
scripts/install-deps.sh
scripts/fetch-grammars.sh
cmake --preset "$preset" >/dev/null
cmake --build --preset "$preset" -j "$(nproc)"
