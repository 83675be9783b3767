// Validation of Kubernetes YAML for test/deploy/check.sh.
//
//   node validate.mjs validate FILE...            every document against the Kubernetes schemas
//   node validate.mjs policy DRIVER FILE...       the deployment's must-haves (flags, mounts, ...)
//   node validate.mjs compare CHART MANIFESTS     chart output and manifests/ agree on essentials
//   node validate.mjs readme VALUES README        every value is in the chart README's table
//
// LCSI_DEPLOY_NODE_MODULES names the node_modules folder with kubernetes-models and yaml.
// Exit status 1 on any finding; every finding is printed as "FAIL <file>: <what>".
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { Schemas } from "./strict_fields.mjs";

const nodeModules = process.env.LCSI_DEPLOY_NODE_MODULES;
if (!nodeModules || !fs.existsSync(path.join(nodeModules, "kubernetes-models"))) {
  console.error("FAIL: set LCSI_DEPLOY_NODE_MODULES to a node_modules with kubernetes-models");
  process.exit(2);
}
const require = createRequire(path.join(nodeModules, "noop.js"));
const YAML = require("yaml");
const modelsRoot = path.join(nodeModules, "kubernetes-models");
const schemas = new Schemas(nodeModules);

let failures = 0;
function fail(file, message) {
  failures++;
  console.log(`FAIL ${file}: ${message}`);
}

export function loadDocs(file) {
  const docs = [];
  for (const doc of YAML.parseAllDocuments(fs.readFileSync(file, "utf8"))) {
    if (doc.errors.length) {
      fail(file, `YAML: ${doc.errors.map((e) => e.message).join("; ")}`);
      continue;
    }
    const value = doc.toJSON();
    if (value !== null && value !== undefined) docs.push(value);
  }
  return docs;
}

// JSON with sorted object keys, so that key order does not count as a difference.
function stable(value) {
  if (Array.isArray(value)) return `[${value.map(stable).join(",")}]`;
  if (value && typeof value === "object") {
    return `{${Object.keys(value).sort().map((k) => `${JSON.stringify(k)}:${stable(value[k])}`).join(",")}}`;
  }
  return JSON.stringify(value);
}

const describe = (o) => `${o.kind}/${o.metadata?.name ?? "?"}`;

// ---- schema validation -----------------------------------------------------------------------

// "apps/v1" -> "apps/v1", "v1" -> "v1": the folder of kubernetes-models that holds the kind.
function modelFile(apiVersion, kind) {
  const file = path.join(modelsRoot, apiVersion, `${kind}.js`);
  return fs.existsSync(file) ? file : null;
}

// Custom resources of the external-snapshotter project: required fields and known fields only.
const stringMap = (v) =>
  v === undefined || (typeof v === "object" && !Array.isArray(v) && Object.values(v).every((x) => typeof x === "string"));
const CRD_CHECKS = {
  "snapshot.storage.k8s.io/v1/VolumeSnapshotClass": (o, err) => {
    allowOnly(o, ["apiVersion", "kind", "metadata", "driver", "deletionPolicy", "parameters"], "", err);
    if (typeof o.driver !== "string" || !o.driver) err("driver: required string");
    if (!["Delete", "Retain"].includes(o.deletionPolicy)) err(`deletionPolicy: must be Delete or Retain`);
    if (!stringMap(o.parameters)) err("parameters: must map strings to strings");
  },
  "snapshot.storage.k8s.io/v1/VolumeSnapshot": (o, err) => {
    allowOnly(o, ["apiVersion", "kind", "metadata", "spec", "status"], "", err);
    const spec = o.spec ?? {};
    allowOnly(spec, ["source", "volumeSnapshotClassName"], "spec/", err);
    const source = spec.source ?? {};
    allowOnly(source, ["persistentVolumeClaimName", "volumeSnapshotContentName"], "spec/source/", err);
    const set = Object.keys(source).filter((k) => typeof source[k] === "string" && source[k]);
    if (set.length !== 1) err("spec/source: exactly one of persistentVolumeClaimName, volumeSnapshotContentName");
  },
  "groupsnapshot.storage.k8s.io/v1/VolumeGroupSnapshotClass": (o, err) => {
    allowOnly(o, ["apiVersion", "kind", "metadata", "driver", "deletionPolicy", "parameters"], "", err);
    if (typeof o.driver !== "string" || !o.driver) err("driver: required string");
    if (!["Delete", "Retain"].includes(o.deletionPolicy)) err(`deletionPolicy: must be Delete or Retain`);
  },
};

