// CSI topology <-> LINSTOR nodes.
//
// The node plugin reports, per node, the segment "<driver-name>/node" = satellite name, plus
// one segment per LINSTOR node property "Aux/topology/<key>" (key as is). A CSI Topology thus
// matches a LINSTOR node when every segment does:
//   "<driver-name>/node" = v     -> the node is named v;
//   "<key>" = v                  -> the node has Aux/topology/<key> = v (for "<driver-name>/<k>"
//                                   also Aux/topology/<k>).
// A topology that carries the node key names that node outright (as linstor-csi does): the
// other segments of such a topology came from the same node's NodeGetInfo, so nodes are listed
// only for a topology without the node key.
#pragma once

#include <google/protobuf/repeated_field.h>

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "csi/csi.pb.h"
#include "base/status.h"
#include "linstor/model.h"

namespace lcsi::controller {

class TopologyMapper {
 public:
  using NodeLister = std::function<Result<std::vector<linstor::Node>>()>;

  explicit TopologyMapper(std::string driver_name);

  const std::string& node_key() const { return node_key_; }

  // Names of the nodes matching any of `topologies` (sorted, unique, in first-match order for
  // preferred lists), or nullopt when `topologies` is empty (no restriction).
  Result<std::optional<std::vector<std::string>>> NodesFor(
      const google::protobuf::RepeatedPtrField<csi::v1::Topology>& topologies,
      const NodeLister& list_nodes) const;
  // Same for a single topology.
  Result<std::vector<std::string>> NodesFor(const csi::v1::Topology& topology,
                                            const NodeLister& list_nodes) const;

  // True when some LINSTOR node matches one of `topologies` on every segment (the node key
  // included): the check that a requisite topology exists at all. Lists nodes once.
  Result<bool> AnyNodeMatches(
      const google::protobuf::RepeatedPtrField<csi::v1::Topology>& topologies,
      const NodeLister& list_nodes) const;

  // {"<driver-name>/node": node}
  csi::v1::Topology ForNode(const std::string& node) const;

 private:
  bool Matches(const csi::v1::Topology& t, const linstor::Node& node) const;

  std::string driver_prefix_;  // "<driver-name>/"
  std::string node_key_;       // "<driver-name>/node"
};

}  // namespace lcsi::controller
