// Release-readiness checks of rendered deployments for test/deploy/check.sh.
//
//   node expect.mjs pins VALUES README FILE...    sidecar images are the pinned releases (values.yaml,
//                                                 the chart README and every rendering), every
//                                                 sidecar flag and feature gate exists in that release,
//                                                 and each sidecar's (Cluster)Role has that release's
//                                                 RBAC rules, plus only the listed additions
//   node expect.mjs render FILE [KEY=VALUE]...    what every rendering must have (tolerations, probes
//                                                 that do not depend on LINSTOR), plus per-rendering
//                                                 expectations:
//        groupSnapshots=on|off   csi-snapshotter's CSIVolumeGroupSnapshot gate
//        vac=on|off              VolumeAttributesClass left on (gate not set) or set to false
//        linstor=URL             LS_CONTROLLERS of the LINSTOR ConfigMap
//        tlsSecret=NAME          the Secret both plugins mount at /etc/linstor-csi/tls
//        tlsFiles=on|off         LS_ROOT_CA_FILE / LS_USER_CERTIFICATE_FILE / LS_USER_KEY_FILE set
//        satelliteMap=empty      the satellite map has no entries (comments only)
//        replicaWait=DURATION    linstor-csi-node runs with --replica-wait-timeout=DURATION (once)
//
// LCSI_DEPLOY_NODE_MODULES names the node_modules folder with yaml. Exit status 1 on any finding;
// every finding is printed as "FAIL <file>: <what>".
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";
import { SIDECARS, FEATURE_GATES, RBAC, RBAC_ADDITIONS } from "./sidecar_pins.mjs";

const require = createRequire(path.join(process.env.LCSI_DEPLOY_NODE_MODULES ?? ".", "noop.js"));
const YAML = require("yaml");

let failures = 0;
function fail(file, message) {
  failures++;
  console.log(`FAIL ${path.basename(file)}: ${message}`);
}

function loadDocs(file) {
  return YAML.parseAllDocuments(fs.readFileSync(file, "utf8")).map((d) => d.toJSON()).filter((o) => o);
}
const podSpec = (o) => o?.spec?.template?.spec ?? {};
const containers = (o) => podSpec(o).containers ?? [];
const flagName = (arg) => arg.split("=")[0];
const featureGates = (c) =>
  (c?.args ?? []).filter((a) => a.startsWith("--feature-gates=")).flatMap((a) => a.slice(16).split(","));

// ---- pins ------------------------------------------------------------------------------------

function checkPins(valuesFile, readmeFile, files) {
  const values = loadDocs(valuesFile)[0];
  const readme = fs.readFileSync(readmeFile, "utf8");
  for (const [name, pin] of Object.entries(SIDECARS)) {
    const v = values.images?.[pin.values];
    if (v?.repository !== pin.image || v?.tag !== pin.tag) {
      fail(valuesFile, `images.${pin.values} is ${v?.repository}:${v?.tag}, pinned ${pin.image}:${pin.tag}`);
    }
    if (!readme.includes(`${pin.image}:${pin.tag}`)) fail(readmeFile, `${pin.image}:${pin.tag} not in the values table`);
  }
  for (const file of files) {
    const seen = new Set();
    for (const o of loadDocs(file).filter((x) => x.kind === "Deployment" || x.kind === "DaemonSet")) {
      for (const c of containers(o)) {
        const pin = SIDECARS[c.name];
        if (!pin) continue;
        seen.add(c.name);
        const colon = c.image.lastIndexOf(":");
        const [repo, tag] = [c.image.slice(0, colon), c.image.slice(colon + 1)];
        // A mirror may serve the image under another registry, never under another name or tag.
        if (tag !== pin.tag) fail(file, `${o.kind} ${c.name}: tag ${tag}, pinned ${pin.tag}`);
        if (path.basename(repo) !== path.basename(pin.image)) fail(file, `${o.kind} ${c.name}: image ${c.image} is not ${pin.image}`);
        for (const arg of c.args ?? []) {
          if (!pin.flags.includes(flagName(arg))) fail(file, `${c.name} ${pin.tag}: ${flagName(arg)} is not a documented, non-deprecated flag`);
        }
        for (const gate of featureGates(c)) {
          const gateName = gate.split("=")[0];
          if (!(FEATURE_GATES[c.name] ?? []).includes(gateName)) fail(file, `${c.name} ${pin.tag}: unknown feature gate ${gateName}`);
        }
      }
    }
    for (const name of Object.keys(SIDECARS)) if (!seen.has(name)) fail(file, `no ${name} container`);
    checkRbac(file);
  }
  console.log(`checked pinned sidecars in values.yaml, the chart README and ${files.length} renderings`);
}

