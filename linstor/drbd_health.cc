#include "linstor/drbd_health.h"

#include <algorithm>
#include <set>

namespace lcsi::linstor {
namespace {

bool HasDrbd(const Resource& r) {
  return std::find(r.layers.begin(), r.layers.end(), "DRBD") != r.layers.end() ||
         !r.drbd_connections.empty() || r.drbd_promotion_score.has_value();
}

const Resource* Find(const std::vector<Resource>& resources, const std::string& node) {
  for (const auto& r : resources)
    if (r.node_name == node) return &r;
  return nullptr;
}

std::string Join(const std::vector<std::string>& parts, const char* separator) {
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : separator) + p;
  return out;
}

}  // namespace

std::string DiskStateOf(const Resource& resource) {
  const Volume* v = resource.volume(0);
  return v == nullptr ? std::string() : v->disk_state;
}

bool IsUpToDate(const std::string& disk_state) { return disk_state == "UpToDate"; }

bool IsSyncing(const std::string& disk_state) {
  return disk_state.rfind("SyncTarget", 0) == 0 || disk_state == "Inconsistent";
}

bool QuorumLost(const Resource& resource) {
  if (resource.drbd_connections.empty()) return false;
  int connected = 0;
  for (const auto& [peer, c] : resource.drbd_connections) connected += c.connected ? 1 : 0;
  const int members = static_cast<int>(resource.drbd_connections.size()) + 1;
  return (connected + 1) * 2 <= members;
}

bool IoSuspended(const Resource& resource) {
  return resource.drbd_promotion_score == 0 && !resource.IsTieBreaker() && !QuorumLost(resource);
}

ReplicaAccess AssessReplica(const std::vector<Resource>& resources, const std::string& satellite) {
  ReplicaAccess access;
  const Resource* self = Find(resources, satellite);
  if (self == nullptr) {
    access.state = "no resource on " + satellite;
    return access;
  }
  const std::string disk = DiskStateOf(*self);
  access.state = disk.empty() ? std::string("no disk state reported") : disk;
  if (!HasDrbd(*self)) {
    access.usable = true;
    if (disk.empty()) access.state = "no DRBD layer";
    return access;
  }
  const bool quorum_lost = QuorumLost(*self);
  const bool suspended = IoSuspended(*self);
  const bool may_use_peer = self->IsDiskless() || IsSyncing(disk);
  bool peer_up_to_date = false;
  std::vector<std::string> peers;
  for (const auto& [peer, connection] : self->drbd_connections) {
    const Resource* other = Find(resources, peer);
    const std::string peer_disk = other == nullptr ? std::string("unknown") : DiskStateOf(*other);
    if (connection.connected && other != nullptr && other->IsDiskful() && IsUpToDate(peer_disk)) {
      peer_up_to_date = true;
      if (may_use_peer) access.state += ", connected to UpToDate " + peer;
    }
    peers.push_back(peer + ": " +
                    (connection.connected         ? peer_disk
                     : connection.message.empty() ? std::string("not connected")
                                                  : connection.message));
  }
  const bool data = (self->IsDiskful() && IsUpToDate(disk)) || (may_use_peer && peer_up_to_date);
  access.usable = data && !quorum_lost && !suspended;
  if (access.usable) return access;
  if (quorum_lost) access.state += ", quorum lost";
  if (suspended) access.state += ", I/O suspended (promotion score 0)";
  if (may_use_peer && !peer_up_to_date) access.state += ", no UpToDate peer connected";
  std::sort(peers.begin(), peers.end());
  if (!peers.empty()) access.state += " (" + Join(peers, ", ") + ")";
  return access;
}

std::vector<std::string> InUseElsewhere(const std::vector<Resource>& resources,
                                        const std::string& node) {
  std::vector<std::string> nodes;
  for (const auto& r : resources)
    if (r.node_name != node && r.in_use.value_or(false)) nodes.push_back(r.node_name);
  std::sort(nodes.begin(), nodes.end());
  return nodes;
}

VolumeHealth EvaluateVolumeHealth(const std::vector<Resource>& resources,
                                  const std::map<std::string, Node>& nodes) {
  std::vector<std::string> problems;
  std::set<std::pair<std::string, std::string>> links_down;
  int diskful = 0;
  for (const auto& r : resources) {
    auto node = nodes.find(r.node_name);
    bool online = false;
    if (node == nodes.end()) {
      problems.push_back("node " + r.node_name + " is unknown to LINSTOR");
    } else if (!node->second.IsOnline()) {
      problems.push_back("node " + r.node_name + " is " +
                         (node->second.connection_status.empty() ? std::string("not ONLINE")
                                                                 : node->second.connection_status));
    } else {
      online = true;
    }
    const std::string disk = DiskStateOf(r);
    if (r.IsDiskful()) {
      ++diskful;
      if (online && !disk.empty() && !IsUpToDate(disk)) {
        problems.push_back("replica on " + r.node_name + " is " + disk +
                           (disk == "Diskless" ? " (its disk is detached)" : ""));
      }
    }
    if (!online) continue;
    for (const auto& [peer, c] : r.drbd_connections) {
      if (c.connected) continue;
      auto link = std::minmax(r.node_name, peer);
      if (links_down.insert({link.first, link.second}).second) {
        problems.push_back("DRBD connection " + link.first + " - " + link.second + " is down (" +
                           (c.message.empty() ? std::string("not connected") : c.message) + ")");
      }
    }
    if (QuorumLost(r)) {
      int connected = 0;
      for (const auto& [peer, c] : r.drbd_connections) connected += c.connected ? 1 : 0;
      problems.push_back("quorum lost on " + r.node_name + " (" + std::to_string(connected) +
                         " of " + std::to_string(r.drbd_connections.size()) + " peers connected)");
    } else if (IoSuspended(r)) {
      problems.push_back("I/O suspended on " + r.node_name + " (DRBD promotion score 0)");
    }
  }
  if (diskful == 0) problems.insert(problems.begin(), "no diskful replica");
  VolumeHealth health;
  health.abnormal = !problems.empty();
  health.message = health.abnormal ? Join(problems, "; ")
                                   : std::to_string(diskful) + " diskful replica(s) UpToDate";
  return health;
}

}  // namespace lcsi::linstor
