#!/usr/bin/env bash
# Builds the container image and runs it (as root, with a running Docker engine):
#  1. builds the Dockerfile (base images made from Debian's archive by scripts/image-base.sh when
#     the engine has none, e.g. with no registry reachable) and checks the image's size;
#  2. checks that every tool the node plugin execs (read from nodeplugin/'s sources) and the mount
#     tools are inside, and that every binary's shared libraries resolve;
#  3. runs linstor-sim, the controller and the node plugin from the image (host network; sim and
#     node privileged with /dev; the node with a kubelet-like directory bind-mounted rshared)
#     and drives the quickstart's life cycle (scripts/lib/lifecycle.sh) through them, with the
#     image's csictl.
# Removes its containers, mounts and loop devices on success, failure or Ctrl-C.
# It compiles the project inside the image build, so it is not part of .ci/run (see
# docs/benchmarks.md for its time). IMAGE names the image (default linstor-csi-cpp:check);
# IMAGE_MAX_MB bounds its size; IMAGE_SKIP_BUILD=1 reuses an existing IMAGE.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
if [ "$(id -u)" != 0 ]; then echo "image-check: run as root (loop devices, mounts)"; exit 1; fi
image=${IMAGE:-linstor-csi-cpp:check}
max_mb=${IMAGE_MAX_MB:-230}
docker info >/dev/null 2>&1 || { echo "image-check: no running Docker engine" >&2; exit 1; }
started=$(date +%s)

