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
