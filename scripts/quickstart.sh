#!/usr/bin/env bash
# Quickstart: installs dependencies, builds, then runs the plugin's whole volume life cycle on
# one machine against linstor-sim (the embedded LINSTOR simulator) with real loop devices,
# mkfs and mounts. Exits 0 only if every step worked; cleans up on failure or Ctrl-C.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
if [ "$(id -u)" != 0 ]; then echo "quickstart: run as root (it uses loop devices and mount)"; exit 1; fi
if [ "${QUICKSTART_SKIP_BUILD:-}" != 1 ]; then
  ./scripts/install-deps.sh
  ./scripts/build.sh
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
  grep -o " $work[^ ]*" /proc/self/mountinfo 2>/dev/null | sort -r | while read -r m; do
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

say() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }
run() { printf '$ %s\n' "$*" | sed "s|$bin/||g; s|$work|\$WORK|g"; "$@" 2>&1 | sed 's/^/    /'; return "${PIPESTATUS[0]}"; }
json() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
sim_port=$(free_port)
metrics_port=$(free_port)
node_name=$(hostname)
mkdir -p "$work/kubelet" "$work/sim"

say "Start linstor-sim: 3 satellites (sat-alpha, sat-bravo, sat-charlie), volumes on loop devices"
"$bin/linstor/sim/linstor-sim" --listen "127.0.0.1:$sim_port" --data-dir "$work/sim" \
  --backing loop --log-level warn >"$work/sim.log" 2>&1 &
pids+=($!)
export LS_CONTROLLERS="http://127.0.0.1:$sim_port"
python3 - "$sim_port" <<'PY'
import sys, time, urllib.request
for _ in range(200):
    try:
        urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/v1/controller/version", timeout=1)
        sys.exit(0)
    except Exception:
        time.sleep(0.05)
sys.exit("linstor-sim did not start")
PY

say "Start the controller plugin on unix://$work/controller.sock"
"$bin/controller/linstor-csi-controller" --endpoint "unix://$work/controller.sock" \
  --http-address "127.0.0.1:$metrics_port" >"$work/controller.log" 2>&1 &
pids+=($!)

say "Start the node plugin for node \"$node_name\", mapped to LINSTOR satellite sat-alpha"
printf '# node-name satellite-name\n%s sat-alpha\n' "$node_name" >"$work/satellite-map"
run cat "$work/satellite-map"
"$bin/nodeplugin/linstor-csi-node" --endpoint "unix://$work/node.sock" --node-name "$node_name" \
  --satellite-map "$work/satellite-map" --allowed-path-prefix "$work/kubelet" \
  >"$work/node.log" 2>&1 &
pids+=($!)

ctl() { "$csictl" --endpoint "unix://$work/controller.sock" --timeout 60s "$@"; }
nd() { "$csictl" --endpoint "unix://$work/node.sock" --timeout 60s "$@"; }
# Wait until both plugins say they are ready (LINSTOR reachable, satellite known).
for p in ctl nd; do
  for _ in $(seq 100); do
    $p --wait --json identity probe 2>/dev/null | grep -q '"value": *true' && break
    sleep 0.1
  done
done
run ctl identity probe
run nd identity probe
run ctl identity get-plugin-info
run nd node get-info

# Each call runs once; `out` keeps its readable output ("key: value" lines) for field().
out=""
show() { out=$(run "$@") || { printf '%s\n' "$out"; return 1; }; printf '%s\n' "$out"; }
field() { printf '%s\n' "$out" | sed -n "s/^ *$1: //p" | head -1; }
# publish_context.K: V lines -> repeated --publish-context K=V flags.
context_flags() {
  printf '%s\n' "$out" | sed -n 's/^ *publish_context\.\([^:]*\): \(.*\)$/--publish-context \1=\2/p' | tr '\n' ' '
}

