// The Aux/ properties through which the plugin marks and tracks what it owns in LINSTOR.
// Every object the plugin creates carries kOwner = <owner id>; the plugin lists, modifies and
// deletes only objects whose kOwner equals its own owner id.
#pragma once

#include <algorithm>
#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "linstor/model.h"

namespace lcsi::controller::props {

// Every property the plugin sets on LINSTOR objects starts with this.
inline constexpr std::string_view kPluginPrefix = "Aux/csi-";
inline constexpr std::string_view kOwner = "Aux/csi-owner";
// The CSI name the object was created for (volume, snapshot or group snapshot name).
inline constexpr std::string_view kName = "Aux/csi-name";
// Fingerprint of the parameters a volume was created with (idempotency check).
inline constexpr std::string_view kParams = "Aux/csi-params";
// Content source: "snapshot:<snapshot id>" or "volume:<volume id>" (idempotency check).
inline constexpr std::string_view kSource = "Aux/csi-source";
// "true"/"false": may the volume be attached diskless on nodes without a replica.
inline constexpr std::string_view kRemoteAccess = "Aux/csi-remote-access";
// Set while a multi-step create (restore, clone) is under way, to the CSI volume name (older
// versions: "true"); a retry finding it cleans up. A restore overwrites the other marks with the
// source volume's, never this one (a volume is only snapshotted once complete).
inline constexpr std::string_view kIncomplete = "Aux/csi-incomplete";
// Set on a deleted volume whose snapshots keep its resource definition alive.
inline constexpr std::string_view kDeleted = "Aux/csi-deleted";
// Per node: "rw" or "ro" while the volume is published there.
inline constexpr std::string_view kPublishedPrefix = "Aux/csi-published/";
// Per node: "true" when ControllerPublish created the (diskless) resource there.
inline constexpr std::string_view kDisklessMadePrefix = "Aux/csi-diskless-made/";
// Comma-separated RD property keys (DrbdOptions/...) the plugin itself set from mutable
// parameters (CreateVolume's or ControllerModifyVolume's). A restore or clone copies the
// source's RD properties; exactly these keys of the source are deleted from the copy, while
// keys LINSTOR set (auto-quorum's DrbdOptions/Resource/quorum...) stay.
inline constexpr std::string_view kModified = "Aux/csi-modified";
// Resource group: fingerprint of the spec it was last reconciled to.
inline constexpr std::string_view kSpec = "Aux/csi-spec";
// Snapshots: the CSI group snapshot name a member belongs to.
inline constexpr std::string_view kGroup = "Aux/csi-group";
// Snapshots: a temporary snapshot taken for a clone fallback.
inline constexpr std::string_view kTemporary = "Aux/csi-temporary";
// Snapshots: creation time (ms since the epoch) when LINSTOR reports none.
inline constexpr std::string_view kCreatedMs = "Aux/csi-created-ms";
// Kubernetes metadata, when the sidecars pass it.
inline constexpr std::string_view kPvcName = "Aux/csi-pvc-name";
inline constexpr std::string_view kPvcNamespace = "Aux/csi-pvc-namespace";
inline constexpr std::string_view kPvName = "Aux/csi-pv-name";
inline constexpr std::string_view kSnapshotName = "Aux/csi-volumesnapshot-name";
inline constexpr std::string_view kSnapshotNamespace = "Aux/csi-volumesnapshot-namespace";
inline constexpr std::string_view kSnapshotContentName = "Aux/csi-volumesnapshotcontent-name";

inline std::string Key(std::string_view k) { return std::string(k); }

inline std::optional<std::string> Get(const linstor::Props& p, std::string_view key) {
  auto it = p.find(std::string(key));
  if (it == p.end()) return std::nullopt;
  return it->second;
}

inline bool Is(const linstor::Props& p, std::string_view key, std::string_view value) {
  auto v = Get(p, key);
  return v && *v == value;
}

inline bool OwnedBy(const linstor::Props& p, std::string_view owner_id) {
  return Is(p, kOwner, owner_id);
}

// An RD left by an unfinished restore or clone of CSI volume `csi_name`.
inline bool IsUnfinishedCreateOf(const linstor::Props& p, std::string_view csi_name) {
  auto marker = Get(p, kIncomplete);
  if (!marker) return false;
  return *marker == csi_name || (*marker == "true" && Is(p, kName, csi_name));
}

// The keys recorded in kModified.
inline std::set<std::string> ModifiedKeys(const linstor::Props& p) {
  std::set<std::string> keys;
  const std::string list = Get(p, kModified).value_or("");
  size_t start = 0;
  while (start <= list.size()) {
    const size_t comma = std::min(list.find(',', start), list.size());
    if (comma > start) keys.insert(list.substr(start, comma - start));
    start = comma + 1;
  }
  return keys;
}

inline std::string JoinModifiedKeys(const std::set<std::string>& keys) {
  std::string out;
  for (const auto& k : keys) out += (out.empty() ? "" : ",") + k;
  return out;
}

inline std::string Published(std::string_view node) {
  return std::string(kPublishedPrefix) + std::string(node);
}
inline std::string DisklessMade(std::string_view node) {
  return std::string(kDisklessMadePrefix) + std::string(node);
}

}  // namespace lcsi::controller::props
