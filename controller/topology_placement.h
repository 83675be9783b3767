// Where CreateVolume puts a new volume's replicas, from the CO's accessibility requirements and
// whether the class allows remote (diskless) access.
//
// Remote access allowed: the volume is usable from every LINSTOR node, so the requisite
// topology does not restrict placement (it only has to name some LINSTOR node). The first
// replica goes near the consumer: onto a node of the first preferred topology that has one
// (as linstor-csi's topology-aware placement does); LINSTOR places the rest.
// Remote access off: every replica goes onto a requisite node, the first one onto a preferred
// node when it can. Remote access by rules (fromSame): every replica goes onto a node that
// serves a requisite topology under the rules (remote_access_topology.h).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "controller/remote_access.h"
#include "controller/topology.h"
#include "csi/csi.pb.h"
#include "csi/status.h"

namespace lcsi::controller {

struct TopologyPlacement {
  // Every replica goes to one of these; nullopt: wherever the class allows.
  std::optional<std::vector<std::string>> allowed_nodes;
  // The first replica goes to one of these when it can: the nodes of the first preferred
  // topology that has any (within allowed_nodes and the class's nodeList). Empty: no preference.
  std::vector<std::string> near_nodes;
  // Remote access allowed with a requisite topology: some LINSTOR node must match one of these.
  // Checked (one node listing) only when no replica landed near the consumer: a replica on a
  // preferred node proves it, since preferred topologies are a subset of the requisite ones.
  const google::protobuf::RepeatedPtrField<csi::v1::Topology>* requisite_to_verify = nullptr;
};

// `class_nodes` is the class's nodeList (empty: none). ResourceExhausted when remote access is
// off and no node satisfies the requisite topology.
// The names of `a` that are also in `b`, in `a`'s order.
std::vector<std::string> IntersectNodes(const std::vector<std::string>& a,
                                        const std::vector<std::string>& b);

Result<TopologyPlacement> PlanTopologyPlacement(const TopologyMapper& mapper,
                                                const csi::v1::TopologyRequirement& requirement,
                                                const RemoteAccessPolicy& remote_access,
                                                const std::vector<std::string>& class_nodes,
                                                const TopologyMapper::NodeLister& list_nodes,
                                                const std::string& volume);

// OK when some LINSTOR node matches the requisite topologies of `placement` (or there are none);
// ResourceExhausted otherwise.
Status VerifyRequisiteReachable(const TopologyMapper& mapper, const TopologyPlacement& placement,
                                const TopologyMapper::NodeLister& list_nodes,
                                const std::string& volume);

}  // namespace lcsi::controller
