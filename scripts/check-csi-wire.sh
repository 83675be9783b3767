#!/usr/bin/env bash
# Rechecks csi/csi.proto against the CSI v1.12 wire list kept outside the repository (not a test:
# a user's clone has no list). Prints a unified diff of the two canonical listings and the
# per-kind digests computed from the list, which csi/csi_proto_wire_test.cc holds.
#   scripts/check-csi-wire.sh WIRE_LIST
# Exits 0 when csi.proto and the list agree, 1 when they differ, 2 when the list is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
list=${1:-}
if [ -z "$list" ]; then
  echo "usage: scripts/check-csi-wire.sh WIRE_LIST (the CSI v1.12 wire list to compare with)" >&2
  exit 2
fi
if [ ! -r "$list" ]; then
  echo "check-csi-wire: no wire list at $list (pass its path as the first argument)" >&2
  exit 2
fi
build_dir=${BUILD_DIR:-build}
export CCACHE_BASEDIR=${CCACHE_BASEDIR:-$(pwd)} CCACHE_NOHASHDIR=${CCACHE_NOHASHDIR:-1}
[ -f "$build_dir/CMakeCache.txt" ] ||
  cmake -S . -B "$build_dir" -DCMAKE_BUILD_TYPE="${BUILD_TYPE:-RelWithDebInfo}" >/dev/null
cmake --build "$build_dir" --target csi-wire-listing -j"$(nproc)" >/dev/null
tool=$(find "$build_dir" -type f -name csi-wire-listing -perm -u+x | head -n1)

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
"$tool" --list "$list" >"$tmp/list.txt"
"$tool" >"$tmp/proto.txt"
echo "digests of $list (csi_proto_wire_test's kReferenceDigests):"
"$tool" --list "$list" --digests | sed 's/^/  /'
if diff -u --label "wire list" --label "csi.proto" "$tmp/list.txt" "$tmp/proto.txt"; then
  echo "csi.proto matches the wire list ($(wc -l <"$tmp/list.txt") lines)"
else
  echo "csi.proto differs from the wire list (- list, + csi.proto)" >&2
  exit 1
fi
