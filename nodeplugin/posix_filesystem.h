// PosixFilesystem: the Filesystem seam on the real system calls (lstat, stat, statfs,
// realpath, mkdir, open, unlink, rmdir, and atomic_file.h for writes).
#pragma once

#include "nodeplugin/filesystem_seam.h"

namespace lcsi::node {

class PosixFilesystem final : public Filesystem {
 public:
  Result<std::optional<FileInfo>> Lstat(const std::string& path) override;
  Result<std::optional<FileInfo>> Stat(const std::string& path) override;
  Result<FsUsage> Statfs(const std::string& path) override;
  Result<std::string> RealPath(const std::string& path) override;
  Status MkdirAll(const std::string& path, mode_t mode) override;
  Status Create(const std::string& path, mode_t mode) override;
  Status Remove(const std::string& path) override;
  Status WriteFileAtomically(const std::string& path, std::string_view content, mode_t mode,
                             Durability durability) override;
  Result<std::string> ReadFile(const std::string& path) override;
};

}  // namespace lcsi::node
