#include "nodeplugin/capabilities.h"

#include <algorithm>
#include <fstream>
#include <string>

#include "base/parse_int.h"

namespace lcsi::node {

std::optional<bool> HasEffectiveCapability(int capability) {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("CapEff:", 0) != 0) continue;
    std::string_view field = std::string_view(line).substr(7);
    field.remove_prefix(std::min(field.find_first_not_of(" \t"), field.size()));
    auto mask = ParseInt<unsigned long long>(field, 16);
    if (!mask) return std::nullopt;
    return ((*mask >> capability) & 1ULL) != 0;
  }
  return std::nullopt;
}

}  // namespace lcsi::node
