#!/usr/bin/env bash
# Builds every libFuzzer target with clang (libFuzzer + ASan + UBSan, all project code
# instrumented for coverage) in its own build dir, then runs each for a bounded time on its
# committed seed corpus and dictionary. New inputs go to a scratch copy, never into the tree.
# Exit status is non-zero if any fuzzer finds a crash, leak or broken invariant; the crashing
# input is left in $FUZZ_ARTIFACTS (default build-fuzz/artifacts).
#
#   FUZZ_SECONDS=20 scripts/ci-fuzz.sh           # per target
#   FUZZ_BUILD_DIR=build-fuzz FUZZ_JOBS=2 ...
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
# ccache hits across checkouts (CI builds in a fresh clone): paths relative to the tree, and
# the build dir not hashed into objects with debug info.
export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$(pwd)} CCACHE_NOHASHDIR=${CCACHE_NOHASHDIR:-1}
build_dir=${FUZZ_BUILD_DIR:-build-fuzz}
seconds=${FUZZ_SECONDS:-20}
jobs=${FUZZ_JOBS:-$(nproc)}
artifacts=${FUZZ_ARTIFACTS:-$build_dir/artifacts}

command -v clang++ >/dev/null || { echo "ci-fuzz: clang++ not found (apt-get install clang)"; exit 1; }
instrument="-fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined -fno-omit-frame-pointer"
CC=clang CXX=clang++ cmake -S . -B "$build_dir" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
  -DLCSI_FUZZ=ON -DLCSI_BENCH=OFF \
  -DCMAKE_C_FLAGS="$instrument" -DCMAKE_CXX_FLAGS="$instrument" >/dev/null

# Every *_fuzzer target the tree defines (lcsi_fuzz_target in test/fuzz/CMakeLists.txt).
mapfile -t targets < <(cmake --build "$build_dir" --target help | grep -oE '[A-Za-z0-9_]+_fuzzer\b' | sort -u)
if [ ${#targets[@]} -eq 0 ]; then echo "ci-fuzz: no *_fuzzer targets defined"; exit 1; fi
echo "ci-fuzz: building ${targets[*]}"
cmake --build "$build_dir" -j"$jobs" --target "${targets[@]}"

# Seed corpus and dictionary of target NAME_fuzzer: test/fuzz/{corpus/NAME,dict/NAME.dict}.
existing() { if [ -e "$1" ]; then echo "$1"; fi; }

mkdir -p "$artifacts"
failed=()
for target in "${targets[@]}"; do
  name=${target%_fuzzer}
  binary=$(find "$build_dir" -type f -name "$target" -perm -u+x | head -1)
  corpus=$(existing test/fuzz/corpus/"$name")
  dict=$(existing test/fuzz/dict/"$name".dict)
  scratch=$(mktemp -d "${TMPDIR:-/tmp}/lcsi-fuzz-$name.XXXXXX")
  [ -n "$corpus" ] && cp -r "$corpus"/. "$scratch"/
  args=(-max_total_time="$seconds" -print_final_stats=1 -artifact_prefix="$artifacts/$name-"
        -max_len=65536 -timeout=10 -rss_limit_mb=2048)
  [ -n "$dict" ] && args+=(-dict="$root/$dict")
  echo "== $target: ${seconds}s, corpus ${corpus:-none}, dict ${dict:-none}"
  if ASAN_OPTIONS=detect_leaks=1 "$binary" "${args[@]}" "$scratch" >"$artifacts/$name.log" 2>&1; then
    grep -E '^stat::number_of_executed_units|^#[0-9]+.*DONE' "$artifacts/$name.log" | tail -2 || true
  else
    echo "!! $target FAILED; last lines of $artifacts/$name.log:"
    tail -40 "$artifacts/$name.log"
    failed+=("$target")
  fi
  rm -rf "$scratch"
done
echo "ci-fuzz: $(( ${#targets[@]} - ${#failed[@]} )) passed, ${#failed[@]} failed"
[ ${#failed[@]} -eq 0 ]
