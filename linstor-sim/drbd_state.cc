#include "linstor-sim/drbd_state.h"

#include <simdjson.h>

#include <array>
#include <cstdio>

#include "linstor-sim/names.h"

namespace lcsi::sim {
namespace {

// DiskState labels (linstor-server server/.../drbdstate/DiskState.java).
constexpr std::array<std::string_view, 10> kDiskStates = {
    "Diskless",     "Attaching", "Detaching", "Failed",     "Negotiating",
    "Inconsistent", "Outdated",  "DUnknown",  "Consistent", "UpToDate"};

bool Syncing(const Resource& rsc) { return rsc.drbd.sync_done.has_value(); }

}  // namespace

std::string DrbdDiskState(const Resource& rsc, bool online) {
  if (!online) return "Unknown";
  if (rsc.drbd.sync_done) {
    // DrbdVolume.diskStateInfo(): a SyncTarget reports its progress with two decimals.
    char text[40];
    std::snprintf(text, sizeof(text), "SyncTarget(%.2f%%)", *rsc.drbd.sync_done);
    return text;
  }
  if (!rsc.drbd.disk_state.empty()) return rsc.drbd.disk_state;
  return rsc.diskless ? "Diskless" : "UpToDate";
}

bool DrbdLinkUp(const Resource& a, bool a_online, const Resource& b, bool b_online) {
  if (!a_online || !b_online || a.drbd.quorum_lost || b.drbd.quorum_lost) return false;
  return a.drbd.disconnected_peers.count(NameKey(b.node)) == 0 &&
         b.drbd.disconnected_peers.count(NameKey(a.node)) == 0;
}

std::string DrbdConnectionMessage(bool link_up, bool self_online) {
  if (link_up) return "Connected";
  return self_online ? "Connecting" : "Unknown";
}

DrbdReplication DrbdReplicationState(const Resource& rsc, const Resource& peer, bool link_up) {
  if (!link_up) return {"Off", std::nullopt};
  if (Syncing(rsc) && !peer.diskless && !Syncing(peer)) return {"SyncTarget", rsc.drbd.sync_done};
  if (Syncing(peer) && !rsc.diskless && !Syncing(rsc)) return {"SyncSource", peer.drbd.sync_done};
  return {"Established", std::nullopt};
}

int32_t DrbdPromotionScore(const Resource& rsc, bool online) {
  if (!online || rsc.tie_breaker || rsc.drbd.quorum_lost || rsc.drbd.io_suspended) return 0;
  return rsc.diskless ? 1 : 10102;
}

Result<DrbdFault> ParseDrbdFault(std::string_view body) {
  simdjson::dom::parser parser;
  simdjson::dom::object root;
  if (parser.parse(body.data(), body.size()).get(root) != simdjson::SUCCESS) {
    return InvalidArgument("expected a JSON object");
  }
  DrbdFault fault;
  for (auto [key, value] : root) {
    if (key == "disk_state") {
      std::string_view s;
      if (value.get_string().get(s) != simdjson::SUCCESS) {
        return InvalidArgument("disk_state must be a string");
      }
      bool known = false;
      for (auto label : kDiskStates) known = known || label == s;
      if (!known) return InvalidArgument("disk_state '" + std::string(s) + "' is no DRBD state");
      fault.disk_state = s == "UpToDate" ? "" : std::string(s);
    } else if (key == "sync_done") {
      double done = 0;
      if (value.get_double().get(done) != simdjson::SUCCESS || done < 0 || done > 100) {
        return InvalidArgument("sync_done must be a number from 0 to 100");
      }
      fault.sync_done = done;
    } else if (key == "disconnected_peers") {
      simdjson::dom::array peers;
      if (value.get_array().get(peers) != simdjson::SUCCESS) {
        return InvalidArgument("disconnected_peers must be an array of node names");
      }
      for (auto peer : peers) {
        std::string_view name;
        if (peer.get_string().get(name) != simdjson::SUCCESS) {
          return InvalidArgument("disconnected_peers must be an array of node names");
        }
        fault.disconnected_peers.insert(std::string(name));
      }
    } else if (key == "quorum_lost" || key == "io_suspended") {
      bool flag = false;
      if (value.get_bool().get(flag) != simdjson::SUCCESS) {
        return InvalidArgument(std::string(key) + " must be true or false");
      }
      (key == "quorum_lost" ? fault.quorum_lost : fault.io_suspended) = flag;
    } else {
      return InvalidArgument("unknown field '" + std::string(key) + "'");
    }
  }
  if (fault.sync_done && !fault.disk_state.empty() && fault.disk_state != "Inconsistent") {
    return InvalidArgument("a syncing replica (sync_done) is Inconsistent, not " +
                           fault.disk_state);
  }
  if (fault.sync_done) fault.disk_state.clear();
  return fault;
}

}  // namespace lcsi::sim