function allowOnly(obj, keys, prefix, err) {
  for (const key of Object.keys(obj ?? {})) {
    if (!keys.includes(key)) err(`${prefix}${key}: unknown field`);
  }
}

async function validateObject(file, o) {
  const where = `${file} ${describe(o)}`;
  if (typeof o.apiVersion !== "string" || typeof o.kind !== "string") {
    fail(file, "document without apiVersion/kind");
    return;
  }
  if (!o.metadata?.name) fail(where, "metadata.name missing");
  const crd = CRD_CHECKS[`${o.apiVersion}/${o.kind}`];
  if (crd) {
    crd(o, (m) => fail(where, m));
    const errors = [];
    schemas.check(o.metadata, path.join(nodeModules, "@kubernetes-models/apimachinery/apis/meta/v1/ObjectMeta.d.ts"), "/metadata", errors);
    errors.forEach((e) => fail(where, e));
    return;
  }
  const modelPath = modelFile(o.apiVersion, o.kind);
  if (!modelPath) {
    fail(where, `no schema for ${o.apiVersion} ${o.kind}`);
    return;
  }
  const module = await import(pathToFileURL(modelPath).href);
  const Model = module[o.kind];
  try {
    new Model(o).validate();
  } catch (e) {
    fail(where, `schema: ${e.message}`);
  }
  const errors = [];
  schemas.check(o, modelPath.replace(/\.js$/, ".d.ts"), "", errors);
  errors.forEach((e) => fail(where, e));
}

// ---- policy: what every rendering of the deployment must have --------------------------------

function containersOf(o) {
  return o?.spec?.template?.spec?.containers ?? [];
}
function byName(list) {
  return Object.fromEntries((list ?? []).map((x) => [x.name, x]));
}

