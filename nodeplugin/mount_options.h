// Turns mount(8)-style option words into mount(2) flags plus the filesystem data string.
#pragma once

#include <string>
#include <vector>

#include "base/status.h"

namespace lcsi::node {

struct MountFlags {
  unsigned long flags = 0;  // MS_RDONLY, MS_NOSUID, ...
  std::string data;         // filesystem-specific options, comma-separated ("discard,nouuid")
};

// Each element may itself be a comma-separated list ("noatime,discard"). Generic words (ro, rw,
// nosuid, suid, nodev, dev, noexec, exec, sync, async, dirsync, noatime, atime, nodiratime,
// diratime, relatime, norelatime, strictatime, lazytime, nolazytime, silent, loud, defaults)
// become flags; later words override earlier ones. Everything else goes to `data`.
// Words that would change what mount(2) does (bind, rbind, remount, move, make-*, shared,
// private, slave, unbindable) are InvalidArgument: callers choose the operation themselves.
Result<MountFlags> ParseMountOptions(const std::vector<std::string>& options);

// Splits "a,b,,c" into {"a","b","c"} (empty words dropped, surrounding spaces trimmed).
std::vector<std::string> SplitOptionList(const std::string& list);

}  // namespace lcsi::node
