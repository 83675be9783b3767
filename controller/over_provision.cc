#include "controller/over_provision.h"

#include <algorithm>
#include <map>
#include <utility>

#include "base/parse_double.h"

namespace lcsi::controller {

namespace {

std::optional<double> Ratio(const linstor::Props& props, const char* key) {
  auto it = props.find(key);
  if (it == props.end()) return std::nullopt;
  return ParseDouble(it->second);  // LINSTOR writes Double.toString: "20.0"
}

bool Contains(const std::vector<std::string>& v, const std::string& x) {
  return std::find(v.begin(), v.end(), x) != v.end();
}

}  // namespace

OverProvisionedCapacity ComputeOverProvisioned(
    double factor, const std::vector<linstor::Node>& nodes,
    const std::optional<std::vector<std::string>>& wanted_nodes,
    const std::vector<linstor::StoragePool>& pools, const std::vector<std::string>& class_pools,
    const std::vector<linstor::Resource>& resources) {
  std::vector<std::string> usable_nodes;
  for (const auto& n : nodes) {
    if (wanted_nodes && !Contains(*wanted_nodes, n.name)) continue;
    if (linstor::HasFlag(n.flags, "EVICTED") || linstor::HasFlag(n.flags, "EVACUATE")) continue;
    auto target = n.props.find("AutoplaceTarget");
    if (target != n.props.end() && target->second == "false") continue;
    usable_nodes.push_back(n.name);
  }
  std::map<std::pair<std::string, std::string>, int64_t> reserved;  // (node, pool) -> KiB
  for (const auto& r : resources) {
    for (const auto& v : r.volumes) {
      reserved[{r.node_name, v.storage_pool_name}] +=
          v.storage_usable_size_kib.value_or(v.allocated_size_kib.value_or(0));
    }
  }
  OverProvisionedCapacity out;
  for (const auto& pool : pools) {
    if (!Contains(usable_nodes, pool.node_name) || pool.IsDiskless()) continue;
    if (!class_pools.empty() && !Contains(class_pools, pool.storage_pool_name)) continue;
    double f = factor;
    auto limit = Ratio(pool.props, "MaxTotalCapacityOversubscriptionRatio");
    if (!limit) limit = Ratio(pool.props, "MaxOversubscriptionRatio");
    if (limit && *limit < f) f = *limit;
    const auto virtual_kib =
        static_cast<int64_t>(static_cast<double>(pool.total_capacity.value_or(0)) * f);
    auto it = reserved.find({pool.node_name, pool.storage_pool_name});
    const int64_t used = it == reserved.end() ? 0 : it->second;
    if (used > virtual_kib) continue;
    out.total_kib += virtual_kib - used;
    out.largest_pool_kib = std::max(out.largest_pool_kib, virtual_kib - used);
  }
  return out;
}

}  // namespace lcsi::controller
