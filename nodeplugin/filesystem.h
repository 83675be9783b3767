// Filesystem decisions for NodeStageVolume: what is on the device (DeviceProbe), whether to
// format, check or refuse, and the mkfs / fsck / grow commands. The rule that matters most: a
// device is formatted only when the probe finds nothing at all on it.
#pragma once

#include <chrono>
#include <string>
#include <vector>

#include "csi/filesystems.h"
#include "csi/status.h"
#include "nodeplugin/device_probe.h"
#include "nodeplugin/exec.h"

namespace lcsi::node {

// Filesystems the plugin formats: ext4 and xfs. Mounting an existing ext2/ext3 also works when the
// request leaves fs_type empty.
bool IsFormattableFs(const std::string& fs_type);
bool IsMountableFs(const std::string& fs_type);
// "" (meaning the default, ext4), "ext4" and "xfs" are OK; anything else InvalidArgument.
Status ValidateRequestedFs(const std::string& fs_type);
inline constexpr const char* kDefaultFs = kDefaultFsType.data();

struct FsPlan {
  enum class Action { kFormat, kCheck, kMountAsIs };
  Action action = Action::kMountAsIs;
  std::string fs_type;  // what to mount (and to create, for kFormat)
};

// The decision table:
//   blank                        -> kFormat with the requested fs (ext4 when empty); a read-only
//                                   stage of a blank device is FailedPrecondition (nothing to
//                                   read, and formatting on a read-only request is wrong)
//   filesystem, type matches     -> kCheck (read-write, ext2/3/4) or kMountAsIs (xfs, read-only)
//   filesystem, request empty    -> as above with the found type, if mountable
//   filesystem, other type       -> FailedPrecondition (never reformat)
//   partition table / other / ambivalent -> FailedPrecondition (never format)
Result<FsPlan> DecideFilesystem(const ProbeResult& probe, const std::string& requested_fs,
                                bool read_only, const std::string& device);

// Splits fsOpts like a shell would for simple cases: whitespace separates words, '...' and "..."
// group. Unterminated quotes, and -F / -f (force flags that would defeat the blank-device rule),
// are InvalidArgument.
Result<std::vector<std::string>> ParseFsOpts(const std::string& fs_opts);

// mkfs.<fs> [fs_opts...] <device>, without any force flag: if a signature appeared after the
// probe, mkfs itself refuses.
Command MkfsCommand(const std::string& fs_type, const std::string& device,
                    const std::vector<std::string>& fs_opts, std::chrono::milliseconds timeout);
// e2fsck -p <device> (ext2/3/4 only).
Command FsckCommand(const std::string& device, std::chrono::milliseconds timeout);
// e2fsck's exit code: 0/1 OK, 2 OK with a warning (returned in `warning`), 4 FailedPrecondition
// (errors left uncorrected), 8 and above Internal. stderr/stdout go into the message.
Status InterpretFsck(const ExecResult& result, const std::string& device, std::string* warning);
// Online grow: resize2fs <device> for ext2/3/4, xfs_growfs -d <mount_point> for xfs.
Result<Command> GrowCommand(const std::string& fs_type, const std::string& device,
                            const std::string& mount_point, std::chrono::milliseconds timeout);

struct FsToolTimeouts {
  std::chrono::milliseconds mkfs{std::chrono::minutes(10)};
  std::chrono::milliseconds fsck{std::chrono::minutes(30)};
  std::chrono::milliseconds grow{std::chrono::minutes(10)};
};

struct PreparedFilesystem {
  std::string fs_type;
  bool formatted = false;
  std::string warning;  // e.g. e2fsck exit code 2
};

// Probe, decide and run mkfs or fsck as DecideFilesystem says.
Result<PreparedFilesystem> PrepareFilesystem(DeviceProbe& prober, Exec& exec,
                                             const std::string& device,
                                             const std::string& requested_fs, bool read_only,
                                             const std::vector<std::string>& fs_opts,
                                             const FsToolTimeouts& timeouts);

}  // namespace lcsi::node
