#include "nodeplugin/closest_names.h"

#include <algorithm>
#include <cctype>
#include <tuple>

namespace lcsi::node {
namespace {

char Lower(char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); }

std::string ToLower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = Lower(c);
  return out;
}

// The host part of a DNS name; "" for IP addresses and names without a dot, whose first label
// says nothing.
std::string ShortName(std::string_view s) {
  size_t dot = s.find('.');
  if (dot == std::string_view::npos) return ToLower(s);
  std::string_view head = s.substr(0, dot);
  if (std::all_of(head.begin(), head.end(),
                  [](char c) { return std::isdigit(static_cast<unsigned char>(c)); })) {
    return "";
  }
  return ToLower(head);
}

}  // namespace

size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<size_t> previous(b.size() + 1), current(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) previous[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    current[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t substitution = previous[j - 1] + (Lower(a[i - 1]) == Lower(b[j - 1]) ? 0 : 1);
      current[j] = std::min({previous[j] + 1, current[j - 1] + 1, substitution});
    }
    std::swap(previous, current);
  }
  return previous[b.size()];
}

std::vector<std::string> ClosestNames(std::string_view name,
                                      const std::vector<std::string>& candidates,
                                      size_t max_results) {
  // (rank class, distance, full-name distance, candidate)
  std::vector<std::tuple<int, size_t, size_t, std::string>> ranked;
  std::string lower = ToLower(name);
  std::string short_name = ShortName(name);
  for (const auto& candidate : candidates) {
    const size_t full_distance = EditDistance(name, candidate);
    size_t distance = full_distance;
    size_t longer = std::max(name.size(), candidate.size());
    // Host parts compared on their own too: "k8s-bravo.example.com" is close to "sat-bravo".
    std::string candidate_short = ShortName(candidate);
    if (!short_name.empty() && !candidate_short.empty()) {
      size_t short_distance = EditDistance(short_name, candidate_short);
      if (short_distance < distance) {
        distance = short_distance;
        longer = std::max(short_name.size(), candidate_short.size());
      }
    }
    int rank_class;
    if (ToLower(candidate) == lower) {
      rank_class = 0;
    } else if (!short_name.empty() && candidate_short == short_name) {
      rank_class = 1;
    } else {
      if (distance * 2 > longer) continue;
      rank_class = 2;
    }
    ranked.emplace_back(rank_class, distance, full_distance, candidate);
  }
  std::sort(ranked.begin(), ranked.end());
  std::vector<std::string> result;
  for (const auto& entry : ranked) {
    if (result.size() >= max_results) break;
    result.push_back(std::get<3>(entry));
  }
  return result;
}

}  // namespace lcsi::node