function checkPolicy(file, objs, driver) {
  const err = (m) => fail(file, m);
  const find = (kind) => objs.filter((o) => o.kind === kind);
  const [csiDriver] = find("CSIDriver");
  if (!csiDriver) err("no CSIDriver");
  else {
    const s = csiDriver.spec ?? {};
    if (csiDriver.metadata.name !== driver) err(`CSIDriver name ${csiDriver.metadata.name} != ${driver}`);
    if (s.attachRequired !== true) err("CSIDriver.attachRequired must be true");
    if (s.podInfoOnMount !== true) err("CSIDriver.podInfoOnMount must be true");
    if (s.storageCapacity !== true) err("CSIDriver.storageCapacity must be true");
    if (s.fsGroupPolicy !== "File") err("CSIDriver.fsGroupPolicy must be File");
    if (JSON.stringify(s.volumeLifecycleModes) !== '["Persistent"]') err("CSIDriver.volumeLifecycleModes must be [Persistent]");
  }

  const deployments = find("Deployment");
  const daemonsets = find("DaemonSet");
  if (deployments.length !== 1) err(`expected 1 Deployment, found ${deployments.length}`);
  if (daemonsets.length !== 1) err(`expected 1 DaemonSet, found ${daemonsets.length}`);
  for (const o of [...deployments, ...daemonsets]) {
    for (const c of containersOf(o)) {
      const image = c.image ?? "";
      const tag = image.includes(":") ? image.slice(image.lastIndexOf(":") + 1) : "";
      if (!tag || tag === "latest" || tag.includes("/")) err(`${describe(o)} ${c.name}: image "${image}" is not pinned to a version`);
    }
  }

  const controller = deployments[0];
  if (controller) {
    const cs = byName(containersOf(controller));
    const want = ["csi-provisioner", "csi-attacher", "csi-snapshotter", "csi-resizer", "liveness-probe", "linstor-csi-controller"];
    for (const name of want) if (!cs[name]) err(`controller: container ${name} missing`);
    for (const name of ["csi-provisioner", "csi-attacher", "csi-snapshotter", "csi-resizer"]) {
      const args = cs[name]?.args ?? [];
      if (!args.includes("--leader-election")) err(`controller ${name}: --leader-election missing (replicas > 1 needs it)`);
      if (!args.includes("--csi-address=/csi/csi.sock")) err(`controller ${name}: --csi-address=/csi/csi.sock missing`);
    }
    const p = cs["csi-provisioner"]?.args ?? [];
    for (const need of ["--enable-capacity", "--capacity-ownerref-level=2", "--extra-create-metadata"]) {
      if (!p.includes(need)) err(`csi-provisioner: ${need} missing`);
    }
    // Topology is GA and on by default since external-provisioner v5; it must not be turned off.
    if (p.some((a) => a.startsWith("--feature-gates=") && a.includes("Topology=false"))) err("csi-provisioner: Topology is turned off");
    if (!p.some((a) => a.startsWith("--default-fstype="))) err("csi-provisioner: --default-fstype missing");
    if (!p.some((a) => a.startsWith("--timeout="))) err("csi-provisioner: --timeout missing");
    const envNames = (cs["csi-provisioner"]?.env ?? []).map((e) => e.name);
    for (const need of ["NAMESPACE", "POD_NAME"]) if (!envNames.includes(need)) err(`csi-provisioner: env ${need} missing (capacity owner)`);
    const plugin = cs["linstor-csi-controller"];
    if (plugin) {
      if (JSON.stringify(plugin.command) !== '["linstor-csi-controller"]') err("linstor-csi-controller: command must be [linstor-csi-controller]");
      if (!(plugin.args ?? []).includes(`--driver-name=${driver}`)) err(`linstor-csi-controller: --driver-name=${driver} missing`);
      if (!(plugin.args ?? []).some((a) => a.startsWith("--http-address="))) err("linstor-csi-controller: --http-address missing");
      if (!plugin.livenessProbe?.httpGet) err("linstor-csi-controller: httpGet liveness probe missing");
      if (!(plugin.envFrom ?? []).some((e) => e.configMapRef)) err("linstor-csi-controller: LINSTOR ConfigMap envFrom missing");
    }
    if (!controller.spec?.template?.spec?.serviceAccountName) err("controller: serviceAccountName missing");
  }

  const node = daemonsets[0];
  if (node) {
    const cs = byName(containersOf(node));
    for (const name of ["csi-node-driver-registrar", "liveness-probe", "linstor-csi-node"]) if (!cs[name]) err(`node: container ${name} missing`);
    const plugin = cs["linstor-csi-node"];
    const volumes = byName(node.spec?.template?.spec?.volumes);
    if (plugin) {
      if (plugin.securityContext?.privileged !== true) err("linstor-csi-node: must be privileged");
      const mounts = plugin.volumeMounts ?? [];
      const kubelet = mounts.find((m) => volumes[m.name]?.hostPath && m.mountPath === volumes[m.name].hostPath.path && m.mountPath.endsWith("kubelet"));
      if (!kubelet) err("linstor-csi-node: kubelet dir (hostPath, same path) not mounted");
      else if (kubelet.mountPropagation !== "Bidirectional") err("linstor-csi-node: kubelet dir must be mountPropagation Bidirectional");
      if (!mounts.some((m) => m.mountPath === "/dev" && volumes[m.name]?.hostPath?.path === "/dev")) err("linstor-csi-node: /dev not mounted from the host");
      const nodeEnv = (plugin.env ?? []).find((e) => e.valueFrom?.fieldRef?.fieldPath === "spec.nodeName");
      if (!nodeEnv) err("linstor-csi-node: no env from the downward API spec.nodeName");
      else if (!(plugin.args ?? []).includes(`--node-name=$(${nodeEnv.name})`)) err(`linstor-csi-node: --node-name=$(${nodeEnv.name}) missing`);
      if (!(plugin.args ?? []).some((a) => a.startsWith("--satellite-map="))) err("linstor-csi-node: --satellite-map missing");
      if (!(plugin.args ?? []).some((a) => a.startsWith("--replica-wait-timeout="))) err("linstor-csi-node: --replica-wait-timeout missing (how long staging waits for a usable DRBD replica)");
      if (!(plugin.args ?? []).includes(`--driver-name=${driver}`)) err(`linstor-csi-node: --driver-name=${driver} missing`);
      if (JSON.stringify(plugin.command) !== '["linstor-csi-node"]') err("linstor-csi-node: command must be [linstor-csi-node]");
      const socketMount = mounts.find((m) => m.mountPath === "/csi");
      if (!socketMount) err("linstor-csi-node: socket dir /csi not mounted");
      const registrar = cs["csi-node-driver-registrar"];
      const reg = (registrar?.args ?? []).find((a) => a.startsWith("--kubelet-registration-path="));
      if (!reg) err("csi-node-driver-registrar: --kubelet-registration-path missing");
      else {
        const hostSocket = reg.split("=")[1];
        const pluginDir = volumes[socketMount?.name]?.hostPath?.path;
        if (hostSocket !== `${pluginDir}/csi.sock`) err(`registration path ${hostSocket} is not the plugin dir ${pluginDir} + /csi.sock`);
        if (!hostSocket.endsWith(`/plugins/${driver}/csi.sock`)) err(`registration path ${hostSocket} does not end in /plugins/${driver}/csi.sock`);
      }
      const regDir = (registrar?.volumeMounts ?? []).find((m) => m.mountPath === "/registration");
      if (!regDir || !volumes[regDir.name]?.hostPath?.path?.endsWith("/plugins_registry")) err("csi-node-driver-registrar: /registration must be the host's plugins_registry");
    }
  }

  for (const sc of find("StorageClass")) {
    if (sc.provisioner !== driver) err(`${describe(sc)}: provisioner ${sc.provisioner} != ${driver}`);
  }
  for (const c of find("VolumeSnapshotClass")) if (c.driver !== driver) err(`${describe(c)}: driver != ${driver}`);
  for (const c of find("VolumeGroupSnapshotClass")) if (c.driver !== driver) err(`${describe(c)}: driver != ${driver}`);
  for (const c of find("VolumeAttributesClass")) if (c.driverName !== driver) err(`${describe(c)}: driverName != ${driver}`);
}

