// Autoplacement: picks nodes and storage pools for new diskful replicas of a resource
// definition according to an AutoSelectFilter. Pure: it reads the cluster, never changes it.
//
// Rules (LINSTOR's, as far as the plugin can observe them):
//  - only online nodes; node_name_list restricts the nodes;
//  - nodes that already hold a resource of the RD are skipped (a tiebreaker may be taken over);
//  - not_place_with_rsc / not_place_with_rsc_regex: skip nodes holding such resources;
//  - the pool is one of storage_pool / storage_pool_list (any diskful pool when unset),
//    of a kind in provider_list when set, with free capacity >= the RD's total size;
//  - replicas_on_same keys ("Key" or "Key=Value"): all replicas share the node property
//    value (existing replicas fix it); replicas_on_different keys: pairwise different values;
//    x_replicas_on_different_map: at most N replicas per value. Nodes lacking a key are skipped;
//  - preference: most free space first, ties broken by a hash of the seed and node name.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <string>
#include <vector>

#include "linstor-sim/model.h"

namespace lcsi::sim {

struct PlacementRequest {
  const std::map<std::string, Node>* nodes = nullptr;  // all nodes, key = upper-case name
  const ResourceDefinition* rd = nullptr;              // existing replicas; may be null
  SelectFilter filter;                                 // effective filter
  int32_t count = 0;                                   // new diskful replicas to place
  int64_t size_kib = 0;                                // per replica (sum of volume sizes)
  // True when the node holds a resource the filter's not_place_with_rsc* excludes.
  std::function<bool(const std::string& node_key)> excluded_by_rsc;
  uint64_t seed = 0;
};

struct PlacementChoice {
  std::string node_key;
  std::string pool;  // pool name as created
  int64_t pool_free_kib = 0;
};

struct PlacementResult {
  bool ok = false;
  std::vector<PlacementChoice> chosen;  // best selection found (may be short when !ok)
};

PlacementResult Place(const PlacementRequest& request);

// Stable tie-break order for equal candidates.
uint64_t SeededNodeHash(uint64_t seed, const std::string& node_key);

}  // namespace lcsi::sim
