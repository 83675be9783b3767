#!/usr/bin/env bash
# Builds the project once more with AddressSanitizer + UndefinedBehaviorSanitizer
# (-DLCSI_SANITIZE=ON) in its own build dir and runs every test that build configures (unit and
# integration tests and the standalone fuzz drivers; test/CMakeLists.txt leaves the long suites
# out of the sanitizer build). Benchmarks are not built. Any sanitizer report fails the test that
# triggered it.
#
#   scripts/ci-sanitize.sh                  # SANITIZE_BUILD_DIR=build-sanitize
#   SANITIZE_EXCLUDE_LABELS='conformance|soak' SANITIZE_JOBS=2 scripts/ci-sanitize.sh
set -euo pipefail
cd "$(dirname "$0")/.."
# ccache hits across checkouts (CI builds in a fresh clone): paths relative to the tree, and
# the build dir not hashed into objects with debug info.
export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$(pwd)} CCACHE_NOHASHDIR=${CCACHE_NOHASHDIR:-1}
build_dir=${SANITIZE_BUILD_DIR:-build-sanitize}
jobs=${SANITIZE_JOBS:-$(nproc)}
exclude=${SANITIZE_EXCLUDE_LABELS:-soak}

cmake -S . -B "$build_dir" -DCMAKE_BUILD_TYPE=Debug -DLCSI_SANITIZE=ON -DLCSI_BENCH=OFF >/dev/null
cmake --build "$build_dir" -j"$jobs"

# halt_on_error/abort: a report is a failure, not a log line. Child processes (the plugin
# binaries the integration tests start) inherit these and are built with the sanitizers too.
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:strict_string_checks=1:detect_stack_use_after_return=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
cd "$build_dir"
ctest --output-on-failure -j"$jobs" --timeout 900 -LE "$exclude"
