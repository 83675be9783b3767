// Filesystem: the seam between the Node service and the files and directories it touches
// (staging and target paths, stage records, the device nodes it compares). The real
// implementation (PosixFilesystem) makes the system calls; FakeFilesystem (fake_filesystem.h)
// keeps an in-memory tree for unit tests. Mounts are the Mounter's business, not this seam's.
//
// Paths are absolute. "Nothing there" (ENOENT, or ENOTDIR: a parent is not a directory) is an
// answer, not an error, wherever a caller asks whether something exists.
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/status.h"
#include "base/atomic_file.h"

namespace lcsi::node {

enum class FileType { kRegular, kDirectory, kSymlink, kBlockDevice, kOther };

struct FileInfo {
  FileType type = FileType::kOther;
  int64_t size = 0;       // bytes, for a regular file
  dev_t device_number{};  // st_rdev, for a device node

  bool IsDirectory() const { return type == FileType::kDirectory; }
  bool IsRegular() const { return type == FileType::kRegular; }
  bool IsBlockDevice() const { return type == FileType::kBlockDevice; }
  bool IsSymlink() const { return type == FileType::kSymlink; }
};

// statfs(2) of the filesystem holding a path.
struct FsUsage {
  int64_t block_size = 0;  // f_frsize (f_bsize when the kernel leaves it 0)
  uint64_t blocks = 0;
  uint64_t blocks_free = 0;
  uint64_t blocks_available = 0;  // to unprivileged users
  uint64_t files = 0;             // inodes
  uint64_t files_free = 0;
};

class Filesystem {
 public:
  virtual ~Filesystem() = default;

  // What is at `path` itself (a final symlink is not followed); nullopt when nothing is.
  virtual Result<std::optional<FileInfo>> Lstat(const std::string& path) = 0;
  // What `path` leads to, following symlinks (and, on the real system, seeing what is mounted
  // on it: a bind-mounted device node is a block device); nullopt when nothing is.
  virtual Result<std::optional<FileInfo>> Stat(const std::string& path) = 0;
  // Usage of the filesystem holding `path`; NotFound when nothing is there.
  virtual Result<FsUsage> Statfs(const std::string& path) = 0;
  // The canonical path: absolute, every symlink resolved (realpath(3)). NotFound when a
  // component is missing or not a directory.
  virtual Result<std::string> RealPath(const std::string& path) = 0;

  // Creates directory `path` and its missing parents with `mode`. OK when it already is a
  // directory; FailedPrecondition when it (or a parent) exists and is not one.
  virtual Status MkdirAll(const std::string& path, mode_t mode) = 0;
  // Creates an empty regular file, never following a symlink at `path`: AlreadyExists when
  // anything is there, NotFound when the parent directory is missing.
  virtual Status Create(const std::string& path, mode_t mode) = 0;
  // Removes a file, a symlink or an empty directory. OK when nothing is there;
  // FailedPrecondition for a directory that is not empty.
  virtual Status Remove(const std::string& path) = 0;

  // Replaces `path` with `content` so that readers see the old or the new file, never a part
  // (atomic_file.h); `durability` says whether it also survives a machine crash.
  virtual Status WriteFileAtomically(const std::string& path, std::string_view content, mode_t mode,
                                     Durability durability) = 0;
  // The whole content of a regular file; NotFound when nothing is there.
  virtual Result<std::string> ReadFile(const std::string& path) = 0;
};

}  // namespace lcsi::node
