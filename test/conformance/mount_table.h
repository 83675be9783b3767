// The mount table as the CSI checks see it from outside the plugin (/proc/self/mountinfo),
// shared by the conformance suite and the soak.
#pragma once

#include <string>
#include <vector>

namespace lcsi::testing {

// True when `path` is a mount point.
bool IsMountPoint(const std::string& path);
// Mount points at or below `prefix`.
std::vector<std::string> MountsUnder(const std::string& prefix);

}  // namespace lcsi::testing
