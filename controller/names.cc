#include "controller/names.h"

#include "controller/hashing.h"

namespace lcsi::controller {

namespace {

constexpr size_t kMinLen = 2;
constexpr size_t kMaxLen = 48;
constexpr size_t kReadableChars = 22;
constexpr size_t kHashChars = 16;
constexpr std::string_view kGroupPrefix = "group:";

bool IsNameChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
         c == '-';
}

}  // namespace

bool IsValidLinstorName(std::string_view name) {
  if (name.size() < kMinLen || name.size() > kMaxLen) return false;
  const char first = name.front();
  if (!((first >= 'A' && first <= 'Z') || (first >= 'a' && first <= 'z') || first == '_')) {
    return false;
  }
  for (char c : name) {
    if (!IsNameChar(c)) return false;
  }
  return true;
}

std::string LinstorNameFor(std::string_view csi_name) {
  if (IsValidLinstorName(csi_name)) return std::string(csi_name);
  // "csi-" + up to 22 readable characters + "-" + 16 hex digits: at most 43 characters.
  std::string readable;
  for (char c : csi_name) {
    if (readable.size() == kReadableChars) break;
    readable.push_back(IsNameChar(c) ? c : '-');
  }
  std::string out = "csi-";
  if (!readable.empty()) out += readable + "-";
  out += Sha256Hex(csi_name, kHashChars);
  return out;
}

std::string EncodeSnapshotId(const SnapshotRef& ref) {
  return ref.resource_definition + "/" + ref.snapshot;
}

std::optional<SnapshotRef> DecodeSnapshotId(std::string_view id) {
  const size_t slash = id.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  SnapshotRef ref{std::string(id.substr(0, slash)), std::string(id.substr(slash + 1))};
  if (!IsValidLinstorName(ref.resource_definition) || !IsValidLinstorName(ref.snapshot)) {
    return std::nullopt;
  }
  return ref;
}

std::string EncodeGroupSnapshotId(std::string_view snapshot_name) {
  return std::string(kGroupPrefix) + std::string(snapshot_name);
}

std::optional<std::string> DecodeGroupSnapshotId(std::string_view id) {
  if (id.substr(0, kGroupPrefix.size()) != kGroupPrefix) return std::nullopt;
  std::string name(id.substr(kGroupPrefix.size()));
  if (!IsValidLinstorName(name)) return std::nullopt;
  return name;
}

}  // namespace lcsi::controller
