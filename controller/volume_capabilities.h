// Which VolumeCapabilities the plugin supports, and what a capability implies.
//
// A DRBD device is writable on one node at a time (one Primary), so the supported access modes
// are the single-node ones plus MULTI_NODE_READER_ONLY (Secondaries opened read-only).
// MULTI_NODE_SINGLE_WRITER and MULTI_NODE_MULTI_WRITER are refused (see docs/controller.md).
// Filesystems: ext4 and xfs (or unspecified: the node plugin's default); block needs nothing.
#pragma once

#include <google/protobuf/repeated_field.h>

#include <string>

#include "csi/csi.pb.h"
#include "csi/status.h"

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

// True for the access modes that allow a single node only.
bool IsSingleNodeMode(csi::v1::VolumeCapability::AccessMode::Mode mode);
// True when any capability asks for a filesystem (mount access type).
bool AnyMount(const google::protobuf::RepeatedPtrField<csi::v1::VolumeCapability>& caps);

}  // namespace lcsi::controller
