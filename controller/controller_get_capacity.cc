// GetCapacity: what LINSTOR can place for a class (its resource group), optionally restricted
// to a topology segment.
#include <algorithm>

#include "controller/controller.h"
#include "controller/linstor_status.h"
#include "controller/over_provision.h"
#include "controller/parameter_map.h"
#include "controller/remote_access_topology.h"
#include "controller/volume_capabilities.h"

namespace lcsi::controller {

Status Controller::GetCapacity(const csi::v1::GetCapacityRequest& req,
                               csi::v1::GetCapacityResponse* resp) {
  for (const auto& cap : req.volume_capabilities()) {
    if (!CheckVolumeCapability(cap).ok()) {
      resp->set_available_capacity(0);  // nothing can be provisioned with it
      return Status::Ok();
    }
  }
  auto params = ParseVolumeParameters(ToParameterMap(req.parameters()), options_.driver_name);
  if (!params.ok()) return params.status();
  ResourceGroupSpec spec = BuildResourceGroupSpec(*params, options_.owner_id);

  linstor::SelectFilter filter;
  bool use_filter = false;
  // With remote access a volume serves every node, so a segment does not restrict where its
  // replicas go; without it, a volume for that segment needs a replica there.
  // With rules (fromSame), the nodes that would serve the segment.
  if (req.has_accessible_topology() && !req.accessible_topology().segments().empty() &&
      !params->remote_access.anywhere()) {
    google::protobuf::RepeatedPtrField<csi::v1::Topology> segment;
    *segment.Add() = req.accessible_topology();
    auto serving = NodesServing(topology_, params->remote_access, segment,
                                [this]() -> Result<std::vector<linstor::Node>> {
                                  auto n = client_->ListNodes({});
                                  if (!n.ok()) return FromLinstor(n, "listing LINSTOR nodes");
                                  return std::move(*n);
                                });
    if (!serving.ok()) return serving.status();
    const std::vector<std::string> serving_nodes = serving->value_or(std::vector<std::string>{});
    const auto* nodes = &serving_nodes;
    if (nodes->empty()) {
      resp->set_available_capacity(0);
      resp->mutable_maximum_volume_size()->set_value(0);
      return Status::Ok();
    }
    filter.node_name_list = *nodes;
    filter.place_count = 1;
    use_filter = true;
  }
  if (params->over_provision) {
    std::optional<std::vector<std::string>> wanted;
    if (use_filter) wanted = filter.node_name_list;
    return OverProvisioned(*params, wanted, resp);
  }
  LCSI_RETURN_IF_ERROR(groups_.Ensure(spec));
  auto info = client_->QuerySizeInfo(spec.name, use_filter ? &filter : nullptr);
  if (info.IsNotFound()) {
    groups_.Invalidate(spec.name);
    LCSI_RETURN_IF_ERROR(groups_.Ensure(spec));
    info = client_->QuerySizeInfo(spec.name, use_filter ? &filter : nullptr);
  }
  if (info.Is(linstor::LinstorErrorKind::kNotEnoughNodes) ||
      info.Is(linstor::LinstorErrorKind::kNoSpace)) {
    resp->set_available_capacity(0);  // nothing can be placed for this class/segment
    resp->mutable_maximum_volume_size()->set_value(0);
    return Status::Ok();
  }
  if (!info.ok()) return FromLinstor(info, "querying the capacity of resource group " + spec.name);
  const int64_t max_kib = std::max<int64_t>(0, info->max_vlm_size_in_kib);
  resp->set_available_capacity(KibToBytes(info->available_size_in_kib.value_or(max_kib)));
  resp->mutable_maximum_volume_size()->set_value(KibToBytes(max_kib));
  return Status::Ok();
}

// overProvision: linstor-csi's own arithmetic over the storage pools (over_provision.h); three
// reads (nodes, storage pools, resources) instead of LINSTOR's query-size-info.
Status Controller::OverProvisioned(const VolumeParameters& params,
                                   const std::optional<std::vector<std::string>>& wanted_nodes,
                                   csi::v1::GetCapacityResponse* resp) {
  auto nodes = client_->ListNodes({});
  if (!nodes.ok()) return FromLinstor(nodes, "listing LINSTOR nodes");
  auto pools = client_->ListStoragePools({});
  if (!pools.ok()) return FromLinstor(pools, "listing LINSTOR storage pools");
  auto resources = client_->ViewResources({});
  if (!resources.ok()) return FromLinstor(resources, "listing LINSTOR resources");
  const auto capacity = ComputeOverProvisioned(*params.over_provision, *nodes, wanted_nodes, *pools,
                                               params.storage_pools, *resources);
  resp->set_available_capacity(KibToBytes(capacity.total_kib));
  resp->mutable_maximum_volume_size()->set_value(KibToBytes(capacity.largest_pool_kib));
  return Status::Ok();
}

}  // namespace lcsi::controller
