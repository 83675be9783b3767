#!/usr/bin/env bash
# Quickstart: installs dependencies, builds, then runs the plugin's whole volume life cycle on
# one machine against linstor-sim (the embedded LINSTOR simulator) with real loop devices,
# mkfs and mounts. Exits 0 only if every step worked; cleans up on failure or Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
if [ "$(id -u)" != 0 ]; then echo "quickstart: run as root (it uses loop devices and mount)"; exit 1; fi
if [ "${QUICKSTART_SKIP_BUILD:-}" != 1 ]; then
  # Only what runs below (linstor-sim, both plugins, csictl): not the tests, benchmarks and fuzzers,
  # which ./scripts/test.sh builds.
  ./scripts/install-deps.sh --quickstart
  BUILD_TARGETS=quickstart_binaries ./scripts/build.sh -DLCSI_DEPLOY_CHECKS=OFF
fi
bin=${BUILD_DIR:-$root/build}
csictl=$bin/tools/csictl/csictl
started=$(date +%s.%N)

work=$(mktemp -d /tmp/lcsi-quickstart-XXXXXX)
pids=()
cleanup() {
  local rc=$?
  set +e
  trap - EXIT INT TERM
  # Unmount anything left under the work dir (deepest first), then stop the processes.
  grep -o " ${work}[^ ]*" /proc/self/mountinfo 2>/dev/null | sort -r | while read -r m; do
    umount -l "$m" 2>/dev/null || true
  done
  for ((i = ${#pids[@]} - 1; i >= 0; i--)); do kill -TERM "${pids[$i]}" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
  if [ $rc -ne 0 ]; then echo "quickstart: FAILED (exit $rc); logs were in $work/*.log" >&2; fi
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# shellcheck disable=SC2034  # read by lib/lifecycle.sh
strip_prefix="$bin/"
# shellcheck source=lib/lifecycle.sh
source "$root/scripts/lib/lifecycle.sh"

node_name=$(hostname)
mkdir -p "$work/kubelet" "$work/sim"

say "Start linstor-sim: 3 satellites (sat-alpha, sat-bravo, sat-charlie), volumes on loop devices"
# Port 0 and --port-file: the sim binds a free port itself (a port picked here and released could
# be taken by someone else before the sim binds it).
"$bin/linstor-sim/linstor-sim" --listen 127.0.0.1:0 --port-file "$work/sim.port" \
  --data-dir "$work/sim" --backing loop --log-level warn >"$work/sim.log" 2>&1 &
pids+=($!)
sim_port=$(python3 - "$work/sim.port" <<'PY'
import sys, time, urllib.request
for _ in range(200):
    try:
        port = int(open(sys.argv[1]).read())
        urllib.request.urlopen(f"http://127.0.0.1:{port}/v1/controller/version", timeout=1)
        print(port)
        sys.exit(0)
    except Exception:
        time.sleep(0.05)
sys.exit("linstor-sim did not start")
PY
)
export LS_CONTROLLERS="http://127.0.0.1:$sim_port"

say "Start the controller plugin on unix://$work/controller.sock"
"$bin/controller/linstor-csi-controller" --endpoint "unix://$work/controller.sock" \
  --http-address 127.0.0.1:0 >"$work/controller.log" 2>&1 &
pids+=($!)
# The controller picked its metrics port and logs it.
metrics_port=$(python3 - "$work/controller.log" <<'PY'
import re, sys, time
for _ in range(200):
    m = re.search(r"serving /metrics, /livez and /healthz on 127\.0\.0\.1:(\d+)", open(sys.argv[1]).read())
    if m:
        print(m.group(1))
        sys.exit(0)
    time.sleep(0.05)
sys.exit("the controller did not start its metrics endpoint")
PY
)

say "Start the node plugin for node \"$node_name\", mapped to LINSTOR satellite sat-alpha"
printf '# node-name satellite-name\n%s sat-alpha\n' "$node_name" >"$work/satellite-map"
run cat "$work/satellite-map"
"$bin/nodeplugin/linstor-csi-node" --endpoint "unix://$work/node.sock" --node-name "$node_name" \
  --satellite-map "$work/satellite-map" --allowed-path-prefix "$work/kubelet" \
  >"$work/node.log" 2>&1 &
pids+=($!)

csictl_cmd=("$csictl")
node_id=sat-alpha
lifecycle

elapsed=$(python3 -c "import time; print(round(time.time() - $started, 1))")
say "Quickstart passed in ${elapsed}s: every step worked and nothing was left behind"
