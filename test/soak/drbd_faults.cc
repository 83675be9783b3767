#include "test/soak/drbd_faults.h"

#include <algorithm>
#include <cstdio>

namespace lcsi::soak {
namespace {

constexpr char kAdmin[] = "/admin/v1/resources/";

bool Syncing(const std::string& disk) {
  return disk.rfind("SyncTarget", 0) == 0 || disk == "Inconsistent";
}

std::string NameList(const std::vector<const ReplicaView*>& replicas) {
  std::string out = "[";
  for (const auto* r : replicas) out += (out.size() > 1 ? ",\"" : "\"") + r->node + "\"";
  return out + "]";
}

std::string Percent(double done) {
  char text[16];
  std::snprintf(text, sizeof(text), "%.2f", done);
  return text;
}

Status AdminCall(testing::SimAdmin& admin, const std::string& method, const std::string& path,
                 const std::string& body) {
  testing::HttpReply reply;
  for (int attempt = 0; attempt < 5 && reply.status == 0; ++attempt) {
    reply = admin.Send(method, path, body);
  }
  if (reply.status >= 200 && reply.status < 300) return Status::Ok();
  return Internal(method + " " + path + " " + body + ": HTTP " + std::to_string(reply.status) +
                  " " + reply.body);
}

}  // namespace

std::vector<ReplicaView> ReadReplicas(Backend& backend, const std::string& rd) {
  std::vector<ReplicaView> out;
  simdjson::dom::element doc;
  if (backend.Get("/v1/view/resources?resources=" + rd, &doc) != 200) return out;
  simdjson::dom::array arr;
  if (doc.get_array().get(arr) != simdjson::SUCCESS) return out;
  for (auto rsc : arr) {
    std::string_view node, name;
    if (rsc["node_name"].get_string().get(node) != simdjson::SUCCESS) continue;
    if (rsc["name"].get_string().get(name) != simdjson::SUCCESS) continue;
    if (Lower(std::string(name)) != Lower(rd)) continue;
    ReplicaView r;
    r.node = Lower(std::string(node));
    simdjson::dom::array flags;
    if (rsc["flags"].get_array().get(flags) == simdjson::SUCCESS) {
      for (auto f : flags) {
        std::string_view s;
        if (f.get_string().get(s) != simdjson::SUCCESS) continue;
        r.diskless = r.diskless || s == "DISKLESS" || s == "DRBD_DISKLESS";
        r.tie_breaker = r.tie_breaker || s == "TIE_BREAKER";
      }
    }
    simdjson::dom::array volumes;
    if (rsc["volumes"].get_array().get(volumes) == simdjson::SUCCESS) {
      for (auto v : volumes) {
        std::string_view disk;
        if (v["state"]["disk_state"].get_string().get(disk) == simdjson::SUCCESS) {
          r.disk_state = std::string(disk);
          break;
        }
      }
    }
    simdjson::dom::element drbd;
    if (rsc["layer_object"]["drbd"].get(drbd) == simdjson::SUCCESS) {
      simdjson::dom::object connections;
      if (drbd["connections"].get_object().get(connections) == simdjson::SUCCESS) {
        for (auto field : connections) {
          bool up = false;
          if (field.value["connected"].get_bool().get(up) != simdjson::SUCCESS) up = false;
          r.connected[Lower(std::string(field.key))] = up;
        }
      }
      if (drbd["promotion_score"].get_int64().get(r.promotion_score) != simdjson::SUCCESS) {
        r.promotion_score = -1;
      }
    }
    if (rsc["state"]["in_use"].get_bool().get(r.in_use) != simdjson::SUCCESS) r.in_use = false;
    out.push_back(std::move(r));
  }
  return out;
}

const ReplicaView* FindReplica(const std::vector<ReplicaView>& replicas, const std::string& node) {
  for (const auto& r : replicas) {
    if (r.node == Lower(node)) return &r;
  }
  return nullptr;
}

Verdict Judge(const std::vector<ReplicaView>& replicas, const std::string& node) {
  Verdict v;
  const ReplicaView* self = FindReplica(replicas, node);
  for (const auto& r : replicas) {
    if (r.in_use && r.node != Lower(node)) v.in_use_elsewhere = true;
  }
  if (self == nullptr) {
    v.state = "no replica on " + node;
    return v;
  }
  int seen = 1;
  bool peer_has_data = false;
  std::string peers;
  for (const auto& [peer, up] : self->connected) {
    seen += up ? 1 : 0;
    const ReplicaView* other = FindReplica(replicas, peer);
    const std::string disk = other == nullptr ? "?" : other->disk_state;
    if (up && other != nullptr && !other->diskless && disk == "UpToDate") peer_has_data = true;
    peers += ", " + peer + " " + disk + (up ? "" : " (not connected)") +
             (other != nullptr && other->in_use ? " (Primary)" : "");
  }
  const int members = 1 + static_cast<int>(self->connected.size());
  const bool quorum = seen * 2 > members;
  const bool may_promote = self->promotion_score != 0;
  const bool local_data = !self->diskless && self->disk_state == "UpToDate";
  const bool via_peer = (self->diskless || Syncing(self->disk_state)) && peer_has_data;
  v.usable = (local_data || via_peer) && quorum && may_promote;
  v.state =
      self->node + " " + self->disk_state +
      (quorum ? "" : ", no quorum (" + std::to_string(seen) + "/" + std::to_string(members) + ")") +
      (may_promote ? "" : ", promotion score 0") + peers;
  return v;
}

bool AllHealthy(const std::vector<ReplicaView>& replicas, std::string* problem) {
  for (const auto& r : replicas) {
    const std::string want = r.diskless ? "Diskless" : "UpToDate";
    std::string what;
    if (r.disk_state != want) what = "disk " + r.disk_state;
    for (const auto& [peer, up] : r.connected) {
      if (!up) what += " connection to " + peer + " down";
    }
    if (r.in_use) what += " in use";
    if (r.promotion_score == 0 && !r.tie_breaker) what += " promotion score 0";
    if (!what.empty()) {
      *problem = r.node + ":" + what;
      return false;
    }
  }
  return true;
}

const char* ExpectName(Expect e) {
  switch (e) {
    case Expect::kUsable:
      return "usable";
    case Expect::kUnusable:
      return "unusable";
    case Expect::kInUseElsewhere:
      return "in use elsewhere";
  }
  return "?";
}

std::vector<DrbdFaultPlan> ApplicableFaults(const std::vector<ReplicaView>& replicas,
                                            const std::string& node, bool for_publish,
                                            double sync_done) {
  std::vector<DrbdFaultPlan> out;
  const ReplicaView* self = FindReplica(replicas, node);
  std::vector<const ReplicaView*> peers, diskful_peers;
  for (const auto& r : replicas) {
    if (&r == self) continue;
    peers.push_back(&r);
    if (!r.diskless) diskful_peers.push_back(&r);
  }
  const std::string sync = Percent(sync_done);
  if (for_publish) {
    if (!diskful_peers.empty()) {
      out.push_back(
          {"in use on a peer before publish", Expect::kInUseElsewhere, {}, diskful_peers[0]->node});
    }
    return out;
  }
  if (self == nullptr) return out;
  const std::string me = self->node;
  auto add = [&](std::string kind, Expect expect,
                 std::vector<std::pair<std::string, std::string>> drbd) {
    out.push_back({std::move(kind), expect, std::move(drbd), ""});
  };
  add("quorum lost", Expect::kUnusable, {{me, R"({"quorum_lost":true})"}});
  add("I/O suspended", Expect::kUnusable, {{me, R"({"io_suspended":true})"}});
  if (!diskful_peers.empty()) {
    out.push_back({"in use on a peer", Expect::kInUseElsewhere, {}, diskful_peers[0]->node});
  }
  if (!self->diskless) {
    add("Outdated", Expect::kUnusable, {{me, R"({"disk_state":"Outdated"})"}});
    if (!peers.empty()) {
      add("Inconsistent, cut off from its peers", Expect::kUnusable,
          {{me, R"({"disk_state":"Inconsistent","disconnected_peers":)" + NameList(peers) + "}"}});
      add("SyncTarget, cut off from its peers", Expect::kUnusable,
          {{me, R"({"sync_done":)" + sync + R"(,"disconnected_peers":)" + NameList(peers) + "}"}});
    } else {
      add("SyncTarget without a peer", Expect::kUnusable, {{me, R"({"sync_done":)" + sync + "}"}});
    }
    if (!diskful_peers.empty()) {
      add("SyncTarget from an UpToDate peer", Expect::kUsable,
          {{me, R"({"sync_done":)" + sync + "}"}});
      add("Inconsistent, connected to an UpToDate peer", Expect::kUsable,
          {{me, R"({"disk_state":"Inconsistent"})"}});
      add("peer Outdated", Expect::kUsable,
          {{diskful_peers[0]->node, R"({"disk_state":"Outdated"})"}});
    }
    if (!diskful_peers.empty()) {
      add("peer I/O suspended", Expect::kUsable,
          {{diskful_peers[0]->node, R"({"io_suspended":true})"}});
    }
    if (peers.size() >= 2) {
      // With three or more members, one lost connection keeps the majority.
      add("disconnected from one peer, quorum kept", Expect::kUsable,
          {{me, R"({"disconnected_peers":)" + NameList({peers[0]}) + "}"}});
    }
  } else if (!diskful_peers.empty()) {
    std::vector<std::pair<std::string, std::string>> all_outdated;
    for (const auto* p : diskful_peers)
      all_outdated.push_back({p->node, R"({"disk_state":"Outdated"})"});
    add("diskless, every diskful peer Outdated", Expect::kUnusable, all_outdated);
    add("diskless, cut off from the diskful peers", Expect::kUnusable,
        {{me, R"({"disconnected_peers":)" + NameList(diskful_peers) + "}"}});
    if (diskful_peers.size() >= 2) {
      add("diskless, one diskful peer Outdated", Expect::kUsable,
          {{diskful_peers[0]->node, R"({"disk_state":"Outdated"})"}});
      if (peers.size() >= 2) {
        add("diskless, disconnected from one diskful peer", Expect::kUsable,
            {{me, R"({"disconnected_peers":)" + NameList({diskful_peers[0]}) + "}"}});
      }
    }
  }
  return out;
}

Status ApplyFault(testing::SimAdmin& admin, const std::string& rd, const DrbdFaultPlan& plan) {
  for (const auto& [node, body] : plan.drbd) {
    LCSI_RETURN_IF_ERROR(AdminCall(admin, "POST", kAdmin + rd + "/" + node + "/drbd", body));
  }
  if (!plan.in_use_node.empty()) {
    LCSI_RETURN_IF_ERROR(AdminCall(admin, "POST", kAdmin + rd + "/" + plan.in_use_node + "/in-use",
                                   R"({"in_use":true})"));
  }
  return Status::Ok();
}

Status ClearFault(testing::SimAdmin& admin, const std::string& rd, const DrbdFaultPlan& plan) {
  for (const auto& [node, body] : plan.drbd) {
    LCSI_RETURN_IF_ERROR(AdminCall(admin, "DELETE", kAdmin + rd + "/" + node + "/drbd", ""));
  }
  if (!plan.in_use_node.empty()) {
    LCSI_RETURN_IF_ERROR(AdminCall(admin, "POST", kAdmin + rd + "/" + plan.in_use_node + "/in-use",
                                   R"({"in_use":false})"));
  }
  return Status::Ok();
}

void IoLedger::Record(IoRecord record) {
  std::lock_guard<std::mutex> lock(mu_);
  records_.push_back(std::move(record));
}

int64_t IoLedger::total() const {
  std::lock_guard<std::mutex> lock(mu_);
  return static_cast<int64_t>(records_.size());
}

int64_t IoLedger::under_usable_fault() const {
  std::lock_guard<std::mutex> lock(mu_);
  return std::count_if(records_.begin(), records_.end(),
                       [](const IoRecord& r) { return r.usable && !r.fault.empty(); });
}

std::vector<std::string> IoLedger::Unsafe() const {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<std::string> out;
  for (const auto& r : records_) {
    if (r.usable) continue;
    out.push_back(r.op + " on " + r.volume + " while its replica could not serve I/O (" + r.state +
                  (r.fault.empty() ? std::string() : "; injected: " + r.fault) + ")");
  }
  return out;
}

}  // namespace lcsi::soak
