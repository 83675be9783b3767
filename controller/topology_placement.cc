#include "controller/topology_placement.h"

#include <algorithm>

#include "controller/remote_access_topology.h"

namespace lcsi::controller {

std::vector<std::string> IntersectNodes(const std::vector<std::string>& a,
                                        const std::vector<std::string>& b) {
  std::vector<std::string> out;
  for (const auto& x : a)
    if (std::find(b.begin(), b.end(), x) != b.end()) out.push_back(x);
  return out;
}

Result<TopologyPlacement> PlanTopologyPlacement(const TopologyMapper& mapper,
                                                const csi::v1::TopologyRequirement& requirement,
                                                const RemoteAccessPolicy& remote_access,
                                                const std::vector<std::string>& class_nodes,
                                                const TopologyMapper::NodeLister& list_nodes,
                                                const std::string& volume) {
  // One node listing at most for the whole requirement.
  std::optional<std::vector<linstor::Node>> listed;
  TopologyMapper::NodeLister once = [&]() -> Result<std::vector<linstor::Node>> {
    if (!listed) {
      auto r = list_nodes();
      if (!r.ok()) return r.status();
      listed = std::move(*r);
    }
    return *listed;
  };

  TopologyPlacement out;
  if (remote_access.anywhere()) {
    if (!requirement.requisite().empty()) out.requisite_to_verify = &requirement.requisite();
  } else {
    auto allowed = NodesServing(mapper, remote_access, requirement.requisite(), once);
    if (!allowed.ok()) return allowed.status();
    out.allowed_nodes = std::move(*allowed);
    if (out.allowed_nodes && out.allowed_nodes->empty()) {
      return ResourceExhausted("no LINSTOR node matches the requisite topology of volume " +
                               volume);
    }
    if (out.allowed_nodes && !class_nodes.empty()) {
      out.allowed_nodes = IntersectNodes(*out.allowed_nodes, class_nodes);
      if (out.allowed_nodes->empty()) {
        return ResourceExhausted("the requisite topology of volume " + volume +
                                 " excludes every node of the class's nodeList");
      }
    }
  }
  for (const auto& preferred : requirement.preferred()) {
    auto nodes = mapper.NodesFor(preferred, once);
    if (!nodes.ok()) return nodes.status();
    // A spawn's node list replaces the class's nodeList: keep within both.
    if (out.allowed_nodes) *nodes = IntersectNodes(*nodes, *out.allowed_nodes);
    if (!class_nodes.empty()) *nodes = IntersectNodes(*nodes, class_nodes);
    if (!nodes->empty()) {
      out.near_nodes = std::move(*nodes);
      break;
    }
  }
  return out;
}

Status VerifyRequisiteReachable(const TopologyMapper& mapper, const TopologyPlacement& placement,
                                const TopologyMapper::NodeLister& list_nodes,
                                const std::string& volume) {
  if (placement.requisite_to_verify == nullptr) return Status::Ok();
  auto any = mapper.AnyNodeMatches(*placement.requisite_to_verify, list_nodes);
  if (!any.ok()) return any.status();
  if (!*any) {
    return ResourceExhausted("no LINSTOR node matches the requisite topology of volume " + volume +
                             ", so no node could use it");
  }
  return Status::Ok();
}

}  // namespace lcsi::controller
