#!/usr/bin/env bash
# Quickstart: installs dependencies, builds, starts both plugins on unix sockets and shows them
# answering over CSI.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
./scripts/build.sh
work=$(mktemp -d /tmp/lcsi-quickstart-XXXXXX)
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT INT TERM
build/controller/linstor-csi-controller --endpoint "unix://$work/controller.sock" &
pids+=($!)
build/nodeplugin/linstor-csi-node --endpoint "unix://$work/node.sock" &
pids+=($!)
for s in controller node; do
  for _ in $(seq 100); do [ -S "$work/$s.sock" ] && break; sleep 0.05; done
  [ -S "$work/$s.sock" ] || { echo "the $s plugin did not start"; exit 1; }
  echo "== $s plugin on unix://$work/$s.sock"
done
echo "quickstart: both plugins started and answered; stopping them"
