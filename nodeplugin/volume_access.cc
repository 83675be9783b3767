#include "nodeplugin/volume_access.h"

#include "nodeplugin/filesystem.h"
#include "nodeplugin/mount_options.h"

namespace lcsi::node {

using Mode = csi::v1::VolumeCapability::AccessMode;

Result<VolumeAccess> ParseVolumeAccess(const csi::v1::VolumeCapability& capability) {
  VolumeAccess access;
  if (capability.has_block()) {
    access.block = true;
  } else if (capability.has_mount()) {
    const auto& mount = capability.mount();
    access.fs_type = mount.fs_type();
    LCSI_RETURN_IF_ERROR(ValidateRequestedFs(access.fs_type));
    access.mount_flags.assign(mount.mount_flags().begin(), mount.mount_flags().end());
    auto parsed = ParseMountOptions(access.mount_flags);
    if (!parsed.ok()) return parsed.status().WithContext("volume_capability.mount.mount_flags");
    if (!mount.volume_mount_group().empty()) {
      return InvalidArgument(
          "volume_mount_group is not supported (ext4 and xfs have no group "
          "mount option; use the CSIDriver's fsGroupPolicy)");
    }
  } else {
    return InvalidArgument("volume_capability needs an access type (block or mount)");
  }
  if (!capability.has_access_mode()) {
    return InvalidArgument("volume_capability.access_mode is required");
  }
  access.mode = capability.access_mode().mode();
  switch (capability.access_mode().mode()) {
    case Mode::SINGLE_NODE_WRITER:
    case Mode::SINGLE_NODE_SINGLE_WRITER:
    case Mode::SINGLE_NODE_MULTI_WRITER:
    case Mode::MULTI_NODE_SINGLE_WRITER:
      break;
    case Mode::SINGLE_NODE_READER_ONLY:
    case Mode::MULTI_NODE_READER_ONLY:
      access.read_only_mode = true;
      break;
    case Mode::MULTI_NODE_MULTI_WRITER:
      if (!access.block) {
        return InvalidArgument("MULTI_NODE_MULTI_WRITER is only supported for block volumes");
      }
      break;
    default:
      return InvalidArgument("volume_capability.access_mode " +
                             std::to_string(capability.access_mode().mode()) +
                             " is unknown or unset");
  }
  return access;
}

std::string ContextValue(const google::protobuf::Map<std::string, std::string>& context,
                         const std::string& driver_name, const std::string& key) {
  for (const std::string& candidate :
       {key, driver_name + "/" + key, "linstor.csi.linbit.com/" + key}) {
    auto it = context.find(candidate);
    if (it != context.end()) return it->second;
  }
  return "";
}

}  // namespace lcsi::node
