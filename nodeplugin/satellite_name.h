// Which LINSTOR satellite this node is: the orchestrator's node name and the satellite name often
// differ (FQDN vs short name, renamed hosts, IPs), so it is resolved in this order:
//   1. an explicit satellite name (--satellite-name / LINSTOR_SATELLITE_NAME);
//   2. the entry for this node in a mapping file (--satellite-map / SATELLITE_MAP_FILE);
//   3. the node name (--node-name / KUBE_NODE_NAME);
//   4. the host name.
#pragma once

#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace lcsi::node {

// node name -> satellite name.
using SatelliteMap = std::map<std::string, std::string>;

// Parses a mapping file. One pair per line, either "node-name satellite-name" (whitespace
// separated) or the YAML form "node-name: satellite-name" (values may be quoted), as a ConfigMap
// key holding a small YAML map provides. '#' starts a comment (at line start or after a blank);
// blank lines and a "---" document marker are ignored. A malformed line, or the same node mapped
// twice to different satellites, is InvalidArgument naming the line number(s).
Result<SatelliteMap> ParseSatelliteMap(std::string_view text);

struct SatelliteNameSources {
  std::string explicit_name;  // --satellite-name
  std::string map_file;       // path of the mapping file; "" = none
  std::string map_file_text;  // its content (read by the caller)
  std::string node_name;      // --node-name
  std::string host_name;      // gethostname()
};

struct ResolvedSatellite {
  std::string name;
  // How it was chosen, for logs: "--satellite-name", "mapping file /x (node n1)", "node name",
  // "host name".
  std::string source;
};

// Applies the resolution order. Errors: InvalidArgument for a malformed mapping file (its line
// number included) or when every source is empty.
Result<ResolvedSatellite> ResolveSatelliteName(const SatelliteNameSources& sources);

// Reads the mapping file and resolves. A missing or unreadable file is InvalidArgument.
Result<ResolvedSatellite> ResolveSatelliteNameFromFlags(const std::string& explicit_name,
                                                        const std::string& map_file,
                                                        const std::string& node_name);

// The system host name ("" when unavailable).
std::string HostName();

}  // namespace lcsi::node
