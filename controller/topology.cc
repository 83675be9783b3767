#include "controller/topology.h"

#include <algorithm>

namespace lcsi::controller {

namespace {

constexpr std::string_view kTopologyPropPrefix = "Aux/topology/";

}  // namespace

TopologyMapper::TopologyMapper(std::string driver_name)
    : driver_prefix_(driver_name + "/"), node_key_(driver_name + "/node") {}

bool TopologyMapper::Matches(const csi::v1::Topology& t, const linstor::Node& node) const {
  for (const auto& [key, value] : t.segments()) {
    if (key == node_key_) {
      if (node.name != value) return false;
      continue;
    }
    const std::string& wanted = value;  // clang 14 cannot capture a structured binding
    auto prop_matches = [&](const std::string& k) {
      auto it = node.props.find(std::string(kTopologyPropPrefix) + k);
      return it != node.props.end() && it->second == wanted;
    };
    bool ok = prop_matches(key);
    if (!ok && key.rfind(driver_prefix_, 0) == 0)
      ok = prop_matches(key.substr(driver_prefix_.size()));
    if (!ok) return false;
  }
  return true;
}

Result<std::vector<std::string>> TopologyMapper::NodesFor(const csi::v1::Topology& topology,
                                                          const NodeLister& list_nodes) const {
  auto named = topology.segments().find(node_key_);
  if (named != topology.segments().end()) return std::vector<std::string>{named->second};
  auto nodes = list_nodes();
  if (!nodes.ok()) return nodes.status();
  std::vector<std::string> out;
  for (const auto& n : *nodes)
    if (Matches(topology, n)) out.push_back(n.name);
  return out;
}

Result<std::optional<std::vector<std::string>>> TopologyMapper::NodesFor(
    const google::protobuf::RepeatedPtrField<csi::v1::Topology>& topologies,
    const NodeLister& list_nodes) const {
  if (topologies.empty()) return std::optional<std::vector<std::string>>();
  // List nodes at most once for the whole requirement.
  std::optional<std::vector<linstor::Node>> cached;
  NodeLister once = [&]() -> Result<std::vector<linstor::Node>> {
    if (!cached) {
      auto r = list_nodes();
      if (!r.ok()) return r.status();
      cached = std::move(*r);
    }
    return *cached;
  };
  std::vector<std::string> out;
  for (const auto& t : topologies) {
    auto nodes = NodesFor(t, once);
    if (!nodes.ok()) return nodes.status();
    for (auto& n : *nodes)
      if (std::find(out.begin(), out.end(), n) == out.end()) out.push_back(std::move(n));
  }
  return std::optional<std::vector<std::string>>(std::move(out));
}

Result<bool> TopologyMapper::AnyNodeMatches(
    const google::protobuf::RepeatedPtrField<csi::v1::Topology>& topologies,
    const NodeLister& list_nodes) const {
  if (topologies.empty()) return true;
  auto nodes = list_nodes();
  if (!nodes.ok()) return nodes.status();
  for (const auto& t : topologies) {
    for (const auto& n : *nodes) {
      if (Matches(t, n)) return true;
    }
  }
  return false;
}

csi::v1::Topology TopologyMapper::ForNode(const std::string& node) const {
  csi::v1::Topology t;
  (*t.mutable_segments())[node_key_] = node;
  return t;
}

}  // namespace lcsi::controller
