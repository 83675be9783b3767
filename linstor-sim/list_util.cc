#include "linstor-sim/list_util.h"

#include <map>
#include <mutex>

#include "linstor-sim/names.h"

namespace lcsi::sim {

bool NameFilterMatches(const std::vector<std::string>& names, const std::string& key) {
  if (names.empty()) return true;
  for (const auto& n : names)
    if (NameKey(n) == key) return true;
  return false;
}

bool PropsMatch(const Props& props, const std::vector<std::string>& filters) {
  for (const auto& f : filters) {
    const auto eq = f.find('=');
    if (eq == std::string::npos) {
      if (props.count(f) == 0) return false;
      continue;
    }
    auto it = props.find(f.substr(0, eq));
    if (it == props.end() || it->second != f.substr(eq + 1)) return false;
  }
  return true;
}

std::optional<std::regex> CompileRegex(const std::string& pattern, bool icase) {
  static std::mutex mu;
  static std::map<std::pair<std::string, bool>, std::optional<std::regex>> cache;
  std::lock_guard<std::mutex> lock(mu);
  auto key = std::make_pair(pattern, icase);
  auto it = cache.find(key);
  if (it != cache.end()) return it->second;
  std::optional<std::regex> re;
  try {
    auto flags = std::regex::ECMAScript;
    if (icase) flags |= std::regex::icase;
    re.emplace(pattern, flags);
  } catch (const std::regex_error&) {
    re.reset();
  }
  if (cache.size() > 256) cache.clear();
  cache.emplace(key, re);
  return re;
}

}  // namespace lcsi::sim