// Rules as "apiGroup/resource: verb verb ...", one entry per apiGroup/resource pair.
function ruleLines(rules) {
  const verbs = new Map();
  for (const r of rules ?? []) {
    for (const g of r.apiGroups ?? []) {
      for (const res of r.resources ?? []) {
        const key = `${g}/${res}`;
        verbs.set(key, new Set([...(verbs.get(key) ?? []), ...(r.verbs ?? [])]));
      }
    }
  }
  return [...verbs].map(([key, v]) => `${key}: ${[...v].sort().join(" ")}`).sort();
}

function checkRbac(file) {
  const objs = loadDocs(file);
  for (const [sidecar, kinds] of Object.entries(RBAC)) {
    for (const kind of ["ClusterRole", "Role"]) {
      const role = objs.find((o) => o.kind === kind && o.metadata.name.endsWith(`-${sidecar}`));
      if (!role) {
        fail(file, `no ${kind} for ${sidecar}`);
        continue;
      }
      const want = ruleLines([...kinds[kind], ...(RBAC_ADDITIONS[sidecar]?.[kind] ?? [])].map((line) => {
        const [gr, verbs] = line.split(": ");
        const slash = gr.indexOf("/");
        return { apiGroups: [gr.slice(0, slash)], resources: [gr.slice(slash + 1)], verbs: verbs.split(" ") };
      }));
      const got = ruleLines(role.rules);
      const missing = want.filter((x) => !got.includes(x));
      const extra = got.filter((x) => !want.includes(x));
      if (missing.length || extra.length) {
        fail(file, `${kind} ${role.metadata.name}: missing [${missing.join("; ")}], not in ${SIDECARS[`csi-${sidecar}`].tag}'s rbac.yaml [${extra.join("; ")}]`);
      }
    }
  }
}

// ---- render ----------------------------------------------------------------------------------

// Kubernetes' rule (ToleratesTaint): effect empty or equal; key empty with Exists, or equal; then
// Exists, or Equal with the same value.
function tolerates(tolerations, taint) {
  return (tolerations ?? []).some((t) => {
    if (t.effect && t.effect !== taint.effect) return false;
    if (t.key && t.key !== taint.key) return false;
    if (!t.key && t.operator !== "Exists") return false;
    if (t.operator === "Exists") return true;
    return (t.value ?? "") === (taint.value ?? "");
  });
}

const CONTROL_PLANE_TAINT = { key: "node-role.kubernetes.io/control-plane", effect: "NoSchedule" };
// Set by the LINSTOR HA controller that piraeus-operator installs; its own pods tolerate them.
const DRBD_TAINTS = ["drbd.linbit.com/lost-quorum", "drbd.linbit.com/force-io-error"].flatMap((key) =>
  ["NoSchedule", "NoExecute"].map((effect) => ({ key, effect })));

function portNumber(container, port) {
  if (typeof port === "number") return port;
  return (container.ports ?? []).find((p) => p.name === port)?.containerPort;
}

function checkProbes(file, workload, plugin) {
  const where = `${workload.kind} ${plugin.name}`;
  const live = plugin.livenessProbe?.httpGet;
  const httpAddress = (plugin.args ?? []).find((a) => a.startsWith("--http-address="));
  const ownPort = Number(httpAddress?.split(":").pop());
  // /healthz of the plugin and the livenessprobe sidecar's /healthz (CSI Probe) both fail while
  // LINSTOR is unreachable; liveness must not restart the plugin for that.
  if (!live) fail(file, `${where}: no httpGet liveness probe`);
  else {
    if (live.path !== "/livez") fail(file, `${where}: liveness path ${live.path}, expected /livez (LINSTOR-independent)`);
    if (portNumber(plugin, live.port) !== ownPort) fail(file, `${where}: liveness port ${live.port} is not the plugin's --http-address port ${ownPort}`);
  }
  const ready = plugin.readinessProbe?.httpGet;
  if (!ready || ready.path !== "/healthz") fail(file, `${where}: readiness must be an httpGet /healthz (CSI Probe or LINSTOR state)`);
  const registrar = containers(workload).find((c) => c.name === "csi-node-driver-registrar");
  if (registrar && registrar.livenessProbe?.httpGet?.path !== "/healthz") fail(file, `${where}: node-driver-registrar liveness must be its /healthz`);
}