// ---- compare: chart output vs manifests ------------------------------------------------------

// What must be equal between the two renderings of one workload.
function essentials(o) {
  const spec = o.spec?.template?.spec ?? {};
  const containers = (spec.containers ?? []).map((c) => ({
    name: c.name,
    image: c.image,
    command: c.command ?? null,
    args: [...(c.args ?? [])].sort(),
    env: (c.env ?? []).map((e) => `${e.name}=${e.value ?? stable(e.valueFrom)}`).sort(),
    envFrom: (c.envFrom ?? []).map(stable).sort(),
    volumeMounts: (c.volumeMounts ?? [])
      .map((m) => `${m.name}:${m.mountPath}:${m.mountPropagation ?? "None"}:${m.readOnly ? "ro" : "rw"}`)
      .sort(),
    ports: (c.ports ?? []).map((p) => `${p.name}:${p.containerPort}`).sort(),
    securityContext: c.securityContext ?? null,
    probes: stable([c.livenessProbe ?? null, c.readinessProbe ?? null]),
  }));
  const volumes = (spec.volumes ?? []).map(stable).sort();
  return {
    containers,
    volumes,
    serviceAccountName: spec.serviceAccountName,
    priorityClassName: spec.priorityClassName ?? null,
    replicas: o.spec?.replicas ?? null,
  };
}

function diff(a, b, where, out) {
  if (stable(a) === stable(b)) return;
  if (Array.isArray(a) && Array.isArray(b) && a.every((x) => typeof x === "string") && b.every((x) => typeof x === "string")) {
    const onlyA = a.filter((x) => !b.includes(x));
    const onlyB = b.filter((x) => !a.includes(x));
    out.push(`${where}: chart only [${onlyA.join(", ")}], manifests only [${onlyB.join(", ")}]` + (onlyA.length || onlyB.length ? "" : " (order)"));
    return;
  }
  if (a && b && typeof a === "object" && typeof b === "object" && !Array.isArray(a)) {
    for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) diff(a[key], b[key], `${where}.${key}`, out);
    return;
  }
  if (Array.isArray(a) && Array.isArray(b) && a.length === b.length) {
    a.forEach((x, i) => diff(x, b[i], `${where}[${a[i]?.name ?? i}]`, out));
    return;
  }
  out.push(`${where}: chart ${JSON.stringify(a)} != manifests ${JSON.stringify(b)}`);
}

