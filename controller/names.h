// CSI names and ids <-> LINSTOR object names.
//
// LINSTOR names are 2-48 characters of [A-Za-z0-9_-] and start with a letter or '_'.
// A CSI name that already fits is used unchanged (Kubernetes' "pvc-<uid>" and
// "snapshot-<uid>" do); any other name maps to a deterministic valid name
// "csi-<readable part>-<hash>", and the caller keeps the original in a property.
//
// Ids handed to the CO:
//   volume_id          = resource definition name
//   snapshot_id        = "<resource definition>/<snapshot name>"
//   group_snapshot_id  = "group:<snapshot name>" (the name every member snapshot shares)
// Decoders never fail loudly on garbage: they return nullopt, and each RPC turns that into
// what the CSI spec wants for an unknown id (NotFound, or OK for deletes).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace lcsi::controller {

bool IsValidLinstorName(std::string_view name);

// The LINSTOR name for a CSI volume or snapshot name. Deterministic; always valid for a
// non-empty input.
std::string LinstorNameFor(std::string_view csi_name);

struct SnapshotRef {
  std::string resource_definition;
  std::string snapshot;
  bool operator==(const SnapshotRef&) const = default;
};

std::string EncodeSnapshotId(const SnapshotRef& ref);
std::optional<SnapshotRef> DecodeSnapshotId(std::string_view id);

std::string EncodeGroupSnapshotId(std::string_view snapshot_name);
// Returns the shared LINSTOR snapshot name.
std::optional<std::string> DecodeGroupSnapshotId(std::string_view id);

}  // namespace lcsi::controller
