#!/usr/bin/env bash
# Installs build and test dependencies from Debian 12's archive (run as root).
#   scripts/install-deps.sh               everything the test suite needs
#   scripts/install-deps.sh --quickstart  only what the quickstart builds and runs
set -euo pipefail
# What the four binaries build from (GTest too: the configure step finds it), and the tools the
# node plugin and linstor-sim's loop mode run.
packages=(
  build-essential cmake pkg-config ccache
  libgrpc++-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler
  libspdlog-dev libsimdjson-dev libcpp-httplib-dev libssl-dev libblkid-dev
  libgtest-dev libgmock-dev
  e2fsprogs xfsprogs util-linux mount kmod python3
)
# Only the test suite: sanitizer and fuzz builds (clang), TLS test material (openssl), the chart
# and manifest checks (node/npm, unzip; ca-certificates for npm's registry over TLS, which
# --no-install-recommends would otherwise leave out).
test_packages=(clang libclang-rt-14-dev openssl unzip ca-certificates)
wanted=("${packages[@]}")
if [ "${1:-}" != --quickstart ]; then wanted+=("${test_packages[@]}"); fi
missing=()
for p in "${wanted[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${1:-}" != --quickstart ] && ! command -v npm >/dev/null 2>&1; then missing+=(nodejs npm); fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
# Loop devices back the volumes of linstor-sim's loop mode and the node tests.
modprobe loop 2>/dev/null || true
