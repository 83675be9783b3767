// FakeFilesystem: an in-memory tree of directories, regular files, symlinks and block device
// nodes behind the Filesystem seam, for unit tests. It resolves symlinks (relative, absolute,
// chained; more than 40 hops is a loop) the way the kernel does, answers "nothing there" for a
// missing path or one below a file, and refuses what the real calls refuse (creating over an
// existing entry, removing a non-empty directory, writing over a directory). It keeps no modes,
// and knows nothing of mounts: a bind-mounted device node does not turn its target into a block
// device here.
#pragma once

#include <cerrno>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "nodeplugin/filesystem_seam.h"
#include "nodeplugin/injected_failures.h"

namespace lcsi::node {

class FakeFilesystem final : public Filesystem {
 public:
  FakeFilesystem();  // holds the directory "/"

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

  // Set-up: entries are created with their missing parent directories; an existing entry at
  // `path` is replaced.
  void AddFile(const std::string& path, const std::string& content);
  void AddSymlink(const std::string& path, const std::string& target);
  void AddBlockDevice(const std::string& path, dev_t device_number);
  // Statfs of `path` and everything below it answers `usage` (the deepest such path wins; the
  // default is all zeros).
  void SetUsage(const std::string& path, const FsUsage& usage);
  // The next call of `operation` (a method name: "Lstat", "Create", "WriteFileAtomically", ...)
  // fails with `status`.
  void FailNext(const std::string& operation, Status status);

  // Every entry but "/", in path order, directories with a trailing '/' ("/a/", "/a/f").
  std::vector<std::string> Entries() const;
  // How the last write of `path` asked to be kept; nullopt when it was never written.
  std::optional<Durability> LastDurability(const std::string& path) const;

 private:
  struct Node {
    FileType type = FileType::kDirectory;
    std::string content;  // a regular file's bytes, or a symlink's target
    dev_t device_number{};
  };
  // Where a path leads: `path` is the canonical path of its final entry (existing or not).
  // `error` is ENOENT or ENOTDIR when a parent is missing or not a directory, ELOOP for a
  // symlink loop; 0 otherwise, with `found` telling whether the final entry exists.
  struct Lookup {
    int error = 0;
    bool found = false;
    std::string path;

    // Nothing there, as the real calls see it (a symlink loop is an error instead).
    bool Absent() const { return error == ENOENT || error == ENOTDIR || (error == 0 && !found); }
  };

  Lookup Resolve(const std::string& path, bool follow_final) const;
  Result<std::optional<FileInfo>> Describe(const std::string& path, bool follow_final,
                                           const char* call) const;
  Status MkdirAllLocked(const std::string& path);
  void Put(const std::string& path, Node node);

  mutable std::mutex mu_;
  std::map<std::string, Node> nodes_;
  std::map<std::string, FsUsage> usage_;
  std::map<std::string, Durability> durability_;
  InjectedFailures failures_;
};

}  // namespace lcsi::node
