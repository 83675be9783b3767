#include "test/conformance/mount_table.h"

#include <fstream>
#include <sstream>

namespace lcsi::testing {
namespace {

// Octal escapes (\040 for a blank) in /proc/self/mountinfo paths.
std::string Unescape(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 3 < s.size()) {
      out.push_back(static_cast<char>(std::stoi(s.substr(i + 1, 3), nullptr, 8)));
      i += 3;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

std::vector<std::string> AllMountPoints() {
  std::ifstream in("/proc/self/mountinfo");
  std::vector<std::string> out;
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    std::string id, parent, devno, root, mount_point;
    fields >> id >> parent >> devno >> root >> mount_point;
    out.push_back(Unescape(mount_point));
  }
  return out;
}

}  // namespace

bool IsMountPoint(const std::string& path) {
  for (const auto& m : AllMountPoints()) {
    if (m == path) return true;
  }
  return false;
}

std::vector<std::string> MountsUnder(const std::string& prefix) {
  std::vector<std::string> out;
  for (const auto& m : AllMountPoints()) {
    if (m == prefix || m.starts_with(prefix + "/")) out.push_back(m);
  }
  return out;
}

}  // namespace lcsi::testing
