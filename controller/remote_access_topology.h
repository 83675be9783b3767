// RemoteAccessPolicy against CSI topologies and LINSTOR nodes: which nodes may hold the replicas
// of a volume that must serve a topology, and which topologies a volume serves from its
// diskful replicas. Segment keys: "<driver-name>/node" <-> kLinstorCsiNodeKey (the node name);
// every other key K is the node property Aux/topology/K (topology.h).
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "controller/remote_access.h"
#include "controller/topology.h"
#include "csi/csi.pb.h"
#include "linstor/model.h"

namespace lcsi::controller {

// A node's segments: its Aux/topology/* properties (prefix removed) and kLinstorCsiNodeKey.
Segments NodeSegments(const linstor::Node& node);

// Nodes whose replica would serve one of `topologies` under `policy` (nullopt: any node, when
// the policy allows access from anywhere or `topologies` is empty). Local only: the nodes of
// the topologies themselves. Rules: the nodes sharing a rule's keys with a topology.
Result<std::optional<std::vector<std::string>>> NodesServing(
    const TopologyMapper& mapper, const RemoteAccessPolicy& policy,
    const google::protobuf::RepeatedPtrField<csi::v1::Topology>& topologies,
    const TopologyMapper::NodeLister& list_nodes);

// The accessible_topology of a volume with diskful replicas on `diskful`: none for access from
// anywhere, one topology per node for local only, else the accessible segments of each node
// (read from `nodes`; a node missing there counts with its name only).
std::vector<csi::v1::Topology> ServedTopologies(const TopologyMapper& mapper,
                                                const RemoteAccessPolicy& policy,
                                                const std::vector<std::string>& diskful,
                                                const std::map<std::string, linstor::Node>& nodes);

}  // namespace lcsi::controller
