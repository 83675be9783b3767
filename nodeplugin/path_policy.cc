#include "nodeplugin/path_policy.h"

#include <algorithm>

namespace lcsi::node {
namespace {

std::string Join(const std::string& dir, const std::string& name) {
  return dir == "/" ? "/" + name : dir + "/" + name;
}

}  // namespace

std::string CollapseSlashes(std::string_view path) {
  std::string out;
  for (char c : path) {
    if (c == '/' && !out.empty() && out.back() == '/') continue;
    out += c;
  }
  while (out.size() > 1 && out.back() == '/') out.pop_back();
  return out;
}

std::vector<std::string_view> PathComponents(std::string_view path) {
  std::vector<std::string_view> components;
  size_t pos = 0;
  while (pos <= path.size()) {
    size_t end = std::min(path.find('/', pos), path.size());
    if (end > pos) components.push_back(path.substr(pos, end - pos));
    pos = end + 1;
  }
  return components;
}

std::string ParentDirectory(std::string_view path) {
  size_t slash = path.rfind('/');
  if (slash == std::string_view::npos || slash == 0) return "/";
  return std::string(path.substr(0, slash));
}

bool IsUnder(std::string_view path, std::string_view prefix) {
  if (prefix == "/") return !path.empty() && path.front() == '/';
  if (path.substr(0, prefix.size()) != prefix) return false;
  return path.size() == prefix.size() || path[prefix.size()] == '/';
}

PathPolicy::PathPolicy(Filesystem& files, const std::vector<std::string>& allowed_prefixes)
    : files_(files) {
  for (const auto& raw : allowed_prefixes) {
    if (raw.empty()) continue;
    std::string prefix = CollapseSlashes(raw);
    auto real = files_.RealPath(prefix);
    prefixes_.push_back(real.ok() ? *real : prefix);
  }
}

Result<std::string> PathPolicy::Check(std::string_view path, std::string_view field) const {
  std::string name(field);
  if (path.empty()) return InvalidArgument(name + " is empty");
  if (path.find('\0') != std::string_view::npos) {
    return InvalidArgument(name + " contains a NUL byte");
  }
  if (path.front() != '/') {
    return InvalidArgument(name + " '" + std::string(path) + "' is not an absolute path");
  }
  std::string collapsed = CollapseSlashes(path);
  // Reject "." and ".." components outright instead of normalising them away.
  for (std::string_view component : PathComponents(collapsed)) {
    if (component == "." || component == "..") {
      return InvalidArgument(name + " '" + std::string(path) + "' contains a '" +
                             std::string(component) + "' component");
    }
  }
  if (collapsed == "/") return InvalidArgument(name + " must not be /");

  // The final component must not be a symlink (mounting would follow it).
  if (auto final = files_.Lstat(collapsed);
      final.ok() && final->has_value() && (*final)->IsSymlink()) {
    return InvalidArgument(name + " '" + collapsed + "' is a symlink");
  }
  // Resolve the longest existing ancestor, then re-append the rest. The final component itself
  // is not resolved: it is not a symlink, and a stale mount on it must not make us fail.
  std::string existing = ParentDirectory(collapsed);
  std::string tail = collapsed.substr(existing == "/" ? 1 : existing.size() + 1);
  std::string resolved;
  while (true) {
    auto real = files_.RealPath(existing);
    if (real.ok()) {
      resolved = *real;
      break;
    }
    if (real.status().code() != Code::kNotFound) {
      return InvalidArgument(name + " '" + collapsed +
                             "' cannot be resolved: " + real.status().message());
    }
    if (existing == "/") return InvalidArgument(name + " cannot be resolved");
    std::string parent = ParentDirectory(existing);
    tail = existing.substr(parent == "/" ? 1 : parent.size() + 1) + "/" + tail;
    existing = parent;
  }
  std::string canonical = Join(resolved, tail);

  for (const auto& prefix : prefixes_) {
    if (IsUnder(canonical, prefix) && canonical != prefix) return canonical;
  }
  std::string allowed;
  for (const auto& prefix : prefixes_) allowed += (allowed.empty() ? "" : ", ") + prefix;
  std::string shown =
      canonical == collapsed ? collapsed : collapsed + " (resolves to " + canonical + ")";
  return InvalidArgument(name + " " + shown + " is outside the allowed path prefixes [" + allowed +
                         "]");
}

}  // namespace lcsi::node
