#include "controller/linstor_csi_values.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <optional>
#include <string_view>

#include "base/lines.h"
#include "base/parse_double.h"
#include "base/parse_int.h"

namespace lcsi::controller {

namespace {

constexpr int32_t kMaxReplicasPerValue = 32;

std::string Trim(std::string_view s) {
  size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b]))) ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1]))) --e;
  return std::string(s.substr(b, e - b));
}

std::string Lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return s;
}

std::string Unquote(std::string s) {
  if (s.size() >= 2 && (s.front() == '"' || s.front() == '\'') && s.back() == s.front()) {
    return s.substr(1, s.size() - 2);
  }
  return s;
}

}  // namespace

std::string TopologyPropertyKey(const std::string& entry) {
  if (entry.rfind("Aux/", 0) == 0) return entry;
  return "Aux/topology/" + entry;
}

Result<PlacementPolicy> ParsePlacementPolicy(const std::string& key, const std::string& value) {
  const std::string v = Lower(Trim(value));
  if (v == "autoplacetopology") return PlacementPolicy::kAutoPlaceTopology;
  if (v == "autoplace") return PlacementPolicy::kAutoPlace;
  if (v == "manual") return PlacementPolicy::kManual;
  if (v == "followtopology") return PlacementPolicy::kFollowTopology;
  if (v == "balanced") {
    return InvalidArgument(
        "parameter '" + key +
        "': Balanced is not supported: linstor-csi's Balanced scheduler reads Kubernetes node "
        "labels and picks pools by utilisation through the Kubernetes API, which this plugin "
        "does not use; use AutoPlaceTopology with replicasOnSame/replicasOnDifferent");
  }
  return InvalidArgument("parameter '" + key + "': unknown placement policy '" + value +
                         "' (AutoPlaceTopology, AutoPlace or Manual)");
}

Result<std::map<std::string, int32_t>> ParseXReplicasOnDifferent(const std::string& key,
                                                                 const std::string& value) {
  std::string text = Trim(value);
  const std::string bad = "parameter '" + key + "': ";
  if (!text.empty() && text.front() == '{') {
    if (text.back() != '}') return InvalidArgument(bad + "unterminated '{'");
    text = text.substr(1, text.size() - 2);
    std::replace(text.begin(), text.end(), ',', '\n');
  }
  std::map<std::string, int32_t> out;
  Lines lines(text);
  while (const std::optional<std::string_view> next = lines.Next()) {
    std::string line(*next);
    const size_t hash = line.find(" #");
    if (hash != std::string::npos) line.resize(hash);
    line = Trim(line);
    if (line.empty() || line.front() == '#') continue;
    // The count follows the last ": " (topology keys contain no ": ").
    const size_t colon = line.rfind(':');
    if (colon == std::string::npos || colon == 0) {
      return InvalidArgument(bad + "'" + line + "' is not '<topology key>: <count>'");
    }
    const std::string name = Unquote(Trim(line.substr(0, colon)));
    const std::string count = Unquote(Trim(line.substr(colon + 1)));
    const std::optional<int32_t> parsed = ParseInt<int32_t>(count);
    if (!parsed) {
      return InvalidArgument(bad + "count '" + count + "' for '" + name + "' is not an integer");
    }
    const int32_t n = *parsed;
    if (name.empty() || n < 1 || n > kMaxReplicasPerValue) {
      return InvalidArgument(bad + "'" + line + "' needs a key and a count from 1 to " +
                             std::to_string(kMaxReplicasPerValue));
    }
    if (!out.emplace(TopologyPropertyKey(name), n).second) {
      return InvalidArgument(bad + "'" + name + "' is listed twice");
    }
  }
  if (out.empty()) return InvalidArgument(bad + "is empty");
  return out;
}

// nodeList/clientList mean manual placement, as in linstor-csi: diskful resources on exactly
// the nodeList, diskless ones on the clientList; placementCount and the autoplacer's rules
// (replicasOnSame/Different, xReplicasOnDifferent, doNotPlaceWithRegex) do not apply.
Status ResolveManualPlacement(VolumeParameters& p) {
  if (!p.node_list.empty() || !p.client_list.empty()) p.placement_policy = PlacementPolicy::kManual;
  if (p.placement_policy != PlacementPolicy::kManual) return Status::Ok();
  if (p.node_list.empty()) {
    return InvalidArgument(
        p.client_list.empty()
            ? "placementPolicy Manual needs nodeList: the nodes that get the diskful replicas"
            : "clientList needs nodeList: without it the volume would have no diskful replica");
  }
  for (const auto& c : p.client_list) {
    if (std::find(p.node_list.begin(), p.node_list.end(), c) != p.node_list.end()) {
      return InvalidArgument("node '" + c + "' is in both nodeList and clientList");
    }
  }
  p.placement_count.reset();
  p.replicas_on_same.clear();
  p.replicas_on_different.clear();
  p.x_replicas_on_different.clear();
  p.do_not_place_with_regex.clear();
  return Status::Ok();
}

Result<double> ParseOverProvision(const std::string& key, const std::string& value) {
  const std::string trimmed = Trim(value);
  std::string_view v = trimmed;
  if (v.starts_with('+')) v.remove_prefix(1);  // a sign, as Go's strconv.ParseFloat reads it
  const std::optional<double> parsed = ParseDouble(v);
  if (!parsed) return InvalidArgument("parameter '" + key + "': '" + value + "' is not a number");
  const double f = *parsed;
  if (!std::isfinite(f) || f <= 0) {
    return InvalidArgument("parameter '" + key + "': " + value + " must be a positive factor");
  }
  return f;
}

Result<int64_t> ParseQuantityBytes(const std::string& key, const std::string& value) {
  static const std::pair<const char*, double> kSuffixes[] = {{"Ki", 1024.0},
                                                             {"Mi", 1048576.0},
                                                             {"Gi", 1073741824.0},
                                                             {"Ti", 1099511627776.0},
                                                             {"Pi", 1125899906842624.0},
                                                             {"k", 1e3},
                                                             {"M", 1e6},
                                                             {"G", 1e9},
                                                             {"T", 1e12},
                                                             {"P", 1e15},
                                                             {"", 1.0}};
  const std::string v = Trim(value);
  for (const auto& [suffix, factor] : kSuffixes) {
    const std::string s = suffix;
    if (v.size() <= s.size() || v.compare(v.size() - s.size(), s.size(), s) != 0) continue;
    const std::string number = v.substr(0, v.size() - s.size());
    if (number.empty() || !std::all_of(number.begin(), number.end(), [](char c) {
          return std::isdigit(static_cast<unsigned char>(c)) || c == '.';
        })) {
      continue;
    }
    const std::optional<double> n = ParseDouble(number);
    if (!n) continue;
    const double bytes = std::ceil(*n * factor);
    if (bytes < 1 || bytes > 9.0e18) break;
    return static_cast<int64_t>(bytes);
  }
  return InvalidArgument("parameter '" + key + "': '" + value + "' is not a size like 300Mi or 1G");
}

}  // namespace lcsi::controller
