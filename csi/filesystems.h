// The filesystems the node plugin formats, and the smallest device each one's mkfs accepts.
//
// The minimums are those of the tools the image ships (Debian 12: e2fsprogs 1.47.0, xfsprogs
// 6.1.0), measured with mkfs on loop devices: mkfs.ext4 fails below 104 KiB ("Not enough space
// to build proposed filesystem" / "Illegal inode number"), mkfs.xfs below 300 MiB ("Filesystem
// must be larger than 300MB"). The controller rounds a new
// volume up to its filesystem's minimum (or answers OUT_OF_RANGE) so that a volume too small to
// format fails at CreateVolume instead of at every NodeStageVolume.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace lcsi {

// What the node formats a mount volume with when neither the request nor the class names one.
inline constexpr std::string_view kDefaultFsType = "ext4";

struct FormattableFilesystem {
  std::string_view name;
  int64_t min_kib;  // smallest device mkfs.<name> formats with default options
};

inline constexpr FormattableFilesystem kFormattableFilesystems[] = {
    {"ext4", 104},
    {"xfs", 300 * 1024},
};

inline std::optional<int64_t> FilesystemMinimumKib(std::string_view fs_type) {
  for (const auto& fs : kFormattableFilesystems) {
    if (fs.name == fs_type) return fs.min_kib;
  }
  return std::nullopt;
}

}  // namespace lcsi
