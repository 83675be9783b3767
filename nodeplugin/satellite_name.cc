#include "nodeplugin/satellite_name.h"

#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstring>
#include <fstream>
#include <sstream>

#include "base/lines.h"

namespace lcsi::node {
namespace {

std::string_view Trim(std::string_view s) {
  size_t begin = s.find_first_not_of(" \t\r");
  if (begin == std::string_view::npos) return {};
  size_t end = s.find_last_not_of(" \t\r");
  return s.substr(begin, end - begin + 1);
}

// Drops a comment: '#' at the start or after whitespace (a '#' inside a word is kept, and quoted
// values are handled by the caller before this matters for names, which never contain '#').
std::string_view StripComment(std::string_view line) {
  for (size_t i = 0; i < line.size(); ++i) {
    if (line[i] == '#' && (i == 0 || line[i - 1] == ' ' || line[i - 1] == '\t')) {
      return line.substr(0, i);
    }
  }
  return line;
}

// Removes one pair of matching YAML quotes; an unmatched quote is an error.
Result<std::string> Unquote(std::string_view s, const std::string& where) {
  if (!s.empty() && (s.front() == '"' || s.front() == '\'')) {
    if (s.size() < 2 || s.back() != s.front()) {
      return InvalidArgument(where + ": unterminated quote in '" + std::string(s) + "'");
    }
    return std::string(s.substr(1, s.size() - 2));
  }
  return std::string(s);
}

bool HasWhitespace(std::string_view s) { return s.find_first_of(" \t") != std::string_view::npos; }

}  // namespace

Result<SatelliteMap> ParseSatelliteMap(std::string_view text) {
  SatelliteMap map;
  std::map<std::string, int> defined_at;
  Lines lines(text);
  while (auto raw = lines.Next()) {
    const int line_number = lines.number();
    std::string where = "line " + std::to_string(line_number);
    std::string_view line = Trim(StripComment(*raw));
    if (line.empty() || line == "---") continue;

    std::string node, satellite;
    size_t colon = line.find(": ");
    if (colon == std::string_view::npos && line.back() == ':') colon = line.size() - 1;
    if (colon != std::string_view::npos) {
      auto key = Unquote(Trim(line.substr(0, colon)), where);
      if (!key.ok()) return key.status();
      auto value = Unquote(Trim(line.substr(colon + 1)), where);
      if (!value.ok()) return value.status();
      node = *key;
      satellite = *value;
      if (node.empty() || satellite.empty()) {
        return InvalidArgument(where + ": expected 'node-name: satellite-name', got '" +
                               std::string(line) + "'");
      }
    } else {
      size_t split = line.find_first_of(" \t");
      if (split == std::string_view::npos) {
        return InvalidArgument(
            where + ": expected 'node-name satellite-name', got '" + std::string(line) +
            "' (a single word" +
            (line.find(':') != std::string_view::npos ? "; YAML needs a space after ':')" : ")"));
      }
      node = std::string(line.substr(0, split));
      satellite = std::string(Trim(line.substr(split)));
    }
    if (HasWhitespace(node) || HasWhitespace(satellite)) {
      return InvalidArgument(where + ": expected exactly two names, got '" + std::string(line) +
                             "'");
    }
    auto existing = map.find(node);
    if (existing != map.end() && existing->second != satellite) {
      return InvalidArgument(where + ": node '" + node + "' is mapped to '" + satellite +
                             "' but line " + std::to_string(defined_at[node]) + " maps it to '" +
                             existing->second + "'");
    }
    map[node] = satellite;
    defined_at.emplace(node, line_number);
  }
  return map;
}

Result<ResolvedSatellite> ResolveSatelliteName(const SatelliteNameSources& sources) {
  if (!sources.explicit_name.empty()) {
    return ResolvedSatellite{sources.explicit_name, "--satellite-name"};
  }
  if (!sources.map_file.empty()) {
    auto map = ParseSatelliteMap(sources.map_file_text);
    if (!map.ok()) return map.status().WithContext("satellite map " + sources.map_file);
    // The map is keyed by the orchestrator's node name (the host name when none is given).
    bool by_node = !sources.node_name.empty();
    const std::string& key = by_node ? sources.node_name : sources.host_name;
    auto it = map->find(key);
    if (!key.empty() && it != map->end()) {
      return ResolvedSatellite{it->second, "satellite map " + sources.map_file + " (entry for " +
                                               (by_node ? "node " : "host ") + key + ")"};
    }
  }
  if (!sources.node_name.empty()) return ResolvedSatellite{sources.node_name, "node name"};
  if (!sources.host_name.empty()) return ResolvedSatellite{sources.host_name, "host name"};
  return InvalidArgument(
      "cannot tell which LINSTOR satellite this node is: set --satellite-name, --node-name or "
      "--satellite-map");
}

std::string HostName() {
  char buffer[HOST_NAME_MAX + 1] = {};
  if (::gethostname(buffer, sizeof buffer - 1) != 0) return "";
  return buffer;
}

Result<ResolvedSatellite> ResolveSatelliteNameFromFlags(const std::string& explicit_name,
                                                        const std::string& map_file,
                                                        const std::string& node_name) {
  SatelliteNameSources sources;
  sources.explicit_name = explicit_name;
  sources.node_name = node_name;
  sources.host_name = HostName();
  if (explicit_name.empty() && !map_file.empty()) {
    std::ifstream in(map_file);
    if (!in) {
      return InvalidArgument("cannot read satellite map " + map_file + ": " + std::strerror(errno));
    }
    std::stringstream buffer;
    buffer << in.rdbuf();
    sources.map_file = map_file;
    sources.map_file_text = buffer.str();
  }
  return ResolveSatelliteName(sources);
}

}  // namespace lcsi::node
