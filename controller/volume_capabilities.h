// Which VolumeCapabilities the plugin supports, and what a capability implies.
//
// A DRBD device is writable on one node at a time (one Primary), so the supported access modes
// are the single-node ones plus MULTI_NODE_READER_ONLY (Secondaries opened read-only).
// MULTI_NODE_SINGLE_WRITER and MULTI_NODE_MULTI_WRITER are refused (see docs/controller.md).
// Filesystems: ext4 and xfs (or unspecified: the node plugin's default); block needs nothing.
#pragma once

#include <google/protobuf/repeated_field.h>

#include <cstdint>
#include <string>

#include "csi/csi.pb.h"
#include "base/status.h"

namespace lcsi::controller {

// The REQUIRED parts only: a non-empty list whose entries have an access type and an access
// mode. Checked before existence; whether the plugin supports them comes after.
Status CheckVolumeCapabilityShapes(
    const google::protobuf::RepeatedPtrField<csi::v1::VolumeCapability>& caps);
// OK when the plugin supports `cap`; otherwise InvalidArgument explaining why.
Status CheckVolumeCapability(const csi::v1::VolumeCapability& cap);
// Every entry must be supported; an empty list is InvalidArgument.
Status CheckVolumeCapabilities(
    const google::protobuf::RepeatedPtrField<csi::v1::VolumeCapability>& caps);

// The filesystem a new volume must be big enough for: the largest minimum among its mount
// capabilities, each formatted with its fs_type, else the class's default (the
// csi.storage.k8s.io/fstype parameter), else the node's default (csi/filesystems.h). min_kib 0
// when no capability mounts. An unsupported class default is InvalidArgument when it is used.
struct FilesystemNeed {
  std::string fs_type;
  int64_t min_kib = 0;
};
Result<FilesystemNeed> FilesystemNeedOf(
    const google::protobuf::RepeatedPtrField<csi::v1::VolumeCapability>& caps,
    const std::string& class_fs_type);

// True for the access modes that allow a single node only.
bool IsSingleNodeMode(csi::v1::VolumeCapability::AccessMode::Mode mode);
// True when any capability asks for a filesystem (mount access type).
bool AnyMount(const google::protobuf::RepeatedPtrField<csi::v1::VolumeCapability>& caps);

}  // namespace lcsi::controller
