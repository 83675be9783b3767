// ClusterState: autoplace and spawn, the requests that let LINSTOR choose the nodes.
#include "linstor-sim/api_consts.h"
#include "linstor-sim/cluster_state.h"
#include "linstor-sim/cluster_state_replies.h"
#include "linstor-sim/list_util.h"
#include "linstor-sim/names.h"
#include "linstor-sim/placement.h"

namespace lcsi::sim {

namespace {

std::string NotEnoughNodesDetails(const SelectFilter& f, int32_t count, int64_t size_kib) {
  std::string d = "Not enough nodes fulfilling the following auto-place criteria:\n";
  d += " * place count: " + std::to_string(count) + "\n";
  if (f.storage_pool_list && !f.storage_pool_list->empty()) {
    d += " * has a deployed storage pool named [";
    for (size_t i = 0; i < f.storage_pool_list->size(); ++i)
      d += (i ? ", " : "") + (*f.storage_pool_list)[i];
    d += "]\n";
  } else if (f.storage_pool) {
    d += " * has a deployed storage pool named '" + *f.storage_pool + "'\n";
  }
  d += " * the storage pools have to have at least '" + std::to_string(size_kib) + "' free space\n";
  d += " * the node is online\n";
  if (f.node_name_list && !f.node_name_list->empty()) d += " * node name list is restricted\n";
  if (f.replicas_on_same && !f.replicas_on_same->empty()) d += " * replicas on same\n";
  if (f.replicas_on_different && !f.replicas_on_different->empty())
    d += " * replicas on different\n";
  return d;
}

}  // namespace

Reply ClusterState::Autoplace(const std::string& name, const AutoplaceRequest& req) {
  const uint64_t mask = rc::kMaskRscDfn | rc::kMaskCrt;
  ResourceDefinition* rd = FindRd(name);
  if (rd == nullptr) return RdNotFound(mask, name);
  // AutoPlace.autoplace overwrites select_filter.diskless_on_remaining and .layer_stack with
  // the top-level diskless_on_remaining and layer_list.
  SelectFilter request_filter = req.filter;
  request_filter.diskless_on_remaining = req.diskless_on_remaining.value_or(false);
  request_filter.layer_stack.reset();
  if (!req.layer_list.empty()) request_filter.layer_stack = req.layer_list;
  SelectFilter f = EffectiveFilter(*rd, request_filter);
  if (f.place_count && *f.place_count < 1) {
    return ErrorReply(mask | rc::kFailInvldPlaceCount, "Invalid place count.");
  }
  int32_t diskful = 0;
  for (const auto& [k, r] : rd->resources) diskful += r.diskless ? 0 : 1;
  int32_t count = 0;
  if (f.additional_place_count && *f.additional_place_count > 0) {
    count = *f.additional_place_count;
  } else {
    const int32_t target = f.place_count.value_or(2);
    if (diskful > target) {
      // CtrlRscAutoPlaceApiCallHandler.makePlaceCountTooLowResponse: a warning, not an error,
      // so the answer is the success status; nothing is placed.
      std::string placed;
      for (const auto& [k, r] : rd->resources)
        placed += (placed.empty() ? "'" : ", '") + r.node + "'";
      ApiCallRcList warn;
      warn.Add(mask | rc::kWarnRscAlreadyDeployed,
               "The resource '" + rd->name + "' was already deployed on " +
                   std::to_string(rd->resources.size()) + " nodes: " + placed +
                   ". The resource would have to be deleted from nodes to reach the "
                   "placement count.")
          .obj_refs = RdRef(rd->name);
      return warn.ToReply(201);
    }
    count = target - diskful;
  }
  const bool diskless_on_remaining = f.diskless_on_remaining.value_or(false);
  ApiCallRcList rc;
  if (count <= 0) {
    rc.Add(mask | rc::kWarnRscAlreadyDeployed, "Resource '" + rd->name +
                                                   "' is already deployed on " +
                                                   std::to_string(diskful) + " nodes as requested.")
        .obj_refs = RdRef(rd->name);
    if (diskless_on_remaining) AddDisklessOnRemaining(*rd, rc);
    ReconcileTieBreaker(*rd, rc);
    return rc.ToReply(201);
  }
  PlacementRequest pr;
  pr.nodes = &nodes_;
  pr.rd = rd;
  pr.filter = f;
  pr.count = count;
  pr.size_kib = TotalSizeKib(*rd);
  pr.seed = seed_;
  pr.excluded_by_rsc = [&](const std::string& node_key) { return NodeHasRscMatching(node_key, f); };
  PlacementResult placed = Place(pr);
  if (!placed.ok) {
    ApiCallRcList err;
    auto& e = err.Add(mask | rc::kFailNotEnoughNodes, "Not enough available nodes");
    e.details = NotEnoughNodesDetails(f, count, pr.size_kib);
    e.obj_refs = RdRef(rd->name);
    return err.ToReply(201);
  }
  for (const auto& c : placed.chosen) {
    const Node& node = nodes_.at(c.node_key);
    auto existing = rd->resources.find(c.node_key);
    if (existing != rd->resources.end()) {  // a tiebreaker: take it over
      MakeDiskful(*rd, existing->second, c.pool);
      rc.Add(rc::kInfoTieBreakerTakeover,
             "Tie breaker resource '" + rd->name + "' on node '" + node.name + "' taken over.")
          .obj_refs = RscRef(rd->name, node.name);
    } else {
      AddResource(*rd, node, c.pool, false, false);
    }
    rc.Add(rc::kMaskRsc | rc::kMaskCrt | rc::kCreated,
           "Resource '" + rd->name + "' on '" + node.name + "' ready")
        .obj_refs = RscRef(rd->name, node.name);
  }
  if (diskless_on_remaining) AddDisklessOnRemaining(*rd, rc);
  rc.Add(mask | rc::kCreated, "Resource '" + rd->name + "' successfully autoplaced on " +
                                  std::to_string(placed.chosen.size()) + " nodes")
      .obj_refs = RdRef(rd->name);
  ReconcileTieBreaker(*rd, rc);
  return rc.ToReply(201);
}

Reply ClusterState::Spawn(const std::string& rg_name, const SpawnRequest& req) {
  const uint64_t mask = rc::kMaskRscDfn | rc::kMaskCrt;
  const ResourceGroup* rg = FindRg(rg_name);
  if (rg == nullptr) {
    return ErrorReply(mask | rc::kFailNotFoundRscGrp, "Resource group '" + rg_name + "' not found.",
                      {}, {{"RscGrp", rg_name}});
  }
  if (!IsValidName(req.rd_name)) {
    return InvalidName(mask | rc::kFailInvldRscName, "resource", req.rd_name);
  }
  if (FindRd(req.rd_name) != nullptr) {
    return ErrorReply(mask | rc::kFailExistsRscDfn,
                      "A resource definition with the name '" + req.rd_name + "' already exists.",
                      {}, RdRef(req.rd_name));
  }
  int64_t total = 0;
  for (int64_t size : req.volume_sizes) {
    if (size <= 0) {
      return ErrorReply(mask | rc::kFailInvldVlmSize,
                        "Invalid volume size " + std::to_string(size) + " KiB.");
    }
    total += size;
  }
  SelectFilter f = rg->filter;
  if (req.filter) f.Overlay(*req.filter);
  if (f.place_count && *f.place_count < 1) {
    return ErrorReply(mask | rc::kFailInvldPlaceCount, "Invalid place count.");
  }
  if (f.not_place_with_rsc_regex && !CompileRegex(*f.not_place_with_rsc_regex, true)) {
    return ErrorReply(mask | rc::kFailInvldProp,
                      "Invalid regex '" + *f.not_place_with_rsc_regex + "'.");
  }

  PlacementResult placed;
  const int32_t count = f.place_count.value_or(2);
  if (!req.definitions_only) {
    PlacementRequest pr;
    pr.nodes = &nodes_;
    pr.filter = f;
    pr.count = count;
    pr.size_kib = total;
    pr.seed = seed_;
    pr.excluded_by_rsc = [&](const std::string& node_key) {
      return NodeHasRscMatching(node_key, f);
    };
    placed = Place(pr);
    if (!placed.ok && !(req.partial && !placed.chosen.empty())) {
      ApiCallRcList err;
      auto& e = err.Add(mask | rc::kFailNotEnoughNodes, "Not enough available nodes");
      e.details = NotEnoughNodesDetails(f, count, total);
      e.obj_refs = RdRef(req.rd_name);
      return err.ToReply(201);
    }
  }

  const std::string rg_display = rg->name;
  const bool diskless_on_remaining = f.diskless_on_remaining.value_or(false);
  ResourceDefinition& rd = AddRd(req.rd_name, rg_display, req.rd_props, req.external_name);
  if (f.layer_stack) rd.layer_stack = *f.layer_stack;
  ApiCallRcList rc;
  rc.Add(mask | rc::kCreated, "New resource definition '" + rd.name + "' created.").obj_refs =
      RdRef(rd.name);
  for (size_t i = 0; i < req.volume_sizes.size(); ++i) {
    Status st = AddVolume(rd, static_cast<int32_t>(i), req.volume_sizes[i], {});
    if (!st.ok()) {
      RemoveRd(NameKey(req.rd_name));
      return ErrorReply(mask | rc::kFailUnknownError, "Creating the volume failed.", st.message());
    }
    rc.Add(rc::kMaskVlmDfn | rc::kMaskCrt | rc::kCreated,
           "New volume definition with number '" + std::to_string(i) +
               "' of resource definition '" + rd.name + "' created.")
        .obj_refs = {{"RscDfn", rd.name}, {"VlmNr", std::to_string(i)}};
  }
  if (!req.definitions_only) {
    for (const auto& c : placed.chosen) {
      const Node& node = nodes_.at(c.node_key);
      AddResource(rd, node, c.pool, false, false);
      rc.Add(rc::kMaskRsc | rc::kMaskCrt | rc::kCreated,
             "Resource '" + rd.name + "' on '" + node.name + "' ready")
          .obj_refs = RscRef(rd.name, node.name);
    }
    if (!placed.ok) {
      rc.Add(mask | rc::kMaskWarn | (rc::kFailNotEnoughNodes & rc::kMaskBitsCode),
             "Only " + std::to_string(placed.chosen.size()) + " of " + std::to_string(count) +
                 " replicas could be placed (partial spawn).");
    }
    if (diskless_on_remaining) AddDisklessOnRemaining(rd, rc);
    rc.Add(mask | rc::kCreated, "Resource '" + rd.name + "' successfully autoplaced on " +
                                    std::to_string(placed.chosen.size()) + " nodes")
        .obj_refs = RdRef(rd.name);
    ReconcileTieBreaker(rd, rc);
  }
  return rc.ToReply(201);
}

}  // namespace lcsi::sim
