#include "nodeplugin/capabilities.h"

#include <fstream>
#include <string>

namespace lcsi::node {

std::optional<bool> HasEffectiveCapability(int capability) {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("CapEff:", 0) != 0) continue;
    try {
      unsigned long long mask = std::stoull(line.substr(7), nullptr, 16);
      return ((mask >> capability) & 1ULL) != 0;
    } catch (...) {
      return std::nullopt;
    }
  }
  return std::nullopt;
}

}  // namespace lcsi::node
