#!/usr/bin/env bash
# Installs dependencies, builds, and runs the whole test suite (as root: node tests use real
# loop devices and mounts).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
./scripts/build.sh
cd build
ctest --output-on-failure -j"$(nproc)" --timeout 600
