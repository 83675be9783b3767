// The Kubernetes CSI sidecar releases the chart and manifests/ pin, and the flags each of them
// documents (README "Command line options" and the flag definitions in cmd/ of that tag, plus the
// csi-lib-utils common flags and klog's --v). Deprecated flags are left out on purpose, so a
// rendering that uses one fails. Update this table together with values.yaml and manifests/ when
// moving to a new release, after reading that release's CHANGELOG and deploy/kubernetes/rbac.yaml.

// csi-lib-utils standardflags.RegisterCommonFlags, klog's --v, and flags all four controller sidecars define.
const COMMON = ["--csi-address", "--v", "--kubeconfig", "--leader-election", "--leader-election-namespace",
  "--leader-election-lease-duration", "--leader-election-renew-deadline", "--leader-election-retry-period",
  "--leader-election-labels", "--kube-api-qps", "--kube-api-burst", "--http-endpoint", "--metrics-path",
  "--automaxprocs", "--feature-gates", "--timeout", "--retry-interval-start", "--retry-interval-max"];

// container name in the pods -> image, values.yaml key, tag, flags.
export const SIDECARS = {
  "csi-provisioner": {
    image: "registry.k8s.io/sig-storage/csi-provisioner",
    values: "provisioner",
    tag: "v6.3.0",  // reads VolumeAttributesClass through storage.k8s.io/v1 (v6.0.0 and later)
    flags: [...COMMON, "--worker-threads", "--extra-create-metadata", "--default-fstype", "--enable-capacity",
      "--capacity-ownerref-level", "--capacity-poll-interval", "--capacity-threads",
      "--capacity-for-immediate-binding", "--strict-topology", "--immediate-topology",
      "--volume-name-prefix", "--volume-name-uuid-length", "--cloning-protection-threads",
      "--snapshot-orphan-sweep-interval", "--prevent-volume-mode-conversion", "--controller-publish-readonly"],
  },
  "csi-attacher": {
    image: "registry.k8s.io/sig-storage/csi-attacher",
    values: "attacher",
    tag: "v4.12.0",
    flags: [...COMMON, "--worker-threads", "--resync", "--max-entries", "--default-fstype", "--reconcile-sync", "--max-grpc-log-length"],
  },
  "csi-snapshotter": {
    image: "registry.k8s.io/sig-storage/csi-snapshotter",
    values: "snapshotter",
    tag: "v8.6.0",  // group snapshots through groupsnapshot.storage.k8s.io/v1
    flags: [...COMMON, "--worker-threads", "--extra-create-metadata", "--resync-period", "--snapshot-name-prefix",
      "--snapshot-name-uuid-length", "--groupsnapshot-name-prefix", "--groupsnapshot-name-uuid-length"],
  },
  "csi-resizer": {
    image: "registry.k8s.io/sig-storage/csi-resizer",
    values: "resizer",
    tag: "v2.2.1",  // reads VolumeAttributesClass through storage.k8s.io/v1 (v2.0.0 and later)
    flags: [...COMMON, "--handle-volume-inuse-error", "--workers", "--resync-period", "--extra-modify-metadata"],
  },
  "liveness-probe": {
    image: "registry.k8s.io/sig-storage/livenessprobe",
    values: "livenessProbe",
    tag: "v2.19.0",
    // --health-port and --metrics-address are deprecated in favour of --http-endpoint.
    flags: ["--csi-address", "--probe-timeout", "--http-endpoint", "--metrics-path", "--automaxprocs", "--v"],
  },
  "csi-node-driver-registrar": {
    image: "registry.k8s.io/sig-storage/csi-node-driver-registrar",
    values: "nodeDriverRegistrar",
    tag: "v2.17.0",
    // --mode (kubelet-registration-probe) and --health-port are deprecated; --http-endpoint serves /healthz.
    flags: ["--csi-address", "--kubelet-registration-path", "--plugin-registration-path", "--http-endpoint",
      "--timeout", "--enable-pprof", "--automaxprocs", "--v"],
  },
};

// Feature gates each sidecar release knows (pkg/features of that tag).
export const FEATURE_GATES = {
  "csi-provisioner": ["Topology", "CrossNamespaceVolumeDataSource", "VolumeAttributesClass", "ReleaseLeaderElectionOnExit"],
  "csi-attacher": ["ReleaseLeaderElectionOnExit", "MutableCSINodeAllocatableCount"],
  "csi-snapshotter": ["CSIVolumeGroupSnapshot", "ReleaseLeaderElectionOnExit"],
  "csi-resizer": ["AnnotateFsResize", "RecoverVolumeExpansionFailure", "VolumeAttributesClass", "ReleaseLeaderElectionOnExit"],
};

// RBAC of each controller sidecar as its pinned release's deploy/kubernetes/rbac.yaml grants it
// (external-snapshotter: deploy/kubernetes/csi-snapshotter/rbac-csi-snapshotter.yaml), optional
// commented-out rules left out: "apiGroup/resource: verbs". Additions beyond those files are listed
// separately, each with its reason.
const LEASES = ["coordination.k8s.io/leases: get watch list delete update create"];
export const RBAC = {
  provisioner: {
    ClusterRole: [
      "/persistentvolumes: get list watch create patch delete",
      "/persistentvolumeclaims: get list watch update",
      "storage.k8s.io/storageclasses: get list watch",
      "/events: list watch create update patch",
      "snapshot.storage.k8s.io/volumesnapshots: get list watch update",
      "snapshot.storage.k8s.io/volumesnapshotcontents: get list",
      "storage.k8s.io/csinodes: get list watch",
      "/nodes: get list watch",
      "storage.k8s.io/volumeattachments: get list watch",
    ],
    Role: [...LEASES,
      "storage.k8s.io/csistoragecapacities: get list watch create update patch delete",
      "/pods: get",
      "apps/replicasets: get"],
  },
  attacher: {
    ClusterRole: [
      "/persistentvolumes: get list watch patch",
      "storage.k8s.io/csinodes: get list watch",
      "storage.k8s.io/volumeattachments: get list watch patch",
      "storage.k8s.io/volumeattachments/status: patch",
    ],
    Role: LEASES,
  },
  snapshotter: {
    ClusterRole: [
      "/events: list watch create update patch",
      "snapshot.storage.k8s.io/volumesnapshotclasses: get list watch",
      "snapshot.storage.k8s.io/volumesnapshotcontents: get list watch update patch",
      "snapshot.storage.k8s.io/volumesnapshotcontents/status: update patch",
      "groupsnapshot.storage.k8s.io/volumegroupsnapshotclasses: get list watch",
      "groupsnapshot.storage.k8s.io/volumegroupsnapshotcontents: get list watch update patch",
      "groupsnapshot.storage.k8s.io/volumegroupsnapshotcontents/status: update patch",
    ],
    Role: LEASES,
  },
  resizer: {
    ClusterRole: [
      "/persistentvolumes: get list watch patch",
      "/persistentvolumeclaims: get list watch",
      "/pods: get list watch",
      "/persistentvolumeclaims/status: patch",
      "/events: list watch create update patch",
      "storage.k8s.io/volumeattributesclasses: get list watch",
    ],
    Role: LEASES,
  },
};
export const RBAC_ADDITIONS = {
  // CreateVolume for a PVC with a VolumeAttributesClass Gets the class
  // (pkg/controller/controller.go of v6.3.0); its rbac.yaml does not grant it.
  provisioner: { ClusterRole: ["storage.k8s.io/volumeattributesclasses: get"] },
};
