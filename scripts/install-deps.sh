#!/usr/bin/env bash
# Installs every build and test dependency from Debian 12's archive (run as root).
set -euo pipefail
packages=(
  build-essential cmake pkg-config ccache clang libclang-rt-14-dev
  libgrpc++-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler
  libspdlog-dev libsimdjson-dev libcpp-httplib-dev libssl-dev libblkid-dev
  libgtest-dev libgmock-dev
  e2fsprogs xfsprogs util-linux mount kmod openssl python3 unzip
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ! command -v npm >/dev/null 2>&1; then missing+=(nodejs npm); fi
if [ ${#missing[@]} -gt 0 ]; then
  echo "installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi
# Loop devices back the volumes of linstor-sim's loop mode and the node tests.
modprobe loop 2>/dev/null || true