function checkRender(file, expectations) {
  const objs = loadDocs(file);
  const controller = objs.find((o) => o.kind === "Deployment");
  const node = objs.find((o) => o.kind === "DaemonSet");
  const byName = (o, n) => containers(o).find((c) => c.name === n);
  if (!controller || !node) return fail(file, "controller Deployment or node DaemonSet missing");

  for (const taint of [CONTROL_PLANE_TAINT, ...DRBD_TAINTS]) {
    if (!tolerates(podSpec(node).tolerations, taint)) fail(file, `node DaemonSet does not tolerate ${taint.key}:${taint.effect}`);
  }
  for (const taint of DRBD_TAINTS) {
    if (!tolerates(podSpec(controller).tolerations, taint)) fail(file, `controller does not tolerate ${taint.key}:${taint.effect}`);
  }
  checkProbes(file, controller, byName(controller, "linstor-csi-controller") ?? {});
  checkProbes(file, node, byName(node, "linstor-csi-node") ?? {});
  for (const name of ["csi-provisioner", "csi-resizer"]) {
    if (featureGates(byName(controller, name)).includes("Topology=false")) fail(file, `${name}: Topology is off`);
  }

  const linstorMap = objs.find((o) => o.kind === "ConfigMap" && o.data?.LS_CONTROLLERS !== undefined);
  const mapData = objs.find((o) => o.kind === "ConfigMap" && o.data?.["satellite-map"] !== undefined)?.data?.["satellite-map"];
  for (const item of expectations) {
    const [key, value] = item.split(/=(.*)/s);
    const on = value === "on";
    if (key === "groupSnapshots") {
      const gates = featureGates(byName(controller, "csi-snapshotter"));
      if (gates.includes("CSIVolumeGroupSnapshot=true") !== on) fail(file, `csi-snapshotter CSIVolumeGroupSnapshot gate should be ${value}, gates [${gates}]`);
    } else if (key === "vac") {
      for (const name of ["csi-provisioner", "csi-resizer"]) {
        const gates = featureGates(byName(controller, name)).filter((g) => g.startsWith("VolumeAttributesClass="));
        // Setting the gate to true would stop the sidecar from turning VAC off where
        // storage.k8s.io/v1 is missing, so "on" means not set at all.
        const want = on ? [] : ["VolumeAttributesClass=false"];
        if (JSON.stringify(gates) !== JSON.stringify(want)) fail(file, `${name}: VolumeAttributesClass gates [${gates}], expected [${want}]`);
      }
    } else if (key === "linstor") {
      if (linstorMap?.data?.LS_CONTROLLERS !== value) fail(file, `LS_CONTROLLERS ${linstorMap?.data?.LS_CONTROLLERS}, expected ${value}`);
    } else if (key === "tlsFiles") {
      const keys = ["LS_ROOT_CA_FILE", "LS_USER_CERTIFICATE_FILE", "LS_USER_KEY_FILE"];
      const set = keys.filter((k) => linstorMap?.data?.[k]);
      if (set.length !== (on ? 3 : 0)) fail(file, `TLS file variables set: [${set}], expected ${value}`);
    } else if (key === "tlsSecret") {
      for (const o of [controller, node]) {
        const secret = (podSpec(o).volumes ?? []).find((v) => v.name === "linstor-tls")?.secret?.secretName;
        if (secret !== value) fail(file, `${o.kind}: TLS Secret ${secret}, expected ${value}`);
      }
    } else if (key === "replicaWait") {
      const args = (byName(node, "linstor-csi-node")?.args ?? []).filter((a) => a.startsWith("--replica-wait-timeout="));
      const want = [`--replica-wait-timeout=${value}`];
      if (JSON.stringify(args) !== JSON.stringify(want)) fail(file, `linstor-csi-node replica wait flags [${args}], expected [${want}]`);
    } else if (key === "satelliteMap") {
      const entries = (mapData ?? "").split("\n").map((l) => l.trim()).filter((l) => l && !l.startsWith("#"));
      if (entries.length) fail(file, `satellite map has live entries: ${entries.join("; ")}`);
    } else {
      fail(file, `unknown expectation ${item}`);
    }
  }
}

// ---- main ------------------------------------------------------------------------------------

const [mode, ...args] = process.argv.slice(2);
if (mode === "pins") {
  const [values, readme, ...files] = args;
  checkPins(values, readme, files);
} else if (mode === "render") {
  const [file, ...expectations] = args;
  checkRender(file, expectations);
  console.log(`checked ${path.basename(file)}${expectations.length ? ` (${expectations.join(" ")})` : ""}`);
} else {
  console.error("usage: expect.mjs pins VALUES README FILE... | render FILE [KEY=VALUE]...");
  process.exit(2);
}
process.exit(failures ? 1 : 0);
