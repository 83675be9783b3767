#include "nodeplugin/fake_filesystem.h"

#include <cerrno>
#include <cstring>
#include <deque>

#include "nodeplugin/path_policy.h"

namespace lcsi::node {
namespace {

constexpr int kMaxSymlinkHops = 40;  // the kernel's MAXSYMLINKS

std::string Join(const std::string& dir, const std::string& name) {
  return dir == "/" ? "/" + name : dir + "/" + name;
}

std::deque<std::string> Components(const std::string& path) {
  std::deque<std::string> parts;
  for (std::string_view name : PathComponents(path)) parts.emplace_back(name);
  return parts;
}

Status ErrnoLike(const std::string& call, const std::string& path, int error) {
  std::string message = call + " " + path + ": " + std::strerror(error);
  if (error == ENOENT || error == ENOTDIR) return NotFound(message);
  if (error == EEXIST) return AlreadyExists(message);
  if (error == ENOTEMPTY) return FailedPrecondition(message);
  return Internal(message);
}

}  // namespace

FakeFilesystem::FakeFilesystem() { nodes_["/"] = Node{}; }

FakeFilesystem::Lookup FakeFilesystem::Resolve(const std::string& path, bool follow_final) const {
  if (path.empty() || path.front() != '/') return Lookup{ENOENT, false, path};
  std::deque<std::string> pending = Components(path);
  std::string current = "/";
  int hops = 0;
  while (!pending.empty()) {
    std::string name = std::move(pending.front());
    pending.pop_front();
    if (name == ".") continue;
    if (name == "..") {
      current = ParentDirectory(current);
      continue;
    }
    const bool last = pending.empty();
    std::string next = Join(current, name);
    auto it = nodes_.find(next);
    if (it == nodes_.end()) return last ? Lookup{0, false, next} : Lookup{ENOENT, false, next};
    if (it->second.type == FileType::kSymlink && (!last || follow_final)) {
      if (++hops > kMaxSymlinkHops) return Lookup{ELOOP, false, next};
      const std::string& target = it->second.content;
      std::deque<std::string> parts = Components(target);
      pending.insert(pending.begin(), parts.begin(), parts.end());
      if (!target.empty() && target.front() == '/') current.resize(1);  // back to "/"
      continue;
    }
    if (!last && it->second.type != FileType::kDirectory) return Lookup{ENOTDIR, false, next};
    current = std::move(next);
  }
  return Lookup{0, true, current};
}

Result<std::optional<FileInfo>> FakeFilesystem::Describe(const std::string& path, bool follow_final,
                                                         const char* call) const {
  Lookup at = Resolve(path, follow_final);
  if (at.Absent()) return std::optional<FileInfo>();
  if (at.error != 0) return ErrnoLike(call, path, at.error);
  const Node& node = nodes_.at(at.path);
  FileInfo info;
  info.type = node.type;
  info.size = node.type == FileType::kRegular || node.type == FileType::kSymlink
                  ? static_cast<int64_t>(node.content.size())
                  : 0;
  info.device_number = node.device_number;
  return std::optional<FileInfo>(info);
}

Result<std::optional<FileInfo>> FakeFilesystem::Lstat(const std::string& path) {
  std::lock_guard lock(mu_);
  LCSI_RETURN_IF_ERROR(failures_.Take("Lstat"));
  return Describe(path, false, "lstat");
}

Result<std::optional<FileInfo>> FakeFilesystem::Stat(const std::string& path) {
  std::lock_guard lock(mu_);
  LCSI_RETURN_IF_ERROR(failures_.Take("Stat"));
  return Describe(path, true, "stat");
}

Result<FsUsage> FakeFilesystem::Statfs(const std::string& path) {
  std::lock_guard lock(mu_);
  LCSI_RETURN_IF_ERROR(failures_.Take("Statfs"));
  Lookup at = Resolve(path, true);
  if (at.error != 0) return ErrnoLike("statfs", path, at.error);
  if (!at.found) return ErrnoLike("statfs", path, ENOENT);
  const FsUsage* best = nullptr;
  size_t best_length = 0;
  for (const auto& [root, usage] : usage_) {
    if (IsUnder(at.path, root) && (best == nullptr || root.size() > best_length)) {
      best = &usage;
      best_length = root.size();
    }
  }
  return best ? *best : FsUsage{};
}

Result<std::string> FakeFilesystem::RealPath(const std::string& path) {
  std::lock_guard lock(mu_);
  LCSI_RETURN_IF_ERROR(failures_.Take("RealPath"));
  Lookup at = Resolve(path, true);
  if (at.error != 0) return ErrnoLike("realpath", path, at.error);
  if (!at.found) return ErrnoLike("realpath", path, ENOENT);
  return at.path;
}

Status FakeFilesystem::MkdirAllLocked(const std::string& path) {
  Lookup whole = Resolve(path, true);
  if (whole.error == 0 && whole.found) {
    if (nodes_.at(whole.path).type == FileType::kDirectory) return Status::Ok();
    return FailedPrecondition(path + " exists and is not a directory");
  }
  std::string prefix;
  for (const std::string& name : Components(path)) {
    prefix = Join(prefix.empty() ? "/" : prefix, name);
    Lookup at = Resolve(prefix, true);
    if (at.error == ENOTDIR) {
      return FailedPrecondition("mkdir " + prefix + ": a parent is not a directory");
    }
    if (at.error != 0) return ErrnoLike("mkdir", prefix, at.error);
    if (!at.found) {
      nodes_[at.path] = Node{};
    } else if (nodes_.at(at.path).type != FileType::kDirectory && prefix != path) {
      return FailedPrecondition("mkdir " + prefix + ": a parent is not a directory");
    }
  }
  return Status::Ok();
}

Status FakeFilesystem::MkdirAll(const std::string& path, mode_t /*mode*/) {
  std::lock_guard lock(mu_);
  LCSI_RETURN_IF_ERROR(failures_.Take("MkdirAll"));
  return MkdirAllLocked(path);
}

Status FakeFilesystem::Create(const std::string& path, mode_t /*mode*/) {
  std::lock_guard lock(mu_);
  LCSI_RETURN_IF_ERROR(failures_.Take("Create"));
  Lookup at = Resolve(path, false);
  if (at.error != 0) return ErrnoLike("create", path, at.error);
  if (at.found) return ErrnoLike("create", path, EEXIST);
  nodes_[at.path] = Node{FileType::kRegular, "", {}};
  return Status::Ok();
}

Status FakeFilesystem::Remove(const std::string& path) {
  std::lock_guard lock(mu_);
  LCSI_RETURN_IF_ERROR(failures_.Take("Remove"));
  Lookup at = Resolve(path, false);
  if (at.Absent()) return Status::Ok();
  if (at.error != 0) return ErrnoLike("unlink", path, at.error);
  if (at.path == "/") return ErrnoLike("rmdir", path, EBUSY);
  if (nodes_.at(at.path).type == FileType::kDirectory) {
    auto child = nodes_.lower_bound(at.path + "/");
    if (child != nodes_.end() && child->first.rfind(at.path + "/", 0) == 0) {
      return ErrnoLike("rmdir", path, ENOTEMPTY);
    }
  }
  nodes_.erase(at.path);
  durability_.erase(at.path);
  return Status::Ok();
}

Status FakeFilesystem::WriteFileAtomically(const std::string& path, std::string_view content,
                                           mode_t /*mode*/, Durability durability) {
  std::lock_guard lock(mu_);
  LCSI_RETURN_IF_ERROR(failures_.Take("WriteFileAtomically"));
  // The rename replaces the final entry itself, even a symlink.
  Lookup at = Resolve(path, false);
  if (at.error != 0) return ErrnoLike("create", path + ".tmp", at.error);
  if (at.found && nodes_.at(at.path).type == FileType::kDirectory) {
    return ErrnoLike("rename " + path + ".tmp to", path, EISDIR);
  }
  nodes_[at.path] = Node{FileType::kRegular, std::string(content), {}};
  durability_[at.path] = durability;
  return Status::Ok();
}

Result<std::string> FakeFilesystem::ReadFile(const std::string& path) {
  std::lock_guard lock(mu_);
  LCSI_RETURN_IF_ERROR(failures_.Take("ReadFile"));
  Lookup at = Resolve(path, true);
  if (at.error != 0) return ErrnoLike("open", path, at.error);
  if (!at.found) return ErrnoLike("open", path, ENOENT);
  const Node& node = nodes_.at(at.path);
  if (node.type == FileType::kDirectory) return ErrnoLike("read", path, EISDIR);
  return node.content;
}

void FakeFilesystem::Put(const std::string& path, Node node) {
  std::string parent = ParentDirectory(path);
  (void)MkdirAllLocked(parent);
  Lookup at = Resolve(parent, true);
  nodes_[Join(at.found ? at.path : parent, path.substr(path.rfind('/') + 1))] = std::move(node);
}

void FakeFilesystem::AddFile(const std::string& path, const std::string& content) {
  std::lock_guard lock(mu_);
  Put(path, Node{FileType::kRegular, content, {}});
}

void FakeFilesystem::AddSymlink(const std::string& path, const std::string& target) {
  std::lock_guard lock(mu_);
  Put(path, Node{FileType::kSymlink, target, {}});
}

void FakeFilesystem::AddBlockDevice(const std::string& path, dev_t device_number) {
  std::lock_guard lock(mu_);
  Put(path, Node{FileType::kBlockDevice, "", device_number});
}

void FakeFilesystem::SetUsage(const std::string& path, const FsUsage& usage) {
  std::lock_guard lock(mu_);
  usage_[CollapseSlashes(path)] = usage;
}

void FakeFilesystem::FailNext(const std::string& operation, Status status) {
  std::lock_guard lock(mu_);
  failures_.FailNext(operation, std::move(status));
}

std::vector<std::string> FakeFilesystem::Entries() const {
  std::lock_guard lock(mu_);
  std::vector<std::string> entries;
  for (const auto& [path, node] : nodes_) {
    if (path == "/") continue;
    entries.push_back(node.type == FileType::kDirectory ? path + "/" : path);
  }
  return entries;
}

std::optional<Durability> FakeFilesystem::LastDurability(const std::string& path) const {
  std::lock_guard lock(mu_);
  auto it = durability_.find(path);
  if (it == durability_.end()) return std::nullopt;
  return it->second;
}

}  // namespace lcsi::node
