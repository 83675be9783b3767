# The quickstart's volume life cycle, shared by scripts/quickstart.sh (plugins run from the build
# tree) and scripts/image-check.sh (plugins run from the image). Sourced, not run.
# The caller sets, before calling lifecycle:
#   csictl_cmd   array: how to run csictl (a path, or `docker exec CONTAINER csictl`)
#   work         directory holding controller.sock, node.sock and kubelet/ (the node's allowed
#                path prefix; the caller makes sure mounts in it are visible here)
#   metrics_port the controller's --http-address port on 127.0.0.1
#   node_id      the node id the node plugin reports (its LINSTOR satellite)
#   strip_prefix text removed from the commands as they are printed (optional)
# Exits non-zero at the first step that fails; the caller cleans up.

say() { printf '\n\033[1m==> %s\033[0m\n' "$*"; }
# Prints the command (without strip_prefix, $WORK for the work dir), runs it, indents its output.
run() {
  local shown="$*"
  if [ -n "${strip_prefix:-}" ]; then shown=${shown//"$strip_prefix"/}; fi
  printf '$ %s\n' "${shown//"$work"/\$WORK}"
  "$@" 2>&1 | sed 's/^/    /'
  return "${PIPESTATUS[0]}"
}
json() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }

ctl() { "${csictl_cmd[@]}" --endpoint "unix://$work/controller.sock" --timeout 60s "$@"; }
nd() { "${csictl_cmd[@]}" --endpoint "unix://$work/node.sock" --timeout 60s "$@"; }
# ready controller|node: its socket accepts calls and Probe says ready (LINSTOR reachable,
# satellite known); each try is bounded so that a plugin that never starts fails the wait.
ready() {
  "${csictl_cmd[@]}" --endpoint "unix://$work/$1.sock" --timeout 2s --wait --json identity probe \
    2>/dev/null | grep -q '"ready": *true'
}

# Each call runs once; `out` keeps its readable output ("key: value" lines) for field().
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
  run ctl controller unpublish-volume --volume-id "$vol" --node-id "$node_id"
}

lifecycle() {
  local out="" p deadline vol ctx target1 snap vol2 ctx2 target2 size left
  # Wait until both plugins say they are ready (LINSTOR reachable, satellite known).
  for p in controller node; do
    deadline=$((SECONDS + 60))
    until ready "$p"; do
      if [ $SECONDS -ge $deadline ]; then
        echo "quickstart: the $p plugin did not become ready within 60 s"
        exit 1
      fi
      sleep 0.1
    done
  done
  run ctl identity probe
  run nd identity probe
  run ctl identity get-plugin-info
  run nd node get-info

  say "CreateVolume demo-data (512 MiB, 2 replicas, xfs)"
  show ctl controller create-volume --name demo-data --size 512Mi --fs-type xfs \
    --param placementCount=2 --param storagePool=pool1
  vol=$(field volume.volume_id)

  say "ControllerPublishVolume on $node_id"
  show ctl controller publish-volume --volume-id "$vol" --node-id "$node_id" --fs-type xfs
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
  show ctl controller publish-volume --volume-id "$vol2" --node-id "$node_id" --fs-type xfs
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
  if [ "$size" -le $((700 * 1024 * 1024)) ]; then
    echo "quickstart: filesystem did not grow ($size bytes)"
    exit 1
  fi

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
  if grep -q " $work/kubelet/" /proc/self/mountinfo; then echo "quickstart: mounts left behind"; exit 1; fi
}
