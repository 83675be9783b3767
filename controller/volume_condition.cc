#include "controller/volume_condition.h"

namespace lcsi::controller {

VolumeHealth EvaluateVolumeHealth(const std::vector<linstor::Resource>& resources,
                                  const std::map<std::string, linstor::Node>& nodes) {
  std::vector<std::string> problems;
  int diskful = 0;
  for (const auto& r : resources) {
    auto node = nodes.find(r.node_name);
    if (node == nodes.end()) {
      problems.push_back("node " + r.node_name + " is unknown to LINSTOR");
    } else if (!node->second.IsOnline()) {
      problems.push_back("node " + r.node_name + " is " +
                         (node->second.connection_status.empty() ? std::string("not ONLINE")
                                                                 : node->second.connection_status));
    }
    if (r.IsDiskful()) {
      ++diskful;
      const linstor::Volume* v = r.volume(0);
      if (v != nullptr && !v->disk_state.empty() && v->disk_state != "UpToDate") {
        problems.push_back("replica on " + r.node_name + " is " + v->disk_state);
      }
    }
    if (!r.drbd_connections.empty()) {
      int connected = 0;
      for (const auto& [peer, c] : r.drbd_connections) connected += c.connected ? 1 : 0;
      const int members = static_cast<int>(r.drbd_connections.size()) + 1;
      if ((connected + 1) * 2 <= members) {
        problems.push_back("quorum lost on " + r.node_name + " (" + std::to_string(connected) +
                           " of " + std::to_string(members - 1) + " peers connected)");
      }
    }
  }
  if (diskful == 0) problems.insert(problems.begin(), "no diskful replica");
  VolumeHealth h;
  h.abnormal = !problems.empty();
  if (!h.abnormal) {
    h.message = std::to_string(diskful) + " diskful replica(s) UpToDate";
    return h;
  }
  for (const auto& p : problems) h.message += (h.message.empty() ? "" : "; ") + p;
  return h;
}

}  // namespace lcsi::controller
