#!/usr/bin/env bash
# The benchmark: builds gapmap and the parse-only floor (bench/parse_floor.cpp), then prints
# gapmap's time as a ratio to the floor on real and generated trees (bench/bench.py).
#   scripts/bench.sh [--quick] [--runs N] [--jobs N]
# BENCH_PYTHON_LIB=DIR picks the Python installation to scan (default: the running python3's).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
if [ ! -x build/gapmap ]; then scripts/bootstrap.sh; fi
cmake --build build -j "$(nproc)" --target gapmap parse_floor >/dev/null
exec python3 bench/bench.py "$@"
