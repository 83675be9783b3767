// StorageClass / VolumeSnapshotClass / mutable parameters: parsed and validated in one place.
//
// A key belongs to this plugin when it is
//   "<driver-name>/<key>", "linstor.csi.linbit.com/<key>" (linstor-csi alias) or a bare "<key>";
//   "property.<driver-name>/<LINSTOR key>" or "property.linstor.csi.linbit.com/<LINSTOR key>".
// Keys are matched case-insensitively (as linstor-csi does); DrbdOptions/* and property.*
// keep the case of the LINSTOR property name. "csi.storage.k8s.io/*" keys come from the
// sidecars (PVC metadata, fstype) and are recorded or ignored. A bare key whose first path
// segment contains a dot ("example.com/x") belongs to someone else and is ignored. Anything
// else in our namespaces that is not a known key is InvalidArgument naming the key.
// docs/parameters.md is the reference table.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "controller/remote_access.h"
#include "linstor/model.h"

namespace lcsi::controller {

using ParameterMap = std::map<std::string, std::string>;

inline constexpr std::string_view kLinstorCsiPrefix = "linstor.csi.linbit.com";
inline constexpr int32_t kDefaultPlacementCount = 1;

// placementPolicy (linstor-csi's schedulers that this plugin has).
enum class PlacementPolicy {
  kAutoPlaceTopology,  // default: LINSTOR places, the first replica near the consumer
  kAutoPlace,          // LINSTOR places; the CO's topology is not consulted
  kManual,             // diskful on exactly nodeList, diskless on clientList
  kFollowTopology,     // a replica on each preferred (then requisite) node in turn
};

struct VolumeParameters {
  // ---- placement: what the resource group carries ----
  std::string resource_group;  // explicit name; empty = generated from a hash
  std::vector<std::string> storage_pools;
  std::vector<std::string> diskless_storage_pools;
  std::optional<int32_t> placement_count;
  std::vector<std::string> replicas_on_same;       // "Aux/<key>" or "Aux/<key>=<value>"
  std::vector<std::string> replicas_on_different;  // "Aux/<key>"
  // xReplicasOnDifferent: "Aux/<key>" -> at most that many replicas per value of the key.
  std::map<std::string, int32_t> x_replicas_on_different;
  std::vector<std::string> node_list;
  // clientList: nodes that get a diskless resource when the volume is created.
  std::vector<std::string> client_list;
  PlacementPolicy placement_policy = PlacementPolicy::kAutoPlaceTopology;
  std::string do_not_place_with_regex;
  std::optional<bool> diskless_on_remaining;
  std::vector<std::string> layer_list;  // LINSTOR layer names, upper case, top first
  bool encryption = false;
  // Properties set on the resource group: DrbdOptions/*, raw property.<ns>/* keys and the
  // Incus-style DRBD knobs (on-no-quorum, auto-diskful, auto-add-quorum-tiebreaker).
  linstor::Props linstor_props;

  // ---- per volume ----
  RemoteAccessPolicy remote_access = RemoteAccessPolicy::Anywhere();
  std::string fs_opts;
  std::string mount_opts;
  // postMountXfsOpts: an xfs_io command run on an xfs volume's target after NodePublishVolume.
  std::string post_mount_xfs_opts;
  // usePvcName: the volume is named "<pvc namespace>-<pvc name>" when that is a LINSTOR name.
  bool use_pvc_name = false;
  // overProvision: GetCapacity reports total x factor - reserved per pool (over_provision.h).
  std::optional<double> over_provision;
  // inUseWaitTimeout: how long ControllerPublishVolume and NodeStageVolume wait for a
  // single-node volume to stop being in use on another node; "" = refuse at once.
  std::string in_use_wait;

  // ---- csi.storage.k8s.io/* metadata from the sidecars (never part of a fingerprint) ----
  std::string pvc_name, pvc_namespace, pv_name;
  std::string snapshot_name, snapshot_namespace, snapshot_content_name;
  std::string fs_type;

  // Canonical text of every setting except the metadata: the input of fingerprints.
  std::string Canonical() const;
  // Short hash of Canonical() (stored on volumes for idempotency checks).
  std::string Fingerprint() const;
};

// Parses StorageClass parameters (CreateVolume, GetCapacity, ValidateVolumeCapabilities).
Result<VolumeParameters> ParseVolumeParameters(const ParameterMap& parameters,
                                               std::string_view driver_name);

// Parameters of ControllerModifyVolume (and CreateVolume's mutable_parameters): placement count
// and DRBD options. Known but immutable keys and unknown keys are InvalidArgument.
struct MutableParameters {
  std::optional<int32_t> placement_count;
  linstor::Props drbd_props;  // DrbdOptions/* (including the Incus-style knobs)
  bool empty() const { return !placement_count && drbd_props.empty(); }
  std::string Canonical() const;
};
Result<MutableParameters> ParseMutableParameters(const ParameterMap& parameters,
                                                 std::string_view driver_name);

// VolumeSnapshotClass / VolumeGroupSnapshotClass parameters: only csi.storage.k8s.io/* metadata
// is accepted; any key in our namespaces is InvalidArgument.
Result<VolumeParameters> ParseSnapshotParameters(const ParameterMap& parameters,
                                                 std::string_view driver_name);

// The LINSTOR resource definition name of CSI volume `csi_name`: "<pvc namespace>-<pvc name>"
// when the class sets usePvcName and that is a valid name (as linstor-csi does), otherwise
// LinstorNameFor(csi_name).
std::string VolumeNameFor(const std::string& csi_name, const VolumeParameters& params);

// volume_context keys handed to the node plugin (NodeStage reads them).
std::string FsOptsContextKey(std::string_view driver_name);
std::string PostMountXfsOptsContextKey(std::string_view driver_name);
std::string MountOptsContextKey(std::string_view driver_name);
std::string InUseWaitContextKey(std::string_view driver_name);
// inUseWaitTimeout's value: a duration ("30s", "2m") from 0 to 10 minutes.
Result<std::chrono::milliseconds> ParseInUseWait(const std::string& key, const std::string& value);

}  // namespace lcsi::controller