function compare(chartFile, manifestFile) {
  const key = (o) => `${o.kind}/${o.metadata?.namespace ?? ""}/${o.metadata?.name}`;
  const chart = new Map(loadDocs(chartFile).map((o) => [key(o), o]));
  const manifests = new Map(loadDocs(manifestFile).map((o) => [key(o), o]));
  const onlyInManifests = new Set(["Namespace"]);  // helm install --create-namespace makes it
  for (const [k, o] of manifests) {
    if (!chart.has(k) && !onlyInManifests.has(o.kind)) fail(chartFile, `${k} is in manifests/ but not in the chart`);
  }
  for (const [k] of chart) {
    if (!manifests.has(k)) fail(chartFile, `${k} is in the chart but not in manifests/`);
  }
  for (const [k, c] of chart) {
    const m = manifests.get(k);
    if (!m) continue;
    const out = [];
    if (c.kind === "Deployment" || c.kind === "DaemonSet") {
      diff(essentials(c), essentials(m), k, out);
      // Sidecar list and order: the same containers in the same order.
      const names = (o) => containersOf(o).map((x) => x.name).join(",");
      if (names(c) !== names(m)) out.push(`${k}: containers chart [${names(c)}] != manifests [${names(m)}]`);
    } else if (["ClusterRole", "Role"].includes(c.kind)) {
      diff(c.rules, m.rules, `${k}.rules`, out);
    } else if (["ClusterRoleBinding", "RoleBinding"].includes(c.kind)) {
      diff({ roleRef: c.roleRef, subjects: c.subjects }, { roleRef: m.roleRef, subjects: m.subjects }, k, out);
    } else if (c.kind === "CSIDriver") {
      diff(c.spec, m.spec, `${k}.spec`, out);
    } else if (c.kind === "ServiceAccount") {
      diff(c.automountServiceAccountToken ?? null, m.automountServiceAccountToken ?? null, `${k}.automountServiceAccountToken`, out);
    } else if (c.kind === "ConfigMap" && c.metadata.name.endsWith("-linstor")) {
      diff(Object.keys(c.data ?? {}).sort(), Object.keys(m.data ?? {}).sort(), `${k}.data keys`, out);
    }
    out.forEach((line) => fail(chartFile, `drift: ${line}`));
  }
}

// ---- main ------------------------------------------------------------------------------------

const [mode, ...args] = process.argv.slice(2);
let checked = 0;
if (mode === "validate") {
  for (const file of args) {
    for (const o of loadDocs(file)) {
      await validateObject(file, o);
      checked++;
    }
  }
  console.log(`validated ${checked} objects in ${args.length} files`);
} else if (mode === "policy") {
  const [driver, ...files] = args;
  for (const file of files) checkPolicy(file, loadDocs(file), driver);
  console.log(`policy checked ${files.length} renderings`);
} else if (mode === "compare") {
  compare(args[0], args[1]);
  console.log("compared chart output with manifests/");
} else if (mode === "readme") {
  // Every values.yaml key down to three levels (images.plugin.tag, controller.resources.plugin)
  // must be documented in the chart README's table.
  const [valuesFile, readmeFile] = args;
  const readme = fs.readFileSync(readmeFile, "utf8");
  const values = loadDocs(valuesFile)[0] ?? {};
  const walk = (obj, prefix, depth) => {
    for (const [key, value] of Object.entries(obj)) {
      const p = prefix ? `${prefix}.${key}` : key;
      const descend = value && typeof value === "object" && !Array.isArray(value) && depth < 3 &&
          !["nodeSelector", "affinity", "podAnnotations", "podLabels", "extraEnv", "satelliteMap"].includes(key) &&
          !/resources\.[^.]+$/.test(p) && !readme.includes("`" + p + "`");
      if (descend) {
        walk(value, p, depth + 1);
        continue;
      }
      // images.X.tag is covered by a row for images.X.
      const documented = readme.includes("`" + p + "`") || readme.includes("`" + prefix + "`");
      if (!documented) fail(readmeFile, `value ${p} is not in the values table`);
    }
  };
  walk(values, "", 1);
  console.log("checked the values table");
} else {
  console.error("usage: validate.mjs validate FILE... | policy DRIVER FILE... | compare CHART MANIFESTS | readme VALUES README");
  process.exit(2);
}
process.exit(failures ? 1 : 0);
