#include "linstor-sim/names.h"

#include <cctype>

namespace lcsi::sim {

bool IsValidName(std::string_view name) {
  if (name.size() < 2 || name.size() > 48) return false;
  const auto first = static_cast<unsigned char>(name[0]);
  if (!std::isalpha(first) && first != '_') return false;
  for (char c : name) {
    const auto u = static_cast<unsigned char>(c);
    if (!std::isalnum(u) && u != '_' && u != '-') return false;
  }
  return true;
}

std::string NameKey(std::string_view name) {
  std::string key(name);
  for (char& c : key) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return key;
}

}  // namespace lcsi::sim
