// Which paths the Node service may mount on, create or remove: only paths strictly below one of
// the configured prefixes (kubelet's directory by default). Requests are checked before anything
// touches the filesystem.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "csi/status.h"
#include "nodeplugin/filesystem_seam.h"

namespace lcsi::node {

class PathPolicy {
 public:
  // Prefixes must be absolute; existing ones are canonicalised (symlinks resolved) so that a
  // symlinked kubelet directory still works. Empty entries are ignored. `files` is where paths
  // are resolved; it must outlive the policy.
  PathPolicy(Filesystem& files, const std::vector<std::string>& allowed_prefixes);

  // Returns the canonical form of `path` (existing part resolved with realpath, the missing tail
  // appended) when it lies strictly below an allowed prefix. InvalidArgument (naming `field`,
  // e.g. "target_path") for: empty, relative, a "." or ".." component, a NUL byte, a path whose
  // final component is a symlink, or one that resolves (through symlinks) outside every prefix.
  Result<std::string> Check(std::string_view path, std::string_view field) const;

  const std::vector<std::string>& prefixes() const { return prefixes_; }

 private:
  Filesystem& files_;
  std::vector<std::string> prefixes_;
};

// "/a//b/" -> "/a/b" (no symlink resolution, no "." or ".." handling).
std::string CollapseSlashes(std::string_view path);
// The names between the slashes, empty ones skipped: "/a//b/" -> {"a", "b"}.
std::vector<std::string_view> PathComponents(std::string_view path);
// Parent directory of an absolute path: "/a/b" -> "/a", "/a" -> "/".
std::string ParentDirectory(std::string_view path);
// True when `path` equals `prefix` or lies below it, comparing whole components.
bool IsUnder(std::string_view path, std::string_view prefix);

}  // namespace lcsi::node
