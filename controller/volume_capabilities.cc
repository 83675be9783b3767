#include "controller/volume_capabilities.h"

#include "csi/filesystems.h"

namespace lcsi::controller {

using Mode = csi::v1::VolumeCapability::AccessMode;

bool IsSingleNodeMode(Mode::Mode mode) {
  return mode == Mode::SINGLE_NODE_WRITER || mode == Mode::SINGLE_NODE_READER_ONLY ||
         mode == Mode::SINGLE_NODE_SINGLE_WRITER || mode == Mode::SINGLE_NODE_MULTI_WRITER;
}

Status CheckVolumeCapability(const csi::v1::VolumeCapability& cap) {
  if (!cap.has_block() && !cap.has_mount()) {
    return InvalidArgument("volume capability needs an access type (block or mount)");
  }
  if (!cap.has_access_mode()) return InvalidArgument("volume capability needs an access mode");
  const Mode::Mode mode = cap.access_mode().mode();
  if (mode == Mode::UNKNOWN) return InvalidArgument("volume capability access mode is UNKNOWN");
  if (!IsSingleNodeMode(mode) && mode != Mode::MULTI_NODE_READER_ONLY) {
    return InvalidArgument("access mode " + Mode::Mode_Name(mode) +
                           " is not supported: a DRBD device is writable on one node at a time");
  }
  if (cap.has_mount()) {
    const std::string& fs = cap.mount().fs_type();
    if (!fs.empty() && !FilesystemMinimumKib(fs)) {
      return InvalidArgument("filesystem type '" + fs + "' is not supported (" +
                             FormattableFilesystemNames() + ")");
    }
  }
  return Status::Ok();
}

Status CheckVolumeCapabilityShapes(
    const google::protobuf::RepeatedPtrField<csi::v1::VolumeCapability>& caps) {
  if (caps.empty()) return InvalidArgument("volume_capabilities must not be empty");
  for (const auto& cap : caps) {
    if (!cap.has_block() && !cap.has_mount()) {
      return InvalidArgument("volume capability needs an access type (block or mount)");
    }
    if (!cap.has_access_mode()) return InvalidArgument("volume capability needs an access mode");
  }
  return Status::Ok();
}

Status CheckVolumeCapabilities(
    const google::protobuf::RepeatedPtrField<csi::v1::VolumeCapability>& caps) {
  if (caps.empty()) return InvalidArgument("volume_capabilities must not be empty");
  for (const auto& cap : caps) LCSI_RETURN_IF_ERROR(CheckVolumeCapability(cap));
  return Status::Ok();
}

Result<FilesystemNeed> FilesystemNeedOf(
    const google::protobuf::RepeatedPtrField<csi::v1::VolumeCapability>& caps,
    const std::string& class_fs_type) {
  FilesystemNeed need;
  for (const auto& cap : caps) {
    if (!cap.has_mount()) continue;
    std::string fs = cap.mount().fs_type();
    if (fs.empty()) fs = class_fs_type;
    if (fs.empty()) fs = kDefaultFsType;
    auto min_kib = FilesystemMinimumKib(fs);
    if (!min_kib) {
      return InvalidArgument("the class's filesystem type '" + fs +
                             "' (csi.storage.k8s.io/fstype) is not supported (" +
                             FormattableFilesystemNames() + ")");
    }
    if (*min_kib > need.min_kib) need = {fs, *min_kib};
  }
  return need;
}

bool AnyMount(const google::protobuf::RepeatedPtrField<csi::v1::VolumeCapability>& caps) {
  for (const auto& cap : caps)
    if (cap.has_mount()) return true;
  return false;
}

}  // namespace lcsi::controller