# Stage and publish volume $1 at $2 with publish context $3.
attach() {
  local vol=$1 target=$2 ctx=$3
  run nd node stage --volume-id "$vol" --staging-path "$work/kubelet/staging/$vol" \
    --fs-type xfs $ctx
  run nd node publish --volume-id "$vol" --staging-path "$work/kubelet/staging/$vol" \
    --target-path "$target" --fs-type xfs $ctx
}
detach() {
  local vol=$1 target=$2
  run nd node unpublish --volume-id "$vol" --target-path "$target"
  run nd node unstage --volume-id "$vol" --staging-path "$work/kubelet/staging/$vol"
  run ctl controller unpublish-volume --volume-id "$vol" --node-id sat-alpha
}

say "CreateVolume demo-data (512 MiB, 2 replicas, xfs)"
show ctl controller create-volume --name demo-data --size 512Mi --fs-type xfs \
  --param placementCount=2 --param storagePool=pool1
vol=$(field volume.volume_id)

say "ControllerPublishVolume on sat-alpha"
show ctl controller publish-volume --volume-id "$vol" --node-id sat-alpha --fs-type xfs
ctx=$(context_flags)

say "NodeStageVolume (mkfs.xfs on first use, mount) and NodePublishVolume (bind mount)"
target1="$work/kubelet/pods/app/volumes/demo-data"
attach "$vol" "$target1" "$ctx"

say "Write a file through the published mount"
echo "hello from linstor-csi-cpp at $(date -u +%FT%TZ)" >"$target1/hello.txt"
sync
run cat "$target1/hello.txt"

say "CreateSnapshot demo-snap"
show ctl controller create-snapshot --source-volume-id "$vol" --name demo-snap
snap=$(field snapshot.snapshot_id)

say "CreateVolume demo-restored from the snapshot"
show ctl controller create-volume --name demo-restored --size 512Mi --fs-type xfs \
  --param placementCount=2 --param storagePool=pool1 --from-snapshot "$snap"
vol2=$(field volume.volume_id)
show ctl controller publish-volume --volume-id "$vol2" --node-id sat-alpha --fs-type xfs
ctx2=$(context_flags)
target2="$work/kubelet/pods/app2/volumes/demo-restored"
attach "$vol2" "$target2" "$ctx2"

say "Read the file back from the restored volume"
run cat "$target2/hello.txt"
cmp "$target1/hello.txt" "$target2/hello.txt"
echo "    restored data matches byte for byte"

say "Expand demo-data to 1 GiB (controller, then node online resize)"
run ctl controller expand-volume --volume-id "$vol" --size 1Gi --fs-type xfs
run nd node expand-volume --volume-id "$vol" --volume-path "$target1" \
  --staging-path "$work/kubelet/staging/$vol" --size 1Gi
run df -h "$target1"
size=$(python3 -c "import os; s=os.statvfs('$target1'); print(s.f_blocks*s.f_frsize)")
[ "$size" -gt $((700 * 1024 * 1024)) ] || { echo "quickstart: filesystem did not grow ($size bytes)"; exit 1; }

say "NodeGetVolumeStats"
run nd node get-volume-stats --volume-id "$vol" --volume-path "$target1"

say "ListVolumes and ControllerGetVolume"
run ctl controller list-volumes
run ctl controller get-volume --volume-id "$vol"

say "Metrics (http://127.0.0.1:$metrics_port/metrics), excerpt"
python3 - "$metrics_port" <<'PY' | sed 's/^/    /'
import sys, urllib.request
body = urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/metrics", timeout=5).read().decode()
for line in body.splitlines():
    if line.startswith(("lcsi_rpc_total", "lcsi_linstor_requests_total", "lcsi_build_info")):
        print(line)
PY

say "Tear everything down"
detach "$vol2" "$target2"
detach "$vol" "$target1"
run ctl controller delete-volume --volume-id "$vol2"
run ctl controller delete-snapshot --snapshot-id "$snap"
run ctl controller delete-volume --volume-id "$vol"
left=$(ctl --json controller list-volumes | json "len(d.get('entries', []))")
[ "$left" = 0 ] || { echo "quickstart: $left volumes left behind"; exit 1; }
if grep -q " $work" /proc/self/mountinfo; then echo "quickstart: mounts left behind"; exit 1; fi

elapsed=$(python3 -c "import time; print(round(time.time() - $started, 1))")
say "Quickstart passed in ${elapsed}s: every step worked and nothing was left behind"