work=$(mktemp -d /tmp/lcsi-image-XXXXXX)
containers=()
cleanup() {
  local rc=$?
  set +e
  trap - EXIT INT TERM
  if [ $rc -ne 0 ]; then
    for c in "${containers[@]}"; do
      echo "---- docker logs $c (last 30 lines)" >&2
      docker logs --tail 30 "$c" 2>&1 | sed 's/^/    /' >&2
    done
  fi
  # Stop in reverse start order: the node and controller before linstor-sim, which detaches its
  # loop devices when it stops.
  for ((i = ${#containers[@]} - 1; i >= 0; i--)); do
    docker stop -t 15 "${containers[$i]}" >/dev/null 2>&1
    docker rm -f "${containers[$i]}" >/dev/null 2>&1
  done
  grep -o " $work[^ ]*" /proc/self/mountinfo 2>/dev/null | sort -r | while read -r m; do
    umount -l "$m" 2>/dev/null
  done
  # Loop devices the simulator attached to its files here and could not detach.
  losetup -n -l -O NAME,BACK-FILE 2>/dev/null | while read -r dev file; do
    case "$file" in "$work"/*) losetup -d "$dev" 2>/dev/null ;; esac
  done
  rm -rf --one-file-system "$work"
  if [ $rc -ne 0 ]; then echo "image-check: FAILED (exit $rc)" >&2; fi
  exit $rc
}
trap cleanup EXIT
trap 'exit 130' INT TERM

strip_prefix=""
# shellcheck source=lib/lifecycle.sh
source "$root/scripts/lib/lifecycle.sh"

# ---- 1. build ------------------------------------------------------------------------------------
for base in $(sed -n 's/^FROM \([^ ]*\).*/\1/p' Dockerfile | sort -u); do
  if ! docker image inspect "$base" >/dev/null 2>&1; then
    say "Base image $base is missing: making debian:12 and debian:12-slim with debootstrap"
    ./scripts/image-base.sh
    break
  fi
done
build_seconds=0
if [ "${IMAGE_SKIP_BUILD:-}" != 1 ]; then
  say "Build $image (docker build; compiles the four binaries)"
  build_started=$(date +%s)
  # The legacy builder needs no BuildKit frontend image; host network reaches Debian's archive.
  if ! DOCKER_BUILDKIT=0 docker build --network host -t "$image" . >"$work/docker-build.log" 2>&1; then
    tail -40 "$work/docker-build.log" | sed 's/^/    /'
    echo "image-check: docker build failed" >&2
    exit 1
  fi
  grep -E '^Step [0-9]+/[0-9]+ : (FROM|RUN cmake|COPY --from)' "$work/docker-build.log" |
    cut -c1-100 | sed 's/^/    /'
  warnings=$(grep -c 'warning:' "$work/docker-build.log" || true)
  echo "    compiler warnings: $warnings"
  build_seconds=$(($(date +%s) - build_started))
  echo "    built in ${build_seconds}s"
fi
size=$(docker image inspect -f '{{.Size}}' "$image")
size_mb=$(((size + 999999) / 1000000))
echo "    image size: ${size_mb} MB ($size bytes; limit ${max_mb} MB)"
[ "$size_mb" -le "$max_mb" ] || { echo "image-check: image larger than ${max_mb} MB" >&2; exit 1; }

# ---- 2. contents ---------------------------------------------------------------------------------
say "Tools the node plugin execs, and the mount tools"
# Literal commands (Command{"blkid", ...}) plus mkfs.<fs> for every filesystem it formats.
mapfile -t execs < <(grep -ho 'Command{"[A-Za-z0-9_.-]*"' $(ls nodeplugin/*.cc | grep -v -e _test -e fake_) |
  sed 's/Command{"\(.*\)"/\1/' | sort -u)
mapfile -t mkfs < <(sed -n 's/.*bool IsFormattableFs.*{\(.*\)}.*/\1/p' nodeplugin/filesystem.cc |
  grep -o '"[a-z0-9]*"' | tr -d '"' | sed 's/^/mkfs./')
[ ${#execs[@]} -ge 3 ] && [ ${#mkfs[@]} -ge 2 ] ||
  { echo "image-check: could not read the exec'd tools from nodeplugin/ (${execs[*]} ${mkfs[*]})" >&2; exit 1; }
tools=("${execs[@]}" "${mkfs[@]}" mount umount losetup)
docker run --rm --network none "$image" sh -c '
  rc=0
  for t; do
    if p=$(command -v "$t"); then echo "    $t: $p"; else echo "    $t: MISSING"; rc=1; fi
  done
  exit $rc' sh "${tools[@]}"
say "Shared libraries of every binary, and each one starts (--help)"
docker run --rm --network none "$image" sh -c '
  rc=0
  for b in linstor-csi-controller linstor-csi-node csictl linstor-sim; do
    p=$(command -v "$b") || { echo "    $b: MISSING"; rc=1; continue; }
    if ldd "$p" | grep "not found"; then rc=1; fi
    if "$b" --help >/dev/null 2>&1; then echo "    $b: $p, libraries resolve, --help exits 0"
    else echo "    $b: --help failed"; rc=1; fi
  done
  exit $rc'

# ---- 3. run ---------------------------------------------------------------------------------------
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
sim_port=$(free_port)
metrics_port=$(free_port)
node_name=$(hostname)
node_id=sat-alpha
name=lcsi-image-check-$$
mkdir -p "$work/kubelet" "$work/sim"
# Like kubelet's directory: a shared mount, so what the node container mounts below it shows here.
mount --bind "$work/kubelet" "$work/kubelet"
mount --make-rshared "$work/kubelet"
printf '# node-name satellite-name\n%s %s\n' "$node_name" "$node_id" >"$work/satellite-map"

# --privileged asks for every capability; where this host's bounding set lacks some (a sandboxed
# VM), runc refuses it. Then grant the same minus those: all other capabilities, every device,
# no seccomp/AppArmor filter, unmasked /proc and /sys paths.
missing_caps=$(python3 - <<'PY'
names = ["CHOWN", "DAC_OVERRIDE", "DAC_READ_SEARCH", "FOWNER", "FSETID", "KILL", "SETGID",
         "SETUID", "SETPCAP", "LINUX_IMMUTABLE", "NET_BIND_SERVICE", "NET_BROADCAST", "NET_ADMIN",
         "NET_RAW", "IPC_LOCK", "IPC_OWNER", "SYS_MODULE", "SYS_RAWIO", "SYS_CHROOT", "SYS_PTRACE",
         "SYS_PACCT", "SYS_ADMIN", "SYS_BOOT", "SYS_NICE", "SYS_RESOURCE", "SYS_TIME",
         "SYS_TTY_CONFIG", "MKNOD", "LEASE", "AUDIT_WRITE", "AUDIT_CONTROL", "SETFCAP",
         "MAC_OVERRIDE", "MAC_ADMIN", "SYSLOG", "WAKE_ALARM", "BLOCK_SUSPEND", "AUDIT_READ"]
line = next(l for l in open("/proc/self/status") if l.startswith("CapBnd:"))
bounding = int(line.split()[1], 16)
print(" ".join(n for i, n in enumerate(names) if not bounding >> i & 1))
PY
)
if [ -z "$missing_caps" ]; then
  privileged=(--privileged)
else
  privileged=(--cap-add ALL --security-opt seccomp=unconfined --security-opt apparmor=unconfined
    --security-opt systempaths=unconfined --device-cgroup-rule 'b *:* rwm'
    --device-cgroup-rule 'c *:* rwm')
  for c in $missing_caps; do privileged+=(--cap-drop "$c"); done
  echo "    this host's capability bounding set lacks $missing_caps: privileged containers run" \
    "with every other capability and device instead of --privileged"
fi

start() {  # start NAME DOCKER-RUN-ARGS... IMAGE COMMAND...
  local c=$name-$1
  shift
  containers+=("$c")
  docker run -d --name "$c" --network host -v "$work:$work" "$@" >/dev/null
}

say "Start linstor-sim from the image (privileged: loop devices)"
start sim "${privileged[@]}" -v /dev:/dev "$image" \
  linstor-sim --listen "127.0.0.1:$sim_port" --data-dir "$work/sim" --backing loop --log-level warn
python3 - "$sim_port" <<'PY'
import sys, time, urllib.request
for _ in range(300):
    try:
        urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/v1/controller/version", timeout=1)
        sys.exit(0)
    except Exception:
        time.sleep(0.05)
sys.exit("linstor-sim did not start")
PY

say "Start the controller plugin from the image"
start controller -e "LS_CONTROLLERS=http://127.0.0.1:$sim_port" "$image" \
  linstor-csi-controller --endpoint "unix://$work/controller.sock" \
  --http-address "127.0.0.1:$metrics_port"

say "Start the node plugin from the image (privileged, /dev and the kubelet directory)"
start node "${privileged[@]}" -v /dev:/dev -v "$work/kubelet:$work/kubelet:rshared" \
  -e "LS_CONTROLLERS=http://127.0.0.1:$sim_port" "$image" \
  linstor-csi-node --endpoint "unix://$work/node.sock" --node-name "$node_name" \
  --satellite-map "$work/satellite-map" --allowed-path-prefix "$work/kubelet"

# csictl from the image too, in the node's container (it sees both sockets under $work).
csictl_cmd=(docker exec "$name-node" csictl)
lifecycle

say "Stop the containers (SIGTERM) and check they exited cleanly"
for ((i = ${#containers[@]} - 1; i >= 0; i--)); do
  c=${containers[$i]}
  docker stop -t 15 "$c" >/dev/null
  code=$(docker inspect -f '{{.State.ExitCode}}' "$c")
  echo "    $c exited with $code"
  [ "$code" = 0 ] || { echo "image-check: $c exited with $code" >&2; exit 1; }
done
if losetup -n -l -O BACK-FILE | grep -q "^$work/"; then
  echo "image-check: loop devices left behind" >&2
  exit 1
fi
say "Image check passed in $(($(date +%s) - started))s (build ${build_seconds}s, image ${size_mb} MB)"
