// The filesystems the node plugin formats, and the smallest device each one's mkfs accepts.
//
// The minimums are those of the tools the image ships (Debian 12: e2fsprogs 1.47.0, xfsprogs
// 6.1.0), measured with mkfs on loop devices: mkfs.ext4 fails below 104 KiB (too few inodes for
// ext4's reserved ones: "Illegal inode number"; "Not enough space to build proposed filesystem"
// below 60 KiB), mkfs.xfs below 300 MiB ("Filesystem must be larger than 300MB").
// nodeplugin/filesystem_minimum_test.cc stages each filesystem at its minimum and sees mkfs
// refuse 1 KiB less, so a tool update that moves a minimum fails there. The controller rounds a
// new volume up to its filesystem's minimum (or answers OUT_OF_RANGE) so that a volume too small
// to format fails at CreateVolume instead of at every NodeStageVolume.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
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

// "ext4, xfs": for messages that list what is supported.
inline std::string FormattableFilesystemNames() {
  std::string names;
  for (const auto& fs : kFormattableFilesystems) {
    if (!names.empty()) names += ", ";
    names += fs.name;
  }
  return names;
}

}  // namespace lcsi
