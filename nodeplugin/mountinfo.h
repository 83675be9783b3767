// Parsing of /proc/<pid>/mountinfo (proc(5)): one MountEntry per line.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace lcsi::node {

struct MountEntry {
  int mount_id = 0;
  int parent_id = 0;
  unsigned major = 0;
  unsigned minor = 0;
  std::string root;           // path inside the mounted filesystem ("/" or a bind sub-path)
  std::string mount_point;    // unescaped
  std::string mount_options;  // per-mount: "rw,nosuid,relatime"
  std::vector<std::string> optional_fields;  // "shared:1", "master:2", ...
  std::string fs_type;
  std::string source;         // unescaped, e.g. "/dev/drbd1000"
  std::string super_options;  // per-superblock: "rw,errors=remount-ro"

  // True when the per-mount options say "ro".
  bool ReadOnlyMount() const;
  // True when the superblock options say "ro" (e.g. ext4 after errors=remount-ro).
  bool ReadOnlySuperblock() const;
};

// Undoes the kernel's octal escapes (\040 space, \011 tab, \012 newline, \134 backslash and any
// other \ooo). A backslash not followed by three octal digits is kept as is.
std::string UnescapeMountField(std::string_view field);

// Parses a whole mountinfo text. A malformed line is InvalidArgument naming its line number.
Result<std::vector<MountEntry>> ParseMountInfo(std::string_view text);

// True when the comma-separated option list contains `option` exactly.
bool HasOption(std::string_view options, std::string_view option);

}  // namespace lcsi::node
