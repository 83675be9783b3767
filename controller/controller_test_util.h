// Request builders shared by the controller's unit and integration tests.
#pragma once

#include <map>
#include <string>

#include "csi/csi.pb.h"

namespace lcsi::controller::testing {

inline csi::v1::VolumeCapability MountCap(
    csi::v1::VolumeCapability::AccessMode::Mode mode =
        csi::v1::VolumeCapability::AccessMode::SINGLE_NODE_WRITER,
    const std::string& fs = "ext4") {
  csi::v1::VolumeCapability cap;
  cap.mutable_mount()->set_fs_type(fs);
  cap.mutable_access_mode()->set_mode(mode);
  return cap;
}

inline csi::v1::VolumeCapability BlockCap(
    csi::v1::VolumeCapability::AccessMode::Mode mode =
        csi::v1::VolumeCapability::AccessMode::SINGLE_NODE_WRITER) {
  csi::v1::VolumeCapability cap;
  cap.mutable_block();
  cap.mutable_access_mode()->set_mode(mode);
  return cap;
}

inline csi::v1::CreateVolumeRequest CreateReq(
    const std::string& name, int64_t bytes, const std::map<std::string, std::string>& params = {}) {
  csi::v1::CreateVolumeRequest req;
  req.set_name(name);
  if (bytes > 0) req.mutable_capacity_range()->set_required_bytes(bytes);
  *req.add_volume_capabilities() = MountCap();
  for (const auto& [k, v] : params) (*req.mutable_parameters())[k] = v;
  return req;
}

inline csi::v1::ControllerPublishVolumeRequest PublishReq(const std::string& volume,
                                                          const std::string& node,
                                                          bool readonly = false) {
  csi::v1::ControllerPublishVolumeRequest req;
  req.set_volume_id(volume);
  req.set_node_id(node);
  req.set_readonly(readonly);
  *req.mutable_volume_capability() = MountCap();
  return req;
}

inline csi::v1::ControllerUnpublishVolumeRequest UnpublishReq(const std::string& volume,
                                                              const std::string& node) {
  csi::v1::ControllerUnpublishVolumeRequest req;
  req.set_volume_id(volume);
  req.set_node_id(node);
  return req;
}

inline csi::v1::CreateSnapshotRequest SnapshotReq(const std::string& name,
                                                  const std::string& volume) {
  csi::v1::CreateSnapshotRequest req;
  req.set_name(name);
  req.set_source_volume_id(volume);
  return req;
}

}  // namespace lcsi::controller::testing
