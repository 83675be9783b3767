#include "linstor/fake_linstor_client.h"

#include <algorithm>
#include <deque>
#include <set>
#include <utility>

namespace lcsi::linstor {

bool IsValidLinstorName(const std::string& name) {
  if (name.size() < 2 || name.size() > 48) return false;
  const char first = name[0];
  if (!((first >= 'A' && first <= 'Z') || (first >= 'a' && first <= 'z') || first == '_')) {
    return false;
  }
  for (char c : name) {
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
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

namespace {

LinstorError Fail(uint64_t object, int code, const std::string& message, int http_status,
                  const std::string& cause = "") {
  ApiCallRc rc;
  rc.ret_code = MakeRetCode(kMaskError, object, code);
  rc.message = message;
  rc.cause = cause;
  return LinstorError::FromResponse(http_status, {rc}, "");
}

LinstorError NotFoundError(uint64_t object, int code, const std::string& what) {
  return Fail(object, code, what + " not found.", 404);
}

LinstorError InvalidName(uint64_t object, int code, const std::string& name) {
  return Fail(object, code, "The name '" + name + "' is invalid.", 400,
              "Names are 2-48 characters of [A-Za-z0-9_-] starting with a letter or '_'.");
}

LinstorError RdNotFound(const std::string& rd) {
  return NotFoundError(kObjRscDfn, kCodeFailNotFoundRscDfn, "Resource definition '" + rd + "'");
}

LinstorError SnapNotFound(const std::string& rd, const std::string& snap) {
  return NotFoundError(kObjSnapshot, kCodeFailNotFoundSnapshotDfn,
                       "Snapshot '" + snap + "' of resource '" + rd + "'");
}

bool Contains(const std::vector<std::string>& list, const std::string& v) {
  return std::find(list.begin(), list.end(), v) != list.end();
}

// Looks up a placement key on a node: as given, else under "Aux/".
std::optional<std::string> NodeProp(const Node& node, const std::string& key) {
  auto it = node.props.find(key);
  if (it != node.props.end()) return it->second;
  if (key.rfind("Aux/", 0) != 0) {
    it = node.props.find("Aux/" + key);
    if (it != node.props.end()) return it->second;
  }
  return std::nullopt;
}

// Overlays the fields set in 'over' onto 'base' (LINSTOR's select filter merge).
SelectFilter MergeFilter(SelectFilter base, const SelectFilter& over) {
  auto take = [](auto& dst, const auto& src) {
    if (src) dst = src;
  };
  take(base.place_count, over.place_count);
  take(base.additional_place_count, over.additional_place_count);
  take(base.node_name_list, over.node_name_list);
  take(base.storage_pool, over.storage_pool);
  take(base.storage_pool_list, over.storage_pool_list);
  take(base.storage_pool_diskless_list, over.storage_pool_diskless_list);
  take(base.not_place_with_rsc, over.not_place_with_rsc);
  take(base.not_place_with_rsc_regex, over.not_place_with_rsc_regex);
  take(base.replicas_on_same, over.replicas_on_same);
  take(base.replicas_on_different, over.replicas_on_different);
  take(base.layer_stack, over.layer_stack);
  take(base.provider_list, over.provider_list);
  take(base.diskless_on_remaining, over.diskless_on_remaining);
  take(base.diskless_type, over.diskless_type);
  return base;
}

void ApplyProps(Props& props, const Props& override_props,
                const std::vector<std::string>& delete_props,
                const std::vector<std::string>& delete_namespaces) {
  for (const auto& [k, v] : override_props) props[k] = v;
  for (const auto& k : delete_props) props.erase(k);
  for (const auto& ns : delete_namespaces) {
    const std::string prefix = ns.back() == '/' ? ns : ns + "/";
    for (auto it = props.begin(); it != props.end();) {
      it = it->first.rfind(prefix, 0) == 0 ? props.erase(it) : std::next(it);
    }
  }
}

}  // namespace

struct FakeLinstorClient::State {
  struct SnapCharge {
    std::string node;
    std::string pool;
    int64_t kib = 0;
  };
  struct Rd {
    ResourceDefinition def;
    std::map<std::string, Resource> resources;  // by node
    std::map<std::string, Snapshot> snapshots;  // by name
    std::map<std::string, std::vector<SnapCharge>> snapshot_charges;
    std::map<std::string, int64_t> snapshot_seq;
    int32_t minor = 0;
  };

  std::map<std::string, Node> nodes;
  std::map<std::pair<std::string, std::string>, StoragePool> pools;  // (node, pool)
  std::map<std::string, ResourceGroup> groups;
  std::map<std::string, Rd> rds;
  std::map<std::string, CloneState> clones;
  std::map<std::string, std::deque<LinstorError>> injected;
  std::map<std::string, int> calls;
  int total_calls = 0;
  int32_t next_minor = 1000;
  int64_t clock_ms = 1700000000000;
  bool auto_tiebreaker = false;

  Rd* FindRd(const std::string& name) {
    auto it = rds.find(name);
    return it == rds.end() ? nullptr : &it->second;
  }
  StoragePool* FindPool(const std::string& node, const std::string& pool) {
    auto it = pools.find({node, pool});
    return it == pools.end() ? nullptr : &it->second;
  }
  int64_t RdSize(const Rd& rd) const {
    int64_t total = 0;
    for (const auto& vd : rd.def.volume_definitions) total += vd.size_kib;
    return total;
  }
  bool NodeOnline(const std::string& node) const {
    auto it = nodes.find(node);
    return it != nodes.end() && it->second.IsOnline();
  }

  std::string DisklessPoolOn(const std::string& node) const {
    for (const auto& [key, pool] : pools)
      if (key.first == node && pool.IsDiskless()) return pool.storage_pool_name;
    return "DfltDisklessStorPool";
  }

  // Builds a resource on 'node' in 'pool' (empty pool: diskless) and charges capacity.
  Resource MakeResource(Rd& rd, const std::string& node, const std::string& pool, bool diskless,
                        bool tiebreaker) {
    Resource r;
    r.name = rd.def.name;
    r.node_name = node;
    if (diskless) {
      r.flags = {std::string(kFlagDiskless), std::string(kFlagDrbdDiskless)};
      if (tiebreaker) r.flags.emplace_back(kFlagTieBreaker);
    }
    r.in_use = false;
    r.layers = {"DRBD", "STORAGE"};
    r.create_timestamp = clock_ms++;
    const std::string pool_name = diskless ? DisklessPoolOn(node) : pool;
    const StoragePool* sp = FindPool(node, pool_name);
    for (const auto& vd : rd.def.volume_definitions) {
      Volume v;
      v.volume_number = vd.volume_number;
      v.storage_pool_name = pool_name;
      v.provider_kind = sp != nullptr ? sp->provider_kind : (diskless ? "DISKLESS" : "");
      v.drbd_minor = rd.minor + vd.volume_number;
      v.device_path = "/dev/drbd" + std::to_string(*v.drbd_minor);
      v.allocated_size_kib = diskless ? 0 : vd.size_kib;
      v.disk_state = diskless ? (tiebreaker ? "Diskless" : "Diskless") : "UpToDate";
      r.volumes.push_back(std::move(v));
    }
    if (!diskless) {
      if (StoragePool* p = FindPool(node, pool); p != nullptr && p->free_capacity) {
        *p->free_capacity -= RdSize(rd);
      }
    }
    return r;
  }

  void ReleaseResource(const Rd& rd, const Resource& r) {
    if (r.IsDiskless()) return;
    for (const auto& v : r.volumes) {
      StoragePool* p = FindPool(r.node_name, v.storage_pool_name);
      if (p != nullptr && p->free_capacity && v.allocated_size_kib) {
        *p->free_capacity += *v.allocated_size_kib;
      }
    }
    (void)rd;
  }

  // Best diskful pool on 'node' matching the filter with 'size' KiB free, or "".
  std::string PoolFor(const std::string& node, const SelectFilter& f, int64_t size) const {
    std::string best;
    int64_t best_free = -1;
    for (const auto& [key, pool] : pools) {
      if (key.first != node || pool.IsDiskless()) continue;
      if (f.storage_pool && !f.storage_pool->empty() && pool.storage_pool_name != *f.storage_pool)
        continue;
      if (f.storage_pool_list && !f.storage_pool_list->empty() &&
          !Contains(*f.storage_pool_list, pool.storage_pool_name))
        continue;
      if (f.provider_list && !f.provider_list->empty() &&
          !Contains(*f.provider_list, pool.provider_kind))
        continue;
      const int64_t free = pool.free_capacity.value_or(0);
      if (free < size) continue;
      if (free > best_free) {
        best_free = free;
        best = pool.storage_pool_name;
      }
    }
    return best;
  }

  // Chooses nodes for 'need' more diskful replicas of 'rd'. Returns (node, pool) pairs,
  // or nullopt when the filter cannot be satisfied.
  std::optional<std::vector<std::pair<std::string, std::string>>> Place(const Rd& rd,
                                                                        const SelectFilter& f,
                                                                        int need) const {
    std::vector<std::pair<std::string, std::string>> out;
    if (need <= 0) return out;
    const int64_t size = RdSize(rd);
    std::set<std::string> excluded;
    if (f.not_place_with_rsc) {
      for (const auto& other : *f.not_place_with_rsc) {
        auto it = rds.find(other);
        if (it == rds.end()) continue;
        for (const auto& [node, r] : it->second.resources)
          if (r.IsDiskful()) excluded.insert(node);
      }
    }
    struct Cand {
      std::string node, pool;
      int64_t free;
    };
    std::vector<Cand> cands;
    for (const auto& [name, node] : nodes) {
      if (!node.IsOnline() || rd.resources.count(name) || excluded.count(name)) continue;
      if (f.node_name_list && !f.node_name_list->empty() && !Contains(*f.node_name_list, name))
        continue;
      std::string pool = PoolFor(name, f, size);
      if (pool.empty()) continue;
      cands.push_back({name, pool, FindPoolConst(name, pool)->free_capacity.value_or(0)});
    }
    std::stable_sort(cands.begin(), cands.end(),
                     [](const Cand& a, const Cand& b) { return a.free > b.free; });

    // Values of replicas_on_same keys already fixed by existing diskful replicas.
    const std::vector<std::string> same = f.replicas_on_same.value_or(std::vector<std::string>{});
    const std::vector<std::string> diff =
        f.replicas_on_different.value_or(std::vector<std::string>{});
    std::vector<const Node*> existing;
    for (const auto& [node, r] : rd.resources)
      if (r.IsDiskful()) existing.push_back(&nodes.at(node));

    auto key_of = [](const std::string& entry) { return entry.substr(0, entry.find('=')); };
    auto value_ok = [&](const Node& n, const std::string& entry) {
      const auto eq = entry.find('=');
      auto v = NodeProp(n, key_of(entry));
      if (eq != std::string::npos) return v && *v == entry.substr(eq + 1);
      return v.has_value();
    };
    // Group candidates by their tuple of replicas_on_same values.
    std::map<std::vector<std::string>, std::vector<Cand>> groups;
    for (const auto& c : cands) {
      const Node& n = nodes.at(c.node);
      std::vector<std::string> tuple;
      bool ok = true;
      for (const auto& e : same) {
        if (!value_ok(n, e)) {
          ok = false;
          break;
        }
        tuple.push_back(*NodeProp(n, key_of(e)));
      }
      for (const Node* ex : existing) {
        for (size_t i = 0; ok && i < same.size(); ++i) {
          auto v = NodeProp(*ex, key_of(same[i]));
          if (!v || *v != tuple[i]) ok = false;
        }
      }
      if (ok) groups[tuple].push_back(c);
    }
    for (auto& [tuple, group] : groups) {
      std::vector<std::pair<std::string, std::string>> chosen;
      std::vector<std::set<std::string>> used(diff.size());
      for (const Node* ex : existing) {
        for (size_t i = 0; i < diff.size(); ++i)
          if (auto v = NodeProp(*ex, key_of(diff[i]))) used[i].insert(*v);
      }
      for (const auto& c : group) {
        if (static_cast<int>(chosen.size()) == need) break;
        const Node& n = nodes.at(c.node);
        bool ok = true;
        for (size_t i = 0; i < diff.size() && ok; ++i) {
          auto v = NodeProp(n, key_of(diff[i]));
          if (v && used[i].count(*v)) ok = false;
        }
        if (!ok) continue;
        for (size_t i = 0; i < diff.size(); ++i)
          if (auto v = NodeProp(n, key_of(diff[i]))) used[i].insert(*v);
        chosen.emplace_back(c.node, c.pool);
      }
      if (static_cast<int>(chosen.size()) == need) return chosen;
    }
    return std::nullopt;
  }

  const StoragePool* FindPoolConst(const std::string& node, const std::string& pool) const {
    auto it = pools.find({node, pool});
    return it == pools.end() ? nullptr : &it->second;
  }

  // Places replicas for 'rd' per 'f' (place_count = total diskful replicas).
  LinstorStatus PlaceAndCreate(Rd& rd, const SelectFilter& f) {
    int diskful = 0;
    for (const auto& [node, r] : rd.resources) diskful += r.IsDiskful() ? 1 : 0;
    const int want = f.place_count.value_or(0) + f.additional_place_count.value_or(0);
    const int need =
        f.additional_place_count && !f.place_count ? *f.additional_place_count : want - diskful;
    auto placement = Place(rd, f, need);
    if (!placement) {
      return Fail(kObjRscDfn, kCodeFailNotEnoughNodes, "Not enough available nodes", 500,
                  "Not enough nodes fulfilling the auto-place criteria for '" + rd.def.name +
                      "' (place_count " + std::to_string(want) + ")");
    }
    for (const auto& [node, pool] : *placement) {
      rd.resources[node] = MakeResource(rd, node, pool, false, false);
    }
    if (f.diskless_on_remaining.value_or(false)) {
      for (const auto& [name, node] : nodes) {
        if (!node.IsOnline() || rd.resources.count(name)) continue;
        rd.resources[name] = MakeResource(rd, name, "", true, false);
      }
    } else if (auto_tiebreaker) {
      int now_diskful = 0, diskless = 0;
      for (const auto& [node, r] : rd.resources) (r.IsDiskful() ? now_diskful : diskless)++;
      if (now_diskful == 2 && diskless == 0) {
        for (const auto& [name, node] : nodes) {
          if (!node.IsOnline() || rd.resources.count(name)) continue;
          rd.resources[name] = MakeResource(rd, name, "", true, true);
          break;
        }
      }
    }
    return {};
  }

  // Creates one snapshot (LINSTOR rules); nothing is changed on failure.
  LinstorStatus CreateSnapshot(const SnapshotCreate& create) {
    auto* rd = FindRd(create.resource_name);
    if (rd == nullptr) return RdNotFound(create.resource_name);
    if (!IsValidLinstorName(create.name)) return InvalidName(kObjSnapshot, 218, create.name);
    if (rd->snapshots.count(create.name)) {
      return Fail(kObjSnapshot, kCodeFailExistsSnapshotDfn,
                  "Snapshot '" + create.name + "' of resource '" + create.resource_name +
                      "' already exists.",
                  500);
    }
    std::vector<std::string> nodes = create.nodes;
    if (nodes.empty()) {
      for (const auto& [node, r] : rd->resources)
        if (r.IsDiskful()) nodes.push_back(node);
    }
    if (nodes.empty()) {
      return Fail(kObjSnapshot, kCodeFailNotEnoughNodes,
                  "No diskful resource of '" + create.resource_name + "' to snapshot.", 500);
    }
    Snapshot snap;
    snap.name = create.name;
    snap.resource_name = create.resource_name;
    snap.nodes = nodes;
    // As LINSTOR: own props, the RD's captured props, and `props` = the two overlaid.
    snap.definition_props = create.props;
    snap.resource_definition_props = rd->def.props;
    snap.props = rd->def.props;
    for (const auto& [k, v] : create.props) snap.props[k] = v;
    snap.flags = {std::string(kFlagSuccessful)};
    snap.uuid = "snap-" + create.resource_name + "-" + create.name;
    for (const auto& vd : rd->def.volume_definitions) {
      snap.volume_definitions.push_back({vd.volume_number, vd.size_kib});
    }
    std::vector<State::SnapCharge> charges;
    const int64_t ts = clock_ms++;
    for (const auto& node : nodes) {
      auto rit = rd->resources.find(node);
      if (rit == rd->resources.end() || rit->second.IsDiskless()) {
        return Fail(kObjSnapshot, kCodeFailNotFoundRsc,
                    "Resource '" + create.resource_name + "' has no disk on node '" + node + "'.",
                    404);
      }
      snap.snapshots.push_back({create.name, node, ts, {std::string(kFlagSuccessful)}});
      const std::string pool =
          rit->second.volumes.empty() ? "" : rit->second.volumes.front().storage_pool_name;
      charges.push_back({node, pool, RdSize(*rd)});
    }
    for (const auto& c : charges) {
      if (StoragePool* p = FindPool(c.node, c.pool); p && p->free_capacity) {
        *p->free_capacity -= c.kib;
      }
    }
    rd->snapshot_charges[create.name] = std::move(charges);
    rd->snapshot_seq[create.name] = ts;
    rd->snapshots[create.name] = std::move(snap);
    return {};
  }

  // Snapshot names ordered by creation, newest last.
  std::vector<std::string> SnapshotOrder(const Rd& rd) const {
    std::vector<std::pair<int64_t, std::string>> v;
    for (const auto& [name, seq] : rd.snapshot_seq) v.emplace_back(seq, name);
    std::sort(v.begin(), v.end());
    std::vector<std::string> out;
    for (auto& [seq, name] : v) out.push_back(name);
    return out;
  }
};

FakeLinstorClient::FakeLinstorClient() : state_(std::make_unique<State>()) {
  ResourceGroup dflt;
  dflt.name = "DfltRscGrp";
  state_->groups[dflt.name] = dflt;
}

FakeLinstorClient::~FakeLinstorClient() = default;

std::optional<LinstorError> FakeLinstorClient::Enter(const std::string& method) {
  state_->calls[method]++;
  state_->total_calls++;
  auto it = state_->injected.find(method);
  if (it == state_->injected.end() || it->second.empty()) return std::nullopt;
  LinstorError e = std::move(it->second.front());
  it->second.pop_front();
  return e;
}

#define FAKE_ENTER(method)                             \
  std::lock_guard<std::mutex> lock(mu_);               \
  if (auto injected = Enter(method)) return *injected; \
  State& s = *state_

// ---- setup ----

void FakeLinstorClient::AddNode(const Node& node) {
  std::lock_guard<std::mutex> lock(mu_);
  Node n = node;
  if (n.connection_status.empty()) n.connection_status = "ONLINE";
  if (n.type.empty()) n.type = "SATELLITE";
  state_->nodes[n.name] = n;
}

void FakeLinstorClient::AddStoragePool(const StoragePool& pool) {
  std::lock_guard<std::mutex> lock(mu_);
  StoragePool p = pool;
  if (!p.free_capacity && p.total_capacity) p.free_capacity = p.total_capacity;
  state_->pools[{p.node_name, p.storage_pool_name}] = p;
}

void FakeLinstorClient::AddSimpleNode(const std::string& name, const std::string& pool,
                                      int64_t capacity_kib, const Props& node_props) {
  Node n;
  n.name = name;
  n.props = node_props;
  AddNode(n);
  StoragePool p;
  p.node_name = name;
  p.storage_pool_name = pool;
  p.provider_kind = "LVM_THIN";
  p.total_capacity = capacity_kib;
  p.free_capacity = capacity_kib;
  p.supports_snapshots = true;
  AddStoragePool(p);
  StoragePool d;
  d.node_name = name;
  d.storage_pool_name = "DfltDisklessStorPool";
  d.provider_kind = "DISKLESS";
  AddStoragePool(d);
}

void FakeLinstorClient::SetNodeOnline(const std::string& name, bool online) {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = state_->nodes.find(name);
  if (it != state_->nodes.end()) it->second.connection_status = online ? "ONLINE" : "OFFLINE";
}

void FakeLinstorClient::SetInUse(const std::string& rd, const std::string& node, bool in_use) {
  std::lock_guard<std::mutex> lock(mu_);
  if (auto* r = state_->FindRd(rd)) {
    auto it = r->resources.find(node);
    if (it != r->resources.end()) it->second.in_use = in_use;
  }
}

void FakeLinstorClient::SetSnapshotSuccessful(const std::string& rd, const std::string& snap,
                                              bool successful) {
  std::lock_guard<std::mutex> lock(mu_);
  auto* r = state_->FindRd(rd);
  if (r == nullptr) return;
  auto it = r->snapshots.find(snap);
  if (it == r->snapshots.end()) return;
  Flags& flags = it->second.flags;
  flags.erase(std::remove(flags.begin(), flags.end(), kFlagSuccessful), flags.end());
  if (successful) flags.emplace_back(kFlagSuccessful);
}

void FakeLinstorClient::SetCloneState(const std::string& clone_name, CloneState state) {
  std::lock_guard<std::mutex> lock(mu_);
  state_->clones[clone_name] = state;
}

void FakeLinstorClient::SetAutoTieBreaker(bool enabled) {
  std::lock_guard<std::mutex> lock(mu_);
  state_->auto_tiebreaker = enabled;
}

void FakeLinstorClient::InjectError(const std::string& method, LinstorError error, int times) {
  std::lock_guard<std::mutex> lock(mu_);
  for (int i = 0; i < times; ++i) state_->injected[method].push_back(error);
}

int FakeLinstorClient::CallCount(const std::string& method) const {
  std::lock_guard<std::mutex> lock(mu_);
  if (method.empty()) return state_->total_calls;
  auto it = state_->calls.find(method);
  return it == state_->calls.end() ? 0 : it->second;
}

void FakeLinstorClient::ResetCallCounts() {
  std::lock_guard<std::mutex> lock(mu_);
  state_->calls.clear();
  state_->total_calls = 0;
}

// ---- controller, nodes, pools ----

LinstorResult<ControllerVersion> FakeLinstorClient::GetVersion() {
  FAKE_ENTER("GetVersion");
  (void)s;
  return ControllerVersion{"1.28.0", "fake", "2024-01-01T00:00:00+00:00", "1.22.0"};
}

LinstorResult<std::vector<Node>> FakeLinstorClient::ListNodes(
    const std::vector<std::string>& names) {
  FAKE_ENTER("ListNodes");
  std::vector<Node> out;
  for (const auto& [name, node] : s.nodes)
    if (names.empty() || Contains(names, name)) out.push_back(node);
  return out;
}

LinstorResult<Node> FakeLinstorClient::GetNode(const std::string& name) {
  FAKE_ENTER("GetNode");
  auto it = s.nodes.find(name);
  if (it == s.nodes.end()) {
    return NotFoundError(kObjNode, kCodeFailNotFoundNode, "Node '" + name + "'");
  }
  return it->second;
}

LinstorResult<std::vector<StoragePool>> FakeLinstorClient::ListStoragePools(
    const StoragePoolFilter& filter) {
  FAKE_ENTER("ListStoragePools");
  std::vector<StoragePool> out;
  for (const auto& [key, pool] : s.pools) {
    if (!filter.nodes.empty() && !Contains(filter.nodes, key.first)) continue;
    if (!filter.storage_pools.empty() && !Contains(filter.storage_pools, key.second)) continue;
    if (!PropsMatch(pool.props, filter.props)) continue;
    out.push_back(pool);
  }
  return out;
}

// ---- resource groups ----

LinstorResult<std::vector<ResourceGroup>> FakeLinstorClient::ListResourceGroups(
    const ResourceGroupFilter& filter) {
  FAKE_ENTER("ListResourceGroups");
  std::vector<ResourceGroup> out;
  for (const auto& [name, g] : s.groups) {
    if (!filter.resource_groups.empty() && !Contains(filter.resource_groups, name)) continue;
    if (!PropsMatch(g.props, filter.props)) continue;
    out.push_back(g);
  }
  return out;
}

LinstorResult<ResourceGroup> FakeLinstorClient::GetResourceGroup(const std::string& name) {
  FAKE_ENTER("GetResourceGroup");
  auto it = s.groups.find(name);
  if (it == s.groups.end()) {
    return NotFoundError(kObjRscGrp, kCodeFailNotFoundRscGrp, "Resource group '" + name + "'");
  }
  return it->second;
}

LinstorStatus FakeLinstorClient::CreateResourceGroup(const ResourceGroup& group) {
  FAKE_ENTER("CreateResourceGroup");
  if (!IsValidLinstorName(group.name)) return InvalidName(kObjRscGrp, 234, group.name);
  if (s.groups.count(group.name)) {
    return Fail(kObjRscGrp, kCodeFailExistsRscGrp,
                "Resource group '" + group.name + "' already exists.", 500);
  }
  ResourceGroup g = group;
  g.uuid = "rg-" + group.name;
  s.groups[g.name] = std::move(g);
  return {};
}

LinstorStatus FakeLinstorClient::ModifyResourceGroup(const std::string& name,
                                                     const ResourceGroupModify& modify) {
  FAKE_ENTER("ModifyResourceGroup");
  auto it = s.groups.find(name);
  if (it == s.groups.end()) {
    return NotFoundError(kObjRscGrp, kCodeFailNotFoundRscGrp, "Resource group '" + name + "'");
  }
  ResourceGroup& g = it->second;
  if (modify.description) g.description = *modify.description;
  ApplyProps(g.props, modify.override_props, modify.delete_props, modify.delete_namespaces);
  if (modify.select_filter) g.select_filter = MergeFilter(g.select_filter, *modify.select_filter);
  return {};
}

LinstorStatus FakeLinstorClient::DeleteResourceGroup(const std::string& name) {
  FAKE_ENTER("DeleteResourceGroup");
  auto it = s.groups.find(name);
  if (it == s.groups.end()) return {};  // LINSTOR: WARN_NOT_FOUND, success
  for (const auto& [rd_name, rd] : s.rds) {
    if (rd.def.resource_group_name == name) {
      return Fail(kObjRscGrp, kCodeFailInUse,
                  "Resource group '" + name + "' still has resource definitions.", 500,
                  "Resource definition '" + rd_name + "' uses it.");
    }
  }
  s.groups.erase(it);
  return {};
}

LinstorStatus FakeLinstorClient::Spawn(const std::string& resource_group,
                                       const ResourceGroupSpawn& spawn) {
  FAKE_ENTER("Spawn");
  auto git = s.groups.find(resource_group);
  if (git == s.groups.end()) {
    return NotFoundError(kObjRscGrp, kCodeFailNotFoundRscGrp,
                         "Resource group '" + resource_group + "'");
  }
  const std::string& name = spawn.resource_definition_name;
  if (!IsValidLinstorName(name)) return InvalidName(kObjRscDfn, 202, name);
  if (s.rds.count(name)) {
    return Fail(kObjRscDfn, kCodeFailExistsRscDfn,
                "Resource definition '" + name + "' already exists.", 500);
  }
  State::Rd rd;
  rd.def.name = name;
  rd.def.resource_group_name = resource_group;
  rd.def.props = spawn.resource_definition_props;
  rd.def.uuid = "rd-" + name;
  rd.minor = s.next_minor;
  for (size_t i = 0; i < spawn.volume_sizes.size(); ++i) {
    VolumeDefinition vd;
    vd.volume_number = static_cast<int32_t>(i);
    vd.size_kib = spawn.volume_sizes[i];
    vd.drbd_minor = rd.minor + vd.volume_number;
    rd.def.volume_definitions.push_back(vd);
  }
  if (!spawn.definitions_only) {
    SelectFilter f = git->second.select_filter;
    if (spawn.select_filter) f = MergeFilter(f, *spawn.select_filter);
    if (f.place_count) {
      LinstorStatus placed = s.PlaceAndCreate(rd, f);
      if (!placed.ok()) return placed;  // nothing committed
    }
  }
  s.next_minor += std::max<int32_t>(1, static_cast<int32_t>(spawn.volume_sizes.size()));
  s.rds[name] = std::move(rd);
  return {};
}

LinstorResult<SpaceInfo> FakeLinstorClient::QuerySizeInfo(const std::string& resource_group,
                                                          const SelectFilter* filter) {
  FAKE_ENTER("QuerySizeInfo");
  auto git = s.groups.find(resource_group);
  if (git == s.groups.end()) {
    return NotFoundError(kObjRscGrp, kCodeFailNotFoundRscGrp,
                         "Resource group '" + resource_group + "'");
  }
  SelectFilter f = git->second.select_filter;
  if (filter != nullptr) f = MergeFilter(f, *filter);
  SpaceInfo info;
  int64_t available = 0, capacity = 0;
  std::vector<int64_t> best_per_node;
  for (const auto& [name, node] : s.nodes) {
    if (!node.IsOnline()) continue;
    if (f.node_name_list && !f.node_name_list->empty() && !Contains(*f.node_name_list, name))
      continue;
    const std::string pool = s.PoolFor(name, f, 0);
    if (pool.empty()) continue;
    for (const auto& [key, p] : s.pools) {
      if (key.first != name || p.IsDiskless()) continue;
      if (s.PoolFor(name, f, 0).empty()) continue;
      SelectFilter only = f;
      only.storage_pool = p.storage_pool_name;
      if (s.PoolFor(name, only, 0).empty()) continue;
      available += p.free_capacity.value_or(0);
      capacity += p.total_capacity.value_or(0);
    }
    best_per_node.push_back(s.FindPoolConst(name, pool)->free_capacity.value_or(0));
  }
  std::sort(best_per_node.rbegin(), best_per_node.rend());
  const size_t replicas = static_cast<size_t>(std::max(1, f.place_count.value_or(1)));
  info.max_vlm_size_in_kib = best_per_node.size() >= replicas ? best_per_node[replicas - 1] : 0;
  info.available_size_in_kib = available;
  info.capacity_in_kib = capacity;
  return info;
}

// ---- resource definitions ----

LinstorResult<std::vector<ResourceDefinition>> FakeLinstorClient::ListResourceDefinitions(
    const ResourceDefinitionFilter& filter) {
  FAKE_ENTER("ListResourceDefinitions");
  std::vector<ResourceDefinition> out;
  int skipped = 0;
  for (const auto& [name, rd] : s.rds) {
    if (!filter.resource_definitions.empty() && !Contains(filter.resource_definitions, name))
      continue;
    if (!PropsMatch(rd.def.props, filter.props)) continue;
    if (skipped++ < filter.offset) continue;
    if (filter.limit > 0 && static_cast<int32_t>(out.size()) >= filter.limit) break;
    out.push_back(rd.def);
    if (!filter.with_volume_definitions) out.back().volume_definitions.clear();
  }
  return out;
}

LinstorResult<ResourceDefinition> FakeLinstorClient::GetResourceDefinition(
    const std::string& name) {
  FAKE_ENTER("GetResourceDefinition");
  const auto* rd = s.FindRd(name);
  if (rd == nullptr) {
    return NotFoundError(kObjRscDfn, kCodeFailNotFoundRscDfn, "Resource definition '" + name + "'");
  }
  return rd->def;
}

LinstorStatus FakeLinstorClient::CreateResourceDefinition(const ResourceDefinitionCreate& create) {
  FAKE_ENTER("CreateResourceDefinition");
  if (!IsValidLinstorName(create.name)) return InvalidName(kObjRscDfn, 202, create.name);
  if (s.rds.count(create.name)) {
    return Fail(kObjRscDfn, kCodeFailExistsRscDfn,
                "Resource definition '" + create.name + "' already exists.", 500);
  }
  const std::string group =
      create.resource_group_name.empty() ? "DfltRscGrp" : create.resource_group_name;
  if (!s.groups.count(group)) {
    return NotFoundError(kObjRscGrp, kCodeFailNotFoundRscGrp, "Resource group '" + group + "'");
  }
  State::Rd rd;
  rd.def.name = create.name;
  rd.def.resource_group_name = group;
  rd.def.props = create.props;
  rd.def.uuid = "rd-" + create.name;
  rd.minor = s.next_minor++;
  s.rds[create.name] = std::move(rd);
  return {};
}

LinstorStatus FakeLinstorClient::ModifyResourceDefinition(const std::string& name,
                                                          const PropsModify& modify) {
  FAKE_ENTER("ModifyResourceDefinition");
  auto* rd = s.FindRd(name);
  if (rd == nullptr) {
    return NotFoundError(kObjRscDfn, kCodeFailNotFoundRscDfn, "Resource definition '" + name + "'");
  }
  ApplyProps(rd->def.props, modify.override_props, modify.delete_props, modify.delete_namespaces);
  return {};
}

LinstorStatus FakeLinstorClient::DeleteResourceDefinition(const std::string& name) {
  FAKE_ENTER("DeleteResourceDefinition");
  auto* rd = s.FindRd(name);
  if (rd == nullptr) return {};  // LINSTOR: WARN_NOT_FOUND, success
  if (!rd->snapshots.empty()) {
    return Fail(kObjRscDfn, kCodeFailExistsSnapshotDfn,
                "Cannot delete resource definition '" + name + "' because it has snapshots.", 500);
  }
  for (const auto& [node, r] : rd->resources) {
    if (r.in_use.value_or(false)) {
      return Fail(kObjRscDfn, kCodeFailInUse,
                  "Resource '" + name + "' on node '" + node + "' is still in use.", 500,
                  "Resource is mounted/in use.");
    }
  }
  for (const auto& [node, r] : rd->resources) s.ReleaseResource(*rd, r);
  s.rds.erase(name);
  return {};
}

LinstorResult<std::vector<VolumeDefinition>> FakeLinstorClient::ListVolumeDefinitions(
    const std::string& resource_definition) {
  FAKE_ENTER("ListVolumeDefinitions");
  const auto* rd = s.FindRd(resource_definition);
  if (rd == nullptr) {
    return NotFoundError(kObjRscDfn, kCodeFailNotFoundRscDfn,
                         "Resource definition '" + resource_definition + "'");
  }
  return rd->def.volume_definitions;
}

LinstorStatus FakeLinstorClient::ResizeVolumeDefinition(const std::string& resource_definition,
                                                        int32_t volume_number, int64_t size_kib) {
  FAKE_ENTER("ResizeVolumeDefinition");
  auto* rd = s.FindRd(resource_definition);
  if (rd == nullptr) {
    return NotFoundError(kObjRscDfn, kCodeFailNotFoundRscDfn,
                         "Resource definition '" + resource_definition + "'");
  }
  VolumeDefinition* vd = nullptr;
  for (auto& v : rd->def.volume_definitions)
    if (v.volume_number == volume_number) vd = &v;
  if (vd == nullptr) {
    return NotFoundError(
        kObjVlmDfn, kCodeFailNotFoundVlmDfn,
        "Volume definition " + std::to_string(volume_number) + " of '" + resource_definition + "'");
  }
  if (size_kib < vd->size_kib) {
    return Fail(kObjVlmDfn, 206, "Volume definitions cannot shrink.", 400);
  }
  const int64_t delta = size_kib - vd->size_kib;
  for (auto& [node, r] : rd->resources) {
    if (r.IsDiskless()) continue;
    for (const auto& v : r.volumes) {
      if (v.volume_number != volume_number) continue;
      const StoragePool* p = s.FindPoolConst(node, v.storage_pool_name);
      if (p != nullptr && p->free_capacity && *p->free_capacity < delta) {
        return Fail(kObjVlmDfn, kCodeFailNotEnoughFreeSpace,
                    "Not enough free space in storage pool '" + v.storage_pool_name +
                        "' on node '" + node + "'.",
                    500);
      }
    }
  }
  vd->size_kib = size_kib;
  for (auto& [node, r] : rd->resources) {
    for (auto& v : r.volumes) {
      if (v.volume_number != volume_number) continue;
      if (r.IsDiskless()) continue;
      v.allocated_size_kib = size_kib;
      if (StoragePool* p = s.FindPool(node, v.storage_pool_name); p && p->free_capacity) {
        *p->free_capacity -= delta;
      }
    }
  }
  return {};
}

// ---- resources ----

LinstorResult<std::vector<Resource>> FakeLinstorClient::ListResources(
    const std::string& resource_definition) {
  FAKE_ENTER("ListResources");
  const auto* rd = s.FindRd(resource_definition);
  if (rd == nullptr) {
    return NotFoundError(kObjRscDfn, kCodeFailNotFoundRscDfn,
                         "Resource definition '" + resource_definition + "'");
  }
  std::vector<Resource> out;
  for (const auto& [node, r] : rd->resources) out.push_back(r);
  return out;
}

LinstorResult<Resource> FakeLinstorClient::GetResource(const std::string& resource_definition,
                                                       const std::string& node) {
  FAKE_ENTER("GetResource");
  const auto* rd = s.FindRd(resource_definition);
  if (rd == nullptr) {
    return NotFoundError(kObjRscDfn, kCodeFailNotFoundRscDfn,
                         "Resource definition '" + resource_definition + "'");
  }
  auto it = rd->resources.find(node);
  if (it == rd->resources.end()) {
    return NotFoundError(kObjRsc, kCodeFailNotFoundRsc,
                         "Resource '" + resource_definition + "' on node '" + node + "'");
  }
  return it->second;
}

LinstorResult<std::vector<Resource>> FakeLinstorClient::ViewResources(
    const ResourceViewFilter& filter) {
  FAKE_ENTER("ViewResources");
  std::vector<Resource> out;
  int skipped = 0;
  for (const auto& [name, rd] : s.rds) {
    if (!filter.resources.empty() && !Contains(filter.resources, name)) continue;
    for (const auto& [node, r] : rd.resources) {
      if (!filter.nodes.empty() && !Contains(filter.nodes, node)) continue;
      if (!filter.storage_pools.empty()) {
        bool any = false;
        for (const auto& v : r.volumes) any |= Contains(filter.storage_pools, v.storage_pool_name);
        if (!any) continue;
      }
      if (!PropsMatch(r.props, filter.props)) continue;
      if (skipped++ < filter.offset) continue;
      if (filter.limit > 0 && static_cast<int32_t>(out.size()) >= filter.limit) return out;
      out.push_back(r);
    }
  }
  return out;
}

LinstorStatus FakeLinstorClient::CreateResource(const std::string& resource_definition,
                                                const ResourceCreate& create) {
  FAKE_ENTER("CreateResource");
  auto* rd = s.FindRd(resource_definition);
  if (rd == nullptr) {
    return NotFoundError(kObjRscDfn, kCodeFailNotFoundRscDfn,
                         "Resource definition '" + resource_definition + "'");
  }
  if (!s.nodes.count(create.node_name)) {
    return NotFoundError(kObjNode, kCodeFailNotFoundNode, "Node '" + create.node_name + "'");
  }
  if (rd->resources.count(create.node_name)) {
    return Fail(
        kObjRsc, kCodeFailExistsRsc,
        "Resource '" + resource_definition + "' on node '" + create.node_name + "' already exists.",
        500);
  }
  std::string pool;
  if (!create.diskless) {
    SelectFilter f;
    std::string wanted = create.storage_pool;
    if (wanted.empty()) {
      auto it = create.props.find("StorPoolName");
      if (it != create.props.end()) wanted = it->second;
    }
    if (!wanted.empty()) f.storage_pool = wanted;
    pool = s.PoolFor(create.node_name, f, s.RdSize(*rd));
    if (pool.empty()) {
      if (!wanted.empty() && s.FindPool(create.node_name, wanted) == nullptr) {
        return NotFoundError(kObjStorPool, kCodeFailNotFoundStorPool,
                             "Storage pool '" + wanted + "' on node '" + create.node_name + "'");
      }
      return Fail(kObjRsc, kCodeFailNotEnoughFreeSpace,
                  "Not enough free space on node '" + create.node_name + "'.", 500);
    }
  }
  Resource r = s.MakeResource(*rd, create.node_name, pool, create.diskless, false);
  for (const auto& [k, v] : create.props) r.props[k] = v;
  rd->resources[create.node_name] = std::move(r);
  return {};
}

LinstorStatus FakeLinstorClient::MakeAvailable(const std::string& resource_definition,
                                               const std::string& node,
                                               const ResourceMakeAvailable& request) {
  FAKE_ENTER("MakeAvailable");
  auto* rd = s.FindRd(resource_definition);
  if (rd == nullptr) {
    return NotFoundError(kObjRscDfn, kCodeFailNotFoundRscDfn,
                         "Resource definition '" + resource_definition + "'");
  }
  if (!s.nodes.count(node))
    return NotFoundError(kObjNode, kCodeFailNotFoundNode, "Node '" + node + "'");
  auto it = rd->resources.find(node);
  if (it != rd->resources.end()) {
    Resource& r = it->second;
    if (r.IsTieBreaker()) {
      r.flags.erase(std::remove(r.flags.begin(), r.flags.end(), kFlagTieBreaker), r.flags.end());
    }
    if (request.diskful && r.IsDiskless()) {
      const std::string pool = s.PoolFor(node, SelectFilter{}, s.RdSize(*rd));
      if (pool.empty()) {
        return Fail(kObjRsc, kCodeFailNotEnoughFreeSpace,
                    "Not enough free space on node '" + node + "'.", 500);
      }
      Resource diskful = s.MakeResource(*rd, node, pool, false, false);
      diskful.props = r.props;
      diskful.in_use = r.in_use;
      r = std::move(diskful);
    }
    return {};
  }
  std::string pool;
  if (request.diskful) {
    pool = s.PoolFor(node, SelectFilter{}, s.RdSize(*rd));
    if (pool.empty()) {
      return Fail(kObjRsc, kCodeFailNotEnoughFreeSpace,
                  "Not enough free space on node '" + node + "'.", 500);
    }
  }
  rd->resources[node] = s.MakeResource(*rd, node, pool, !request.diskful, false);
  return {};
}

LinstorStatus FakeLinstorClient::DeleteResource(const std::string& resource_definition,
                                                const std::string& node) {
  FAKE_ENTER("DeleteResource");
  auto* rd = s.FindRd(resource_definition);
  if (rd == nullptr) {
    return NotFoundError(kObjRscDfn, kCodeFailNotFoundRscDfn,
                         "Resource definition '" + resource_definition + "'");
  }
  if (!s.nodes.count(node))
    return NotFoundError(kObjNode, kCodeFailNotFoundNode, "Node \'" + node + "\'");
  auto it = rd->resources.find(node);
  if (it == rd->resources.end()) return {};  // LINSTOR: WARN_NOT_FOUND, success
  if (it->second.in_use.value_or(false)) {
    return Fail(kObjRsc, kCodeFailInUse,
                "Resource '" + resource_definition + "' on node '" + node + "' is still in use.",
                500, "Resource is mounted/in use.");
  }
  s.ReleaseResource(*rd, it->second);
  rd->resources.erase(it);
  return {};
}

LinstorStatus FakeLinstorClient::AutoPlace(const std::string& resource_definition,
                                           const AutoPlaceRequest& request) {
  FAKE_ENTER("AutoPlace");
  auto* rd = s.FindRd(resource_definition);
  if (rd == nullptr) {
    return NotFoundError(kObjRscDfn, kCodeFailNotFoundRscDfn,
                         "Resource definition '" + resource_definition + "'");
  }
  SelectFilter f;
  auto git = s.groups.find(rd->def.resource_group_name);
  if (git != s.groups.end()) f = git->second.select_filter;
  f = MergeFilter(f, request.select_filter);
  if (request.diskless_on_remaining) f.diskless_on_remaining = request.diskless_on_remaining;
  // Work on a copy so a failed placement leaves nothing behind.
  State::Rd copy = *rd;
  LinstorStatus placed = s.PlaceAndCreate(copy, f);
  if (!placed.ok()) return placed;
  *rd = std::move(copy);
  return {};
}

// ---- snapshots ----

LinstorStatus FakeLinstorClient::CreateSnapshot(const SnapshotCreate& create) {
  FAKE_ENTER("CreateSnapshot");
  return s.CreateSnapshot(create);
}

LinstorStatus FakeLinstorClient::CreateMultiSnapshot(const std::vector<SnapshotCreate>& snapshots) {
  FAKE_ENTER("CreateMultiSnapshot");
  // Validate everything first: all or nothing.
  std::set<std::pair<std::string, std::string>> seen;
  for (const auto& c : snapshots) {
    auto* rd = s.FindRd(c.resource_name);
    if (rd == nullptr) return RdNotFound(c.resource_name);
    if (!IsValidLinstorName(c.name)) return InvalidName(kObjSnapshot, 218, c.name);
    if (rd->snapshots.count(c.name) || !seen.insert({c.resource_name, c.name}).second) {
      return Fail(kObjSnapshot, kCodeFailExistsSnapshotDfn,
                  "Snapshot '" + c.name + "' of resource '" + c.resource_name + "' already exists.",
                  500);
    }
    bool has_disk = false;
    for (const auto& [node, r] : rd->resources) has_disk |= r.IsDiskful();
    if (!has_disk && c.nodes.empty()) {
      return Fail(kObjSnapshot, kCodeFailNotEnoughNodes,
                  "No diskful resource of '" + c.resource_name + "' to snapshot.", 500);
    }
  }
  for (const auto& c : snapshots) {
    LinstorStatus st = s.CreateSnapshot(c);
    if (!st.ok()) return st;
  }
  return {};
}

LinstorResult<std::vector<Snapshot>> FakeLinstorClient::ListSnapshots(
    const std::string& resource_definition) {
  FAKE_ENTER("ListSnapshots");
  const auto* rd = s.FindRd(resource_definition);
  if (rd == nullptr) return RdNotFound(resource_definition);
  std::vector<Snapshot> out;
  for (const auto& name : s.SnapshotOrder(*rd)) out.push_back(rd->snapshots.at(name));
  return out;
}

LinstorResult<Snapshot> FakeLinstorClient::GetSnapshot(const std::string& resource_definition,
                                                       const std::string& snapshot) {
  FAKE_ENTER("GetSnapshot");
  const auto* rd = s.FindRd(resource_definition);
  if (rd == nullptr) return RdNotFound(resource_definition);
  auto it = rd->snapshots.find(snapshot);
  if (it == rd->snapshots.end()) return SnapNotFound(resource_definition, snapshot);
  return it->second;
}

LinstorResult<std::vector<Snapshot>> FakeLinstorClient::ViewSnapshots(
    const SnapshotViewFilter& filter) {
  FAKE_ENTER("ViewSnapshots");
  std::vector<Snapshot> out;
  int skipped = 0;
  for (const auto& [name, rd] : s.rds) {
    if (!filter.resources.empty() && !Contains(filter.resources, name)) continue;
    for (const auto& snap_name : s.SnapshotOrder(rd)) {
      const Snapshot& snap = rd.snapshots.at(snap_name);
      if (!filter.snapshots.empty() && !Contains(filter.snapshots, snap_name)) continue;
      if (!filter.nodes.empty()) {
        bool any = false;
        for (const auto& n : snap.nodes) any |= Contains(filter.nodes, n);
        if (!any) continue;
      }
      if (skipped++ < filter.offset) continue;
      if (filter.limit > 0 && static_cast<int32_t>(out.size()) >= filter.limit) return out;
      out.push_back(snap);
    }
  }
  return out;
}

LinstorStatus FakeLinstorClient::DeleteSnapshot(const std::string& resource_definition,
                                                const std::string& snapshot) {
  FAKE_ENTER("DeleteSnapshot");
  auto* rd = s.FindRd(resource_definition);
  if (rd == nullptr) return RdNotFound(resource_definition);
  if (!rd->snapshots.count(snapshot)) return {};  // LINSTOR: WARN_NOT_FOUND, success
  for (const auto& c : rd->snapshot_charges[snapshot]) {
    if (StoragePool* p = s.FindPool(c.node, c.pool); p && p->free_capacity) {
      *p->free_capacity += c.kib;
    }
  }
  rd->snapshot_charges.erase(snapshot);
  rd->snapshot_seq.erase(snapshot);
  rd->snapshots.erase(snapshot);
  return {};
}

LinstorStatus FakeLinstorClient::RestoreVolumeDefinition(const std::string& resource_definition,
                                                         const std::string& snapshot,
                                                         const std::string& to_resource) {
  FAKE_ENTER("RestoreVolumeDefinition");
  auto* src = s.FindRd(resource_definition);
  if (src == nullptr) return RdNotFound(resource_definition);
  auto sit = src->snapshots.find(snapshot);
  if (sit == src->snapshots.end()) return SnapNotFound(resource_definition, snapshot);
  auto* dst = s.FindRd(to_resource);
  if (dst == nullptr) return RdNotFound(to_resource);
  if (!dst->def.volume_definitions.empty()) {
    return Fail(kObjVlmDfn, 503,
                "Resource definition '" + to_resource + "' already has volume definitions.", 500);
  }
  for (const auto& svd : sit->second.volume_definitions) {
    VolumeDefinition vd;
    vd.volume_number = svd.volume_number;
    vd.size_kib = svd.size_kib;
    vd.drbd_minor = dst->minor + svd.volume_number;
    dst->def.volume_definitions.push_back(vd);
  }
  return {};
}

LinstorStatus FakeLinstorClient::RestoreSnapshot(const std::string& resource_definition,
                                                 const std::string& snapshot,
                                                 const SnapshotRestore& restore) {
  FAKE_ENTER("RestoreSnapshot");
  auto* src = s.FindRd(resource_definition);
  if (src == nullptr) return RdNotFound(resource_definition);
  auto sit = src->snapshots.find(snapshot);
  if (sit == src->snapshots.end()) return SnapNotFound(resource_definition, snapshot);
  const Snapshot& snap = sit->second;
  auto* dst = s.FindRd(restore.to_resource);
  if (dst == nullptr) return RdNotFound(restore.to_resource);
  const std::vector<std::string> nodes = restore.nodes.empty() ? snap.nodes : restore.nodes;
  for (const auto& node : nodes) {
    if (!Contains(snap.nodes, node)) {
      return NotFoundError(kObjSnapshot, kCodeFailNotFoundSnapshot,
                           "Snapshot '" + snapshot + "' on node '" + node + "'");
    }
    if (dst->resources.count(node)) {
      return Fail(kObjRsc, kCodeFailExistsRsc,
                  "Resource '" + restore.to_resource + "' on node '" + node + "' already exists.",
                  500);
    }
  }
  if (dst->def.volume_definitions.empty()) {
    for (const auto& svd : snap.volume_definitions) {
      VolumeDefinition vd;
      vd.volume_number = svd.volume_number;
      vd.size_kib = svd.size_kib;
      vd.drbd_minor = dst->minor + svd.volume_number;
      dst->def.volume_definitions.push_back(vd);
    }
  }
  const auto& charges = src->snapshot_charges[snapshot];
  for (const auto& node : nodes) {
    std::string pool;
    for (const auto& c : charges)
      if (c.node == node) pool = c.pool;
    dst->resources[node] = s.MakeResource(*dst, node, pool, false, false);
  }
  return {};
}

LinstorStatus FakeLinstorClient::RollbackSnapshot(const std::string& resource_definition,
                                                  const std::string& snapshot) {
  FAKE_ENTER("RollbackSnapshot");
  auto* rd = s.FindRd(resource_definition);
  if (rd == nullptr) return RdNotFound(resource_definition);
  if (!rd->snapshots.count(snapshot)) return SnapNotFound(resource_definition, snapshot);
  const auto order = s.SnapshotOrder(*rd);
  if (order.back() != snapshot) {
    return Fail(kObjSnapshot, kCodeFailExistsSnapshot,
                "Rollback is only allowed with the most recent snapshot", 500,
                "Snapshot '" + order.back() + "' is newer than '" + snapshot + "'.");
  }
  for (const auto& [node, r] : rd->resources) {
    if (r.in_use.value_or(false)) {
      return Fail(kObjRscDfn, kCodeFailInUse,
                  "Resource '" + resource_definition + "' on node '" + node + "' is in use.", 500);
    }
  }
  return {};
}

// ---- clone ----

LinstorResult<CloneStarted> FakeLinstorClient::StartClone(const std::string& resource_definition,
                                                          const CloneRequest& request) {
  FAKE_ENTER("StartClone");
  auto* src = s.FindRd(resource_definition);
  if (src == nullptr) return RdNotFound(resource_definition);
  if (!IsValidLinstorName(request.name)) return InvalidName(kObjRscDfn, 202, request.name);
  if (s.rds.count(request.name)) {
    return Fail(kObjRscDfn, kCodeFailExistsRscDfn,
                "Resource definition '" + request.name + "' already exists.", 500);
  }
  const std::string group =
      request.resource_group.empty() ? src->def.resource_group_name : request.resource_group;
  if (!s.groups.count(group)) {
    return NotFoundError(kObjRscGrp, kCodeFailNotFoundRscGrp, "Resource group '" + group + "'");
  }
  State::Rd clone;
  clone.def.name = request.name;
  clone.def.resource_group_name = group;
  clone.def.props = src->def.props;
  ApplyProps(clone.def.props, request.override_props, request.delete_props, {});
  clone.def.uuid = "rd-" + request.name;
  clone.minor = s.next_minor;
  s.next_minor += std::max<int32_t>(1, static_cast<int32_t>(src->def.volume_definitions.size()));
  for (auto vd : src->def.volume_definitions) {
    vd.drbd_minor = clone.minor + vd.volume_number;
    clone.def.volume_definitions.push_back(vd);
  }
  for (const auto& [node, r] : src->resources) {
    if (r.IsDiskless()) continue;
    const std::string pool = r.volumes.empty() ? "" : r.volumes.front().storage_pool_name;
    clone.resources[node] = s.MakeResource(clone, node, pool, false, false);
  }
  s.rds[request.name] = std::move(clone);
  if (!s.clones.count(request.name)) s.clones[request.name] = CloneState::kComplete;
  CloneStarted started;
  started.location = "/v1/resource-definitions/" + resource_definition + "/clone/" + request.name;
  started.source_name = resource_definition;
  started.clone_name = request.name;
  return started;
}

LinstorResult<CloneStatus> FakeLinstorClient::GetCloneStatus(const std::string& resource_definition,
                                                             const std::string& clone_name) {
  FAKE_ENTER("GetCloneStatus");
  if (s.FindRd(resource_definition) == nullptr) return RdNotFound(resource_definition);
  auto it = s.clones.find(clone_name);
  if (it == s.clones.end()) return RdNotFound(clone_name);
  CloneStatus st;
  st.status = it->second;
  switch (it->second) {
    case CloneState::kCloning:
      st.raw = "CLONING";
      break;
    case CloneState::kComplete:
      st.raw = "COMPLETE";
      break;
    case CloneState::kFailed:
      st.raw = "FAILED";
      break;
    case CloneState::kUnknown:
      st.raw = "UNKNOWN";
      break;
  }
  return st;
}

}  // namespace lcsi::linstor
