#include "linstor-sim/placement.h"

#include <algorithm>
#include <optional>
#include <set>

#include "linstor-sim/names.h"

namespace lcsi::sim {
namespace {

struct Candidate {
  const Node* node = nullptr;
  std::string key;
  std::string pool;
  int64_t free_kib = 0;
  uint64_t tie = 0;
};

struct KeyValue {
  std::string key;
  std::optional<std::string> value;
};

KeyValue SplitKeyValue(const std::string& entry) {
  const auto eq = entry.find('=');
  if (eq == std::string::npos) return {entry, std::nullopt};
  return {entry.substr(0, eq), entry.substr(eq + 1)};
}

bool ContainsName(const std::vector<std::string>& names, const std::string& key) {
  for (const auto& n : names)
    if (NameKey(n) == key) return true;
  return false;
}

std::optional<std::string> Prop(const Node& node, const std::string& key) {
  auto it = node.props.find(key);
  if (it == node.props.end()) return std::nullopt;
  return it->second;
}

// Chooses the best pool of `node` for `size_kib`, or nullopt.
std::optional<Candidate> PoolFor(const Node& node, const SelectFilter& f, int64_t size_kib) {
  std::vector<std::string> wanted;
  if (f.storage_pool_list && !f.storage_pool_list->empty()) {
    wanted = *f.storage_pool_list;
  } else if (f.storage_pool && !f.storage_pool->empty()) {
    wanted = {*f.storage_pool};
  }
  std::optional<Candidate> best;
  for (const auto& [pool_key, pool] : node.pools) {
    if (pool.diskless()) continue;
    if (!wanted.empty() && !ContainsName(wanted, pool_key)) continue;
    if (f.provider_list && !f.provider_list->empty() &&
        std::find(f.provider_list->begin(), f.provider_list->end(), pool.provider_kind) ==
            f.provider_list->end()) {
      continue;
    }
    if (pool.free_kib() < size_kib) continue;
    if (!best || pool.free_kib() > best->free_kib) {
      best = Candidate{&node, NameKey(node.name), pool.name, pool.free_kib(), 0};
    }
  }
  return best;
}

// Greedy selection honouring the per-value caps of replicas_on_different.
std::vector<Candidate> SelectDifferent(const std::vector<Candidate>& sorted, int32_t count,
                                       const std::map<std::string, int64_t>& caps,
                                       std::map<std::string, std::map<std::string, int64_t>> used) {
  std::vector<Candidate> chosen;
  for (const auto& c : sorted) {
    if (static_cast<int32_t>(chosen.size()) >= count) break;
    bool fits = true;
    for (const auto& [key, cap] : caps) {
      const auto value = Prop(*c.node, key);
      if (!value || used[key][*value] >= cap) {
        fits = false;
        break;
      }
    }
    if (!fits) continue;
    for (const auto& [key, cap] : caps) used[key][*Prop(*c.node, key)]++;
    chosen.push_back(c);
  }
  return chosen;
}

}  // namespace

uint64_t SeededNodeHash(uint64_t seed, const std::string& node_key) {
  uint64_t h = 1469598103934665603ULL ^ seed;
  for (unsigned char c : node_key) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  return h;
}

PlacementResult Place(const PlacementRequest& req) {
  const SelectFilter& f = req.filter;
  PlacementResult result;
  if (req.count <= 0) {
    result.ok = true;
    return result;
  }

  // Existing diskful replicas fix replicas_on_same values and count toward caps.
  std::vector<const Node*> existing;
  std::set<std::string> occupied;  // nodes with a non-tiebreaker resource
  if (req.rd != nullptr) {
    for (const auto& [node_key, rsc] : req.rd->resources) {
      if (!rsc.tie_breaker) occupied.insert(node_key);
      if (!rsc.diskless) {
        auto it = req.nodes->find(node_key);
        if (it != req.nodes->end()) existing.push_back(&it->second);
      }
    }
  }

  std::vector<KeyValue> same;
  if (f.replicas_on_same)
    for (const auto& e : *f.replicas_on_same) same.push_back(SplitKeyValue(e));
  for (auto& kv : same) {
    if (kv.value) continue;
    for (const Node* n : existing) {
      if (auto v = Prop(*n, kv.key)) {
        kv.value = *v;
        break;
      }
    }
  }

  std::map<std::string, int64_t> caps;
  if (f.replicas_on_different)
    for (const auto& e : *f.replicas_on_different) caps[SplitKeyValue(e).key] = 1;
  if (f.x_replicas_on_different_map)
    for (const auto& [k, n] : *f.x_replicas_on_different_map) caps[k] = std::max<int64_t>(n, 1);
  std::map<std::string, std::map<std::string, int64_t>> used;
  for (const Node* n : existing)
    for (const auto& [key, cap] : caps)
      if (auto v = Prop(*n, key)) used[key][*v]++;

  // Eligible candidates, grouped by their replicas_on_same values.
  std::map<std::vector<std::string>, std::vector<Candidate>> groups;
  for (const auto& [node_key, node] : *req.nodes) {
    if (!node.online) continue;
    if (occupied.count(node_key) != 0) continue;
    if (f.node_name_list && !f.node_name_list->empty() &&
        !ContainsName(*f.node_name_list, node_key)) {
      continue;
    }
    if (req.excluded_by_rsc && req.excluded_by_rsc(node_key)) continue;
    std::vector<std::string> group_key;
    bool ok = true;
    for (const auto& kv : same) {
      auto v = Prop(node, kv.key);
      if (!v || (kv.value && *v != *kv.value)) {
        ok = false;
        break;
      }
      group_key.push_back(*v);
    }
    if (!ok) continue;
    auto cand = PoolFor(node, f, req.size_kib);
    if (!cand) continue;
    cand->tie = SeededNodeHash(req.seed, node_key);
    groups[group_key].push_back(*cand);
  }

  std::optional<std::vector<Candidate>> best;
  int64_t best_score = -1;
  for (auto& [group_key, cands] : groups) {
    std::sort(cands.begin(), cands.end(), [](const Candidate& a, const Candidate& b) {
      if (a.free_kib != b.free_kib) return a.free_kib > b.free_kib;
      if (a.tie != b.tie) return a.tie < b.tie;
      return a.key < b.key;
    });
    auto chosen = SelectDifferent(cands, req.count, caps, used);
    int64_t score = 0;
    for (const auto& c : chosen) score += c.free_kib;
    const bool complete = static_cast<int32_t>(chosen.size()) == req.count;
    const bool best_complete = best && static_cast<int32_t>(best->size()) == req.count;
    // Prefer complete selections, then more replicas, then more free space.
    bool better = false;
    if (!best) {
      better = true;
    } else if (complete != best_complete) {
      better = complete;
    } else if (chosen.size() != best->size()) {
      better = chosen.size() > best->size();
    } else {
      better = score > best_score;
    }
    if (better) {
      best = std::move(chosen);
      best_score = score;
    }
  }
  if (best) {
    for (const auto& c : *best) result.chosen.push_back({c.key, c.pool, c.free_kib});
  }
  result.ok = static_cast<int32_t>(result.chosen.size()) == req.count;
  return result;
}

}  // namespace lcsi::sim
