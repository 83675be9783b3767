// postMountXfsOpts (a linstor-csi StorageClass key): an xfs_io command the node runs on an xfs
// volume's target path after NodePublishVolume, e.g. "extsize 2m" to set the extent size hint
// that files created below it inherit. It reaches the node as
// volume_context["<driver-name>/postMountXfsOpts"].
#pragma once

#include <string>

#include "csi/status.h"
#include "nodeplugin/exec.h"

namespace lcsi::node {

// The command: xfs_io -c <opts> <target>.
Command PostMountXfsCommand(const std::string& opts, const std::string& target);

// Runs it; Internal with xfs_io's message when it fails or exits non-zero.
Status RunPostMountXfsOpts(Exec& exec, const std::string& opts, const std::string& target);

}  // namespace lcsi::node
