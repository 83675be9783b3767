#include "controller/remote_access_topology.h"

#include <algorithm>

namespace lcsi::controller {

namespace {

constexpr std::string_view kTopologyPropPrefix = "Aux/topology/";

Segments FromTopology(const TopologyMapper& mapper, const csi::v1::Topology& t) {
  Segments out;
  for (const auto& [k, v] : t.segments()) out[k == mapper.node_key() ? kLinstorCsiNodeKey : k] = v;
  return out;
}

csi::v1::Topology ToTopology(const TopologyMapper& mapper, const Segments& s) {
  csi::v1::Topology t;
  for (const auto& [k, v] : s)
    (*t.mutable_segments())[k == kLinstorCsiNodeKey ? mapper.node_key() : k] = v;
  return t;
}

}  // namespace

Segments NodeSegments(const linstor::Node& node) {
  Segments out;
  for (const auto& [k, v] : node.props) {
    if (k.rfind(kTopologyPropPrefix, 0) == 0) out[k.substr(kTopologyPropPrefix.size())] = v;
  }
  out[kLinstorCsiNodeKey] = node.name;
  return out;
}

Result<std::optional<std::vector<std::string>>> NodesServing(
    const TopologyMapper& mapper, const RemoteAccessPolicy& policy,
    const google::protobuf::RepeatedPtrField<csi::v1::Topology>& topologies,
    const TopologyMapper::NodeLister& list_nodes) {
  if (policy.anywhere() || topologies.empty()) return std::optional<std::vector<std::string>>();
  if (policy.local_only()) return mapper.NodesFor(topologies, list_nodes);
  std::vector<Segments> reach;
  for (const auto& t : topologies) {
    for (auto& s : policy.AccessibleSegments(FromTopology(mapper, t)))
      reach.push_back(std::move(s));
  }
  google::protobuf::RepeatedPtrField<csi::v1::Topology> expanded;
  for (const auto& s : PruneSegments(std::move(reach))) *expanded.Add() = ToTopology(mapper, s);
  return mapper.NodesFor(expanded, list_nodes);
}

std::vector<csi::v1::Topology> ServedTopologies(const TopologyMapper& mapper,
                                                const RemoteAccessPolicy& policy,
                                                const std::vector<std::string>& diskful,
                                                const std::map<std::string, linstor::Node>& nodes) {
  std::vector<csi::v1::Topology> out;
  if (policy.anywhere()) return out;
  std::vector<std::string> sorted = diskful;
  std::sort(sorted.begin(), sorted.end());
  sorted.erase(std::unique(sorted.begin(), sorted.end()), sorted.end());
  if (policy.local_only()) {
    for (const auto& n : sorted) out.push_back(mapper.ForNode(n));
    return out;
  }
  std::vector<Segments> served;
  for (const auto& n : sorted) {
    auto it = nodes.find(n);
    linstor::Node named;
    named.name = n;
    for (auto& s :
         policy.AccessibleSegments(NodeSegments(it != nodes.end() ? it->second : named))) {
      if (s.empty()) return {};  // served from anywhere
      served.push_back(std::move(s));
    }
  }
  for (const auto& s : PruneSegments(std::move(served))) out.push_back(ToTopology(mapper, s));
  return out;
}

}  // namespace lcsi::controller
