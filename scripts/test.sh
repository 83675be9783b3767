#!/usr/bin/env bash
# Installs dependencies, builds, and runs the whole test suite (as root: node tests use real
# loop devices and mounts): ctest on the normal build, then the unit and integration tests once
# more under ASan+UBSan, then each libFuzzer target for a bounded time.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
./scripts/build.sh -DLCSI_DEPLOY_CHECKS=ON
(cd build && ctest --output-on-failure -j"$(nproc)" --timeout 600)
./scripts/ci-sanitize.sh
FUZZ_SECONDS=${FUZZ_SECONDS:-15} ./scripts/ci-fuzz.sh
