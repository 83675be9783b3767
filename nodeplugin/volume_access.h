// The parts of a CSI VolumeCapability the Node service acts on, validated once.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "csi/csi.pb.h"
#include "base/status.h"

namespace lcsi::node {

struct VolumeAccess {
  bool block = false;
  std::string fs_type;                   // requested ("" = default / keep existing)
  std::vector<std::string> mount_flags;  // as given
  int mode = 0;                          // AccessMode::Mode
  bool read_only_mode = false;           // *_READER_ONLY modes
};

// InvalidArgument when the access type or access mode is missing or unknown, the fs_type is not
// supported, a mount flag would change the mount operation (bind, remount, ...), a group mount is
// requested (VOLUME_MOUNT_GROUP is not offered), or a multi-node writer asks for a filesystem
// (ext4/xfs would be corrupted by two writers).
Result<VolumeAccess> ParseVolumeAccess(const csi::v1::VolumeCapability& capability);

// The value for `key` from volume_context, accepting the bare key, "<driver>/<key>" and
// linstor-csi's "linstor.csi.linbit.com/<key>" (in that order of preference).
std::string ContextValue(const google::protobuf::Map<std::string, std::string>& context,
                         const std::string& driver_name, const std::string& key);

}  // namespace lcsi::node
