// ClusterState: the resource definition requests (list, get, create, modify, delete).

#include "base/json_writer.h"
#include "linstor-sim/api_consts.h"
#include "linstor-sim/cluster_state.h"
#include "linstor-sim/cluster_state_replies.h"
#include "linstor-sim/list_util.h"
#include "linstor-sim/names.h"

namespace lcsi::sim {

Reply ClusterState::ListResourceDefinitions(const ListQuery& q) const {
  JsonWriter w;
  w.BeginArray();
  Pager pager(q.offset, q.limit);
  auto emit = [&](const ResourceDefinition& rd) {
    if (!PropsMatch(rd.props, q.props)) return;
    if (pager.Take()) WriteRd(w, rd, q.with_volume_definitions);
  };
  ForEachListedRd(q.resource_definitions, pager, emit);
  w.EndArray();
  return {200, w.Take()};
}

Reply ClusterState::GetResourceDefinition(const std::string& name) const {
  const ResourceDefinition* rd = FindRd(name);
  if (rd == nullptr) return RdNotFound(rc::kMaskRscDfn, name);
  JsonWriter w;
  WriteRd(w, *rd, /*with_vds=*/false);
  return {200, w.Take()};
}

Reply ClusterState::CreateResourceDefinition(const RdCreateRequest& req) {
  const uint64_t mask = rc::kMaskRscDfn | rc::kMaskCrt;
  if (!IsValidName(req.name))
    return InvalidName(mask | rc::kFailInvldRscName, "resource", req.name);
  if (FindRd(req.name) != nullptr) {
    return ErrorReply(mask | rc::kFailExistsRscDfn,
                      "A resource definition with the name '" + req.name + "' already exists.", {},
                      RdRef(req.name));
  }
  const std::string rg_name =
      req.resource_group.empty() ? kDefaultResourceGroup : req.resource_group;
  const ResourceGroup* rg = FindRg(rg_name);
  if (rg == nullptr) {
    return ErrorReply(mask | rc::kFailNotFoundRscGrp, "Resource group '" + rg_name + "' not found.",
                      {}, {{"RscGrp", rg_name}});
  }
  const std::string rg_display = rg->name;
  ResourceDefinition& rd = AddRd(req.name, rg_display, req.props, req.external_name);
  rd.layer_stack = req.layer_stack;
  ApiCallRcList rc;
  rc.Add(mask | rc::kCreated, "New resource definition '" + req.name + "' created.").obj_refs =
      RdRef(req.name);
  return rc.ToReply(201);
}

Reply ClusterState::ModifyResourceDefinition(const std::string& name, const RdModifyRequest& req) {
  const uint64_t mask = rc::kMaskRscDfn | rc::kMaskMod;
  ResourceDefinition* rd = FindRd(name);
  if (rd == nullptr) return RdNotFound(mask, name);
  if (req.resource_group) {
    const ResourceGroup* rg = FindRg(*req.resource_group);
    if (rg == nullptr) {
      return ErrorReply(mask | rc::kFailNotFoundRscGrp,
                        "Resource group '" + *req.resource_group + "' not found.", {},
                        {{"RscGrp", *req.resource_group}});
    }
    rd->resource_group = rg->name;
  }
  if (req.layer_stack) rd->layer_stack = *req.layer_stack;
  ApplyPropsChange(rd->props, req.props);
  ApiCallRcList rc;
  rc.Add(mask | rc::kModified, "Resource definition '" + rd->name + "' modified.").obj_refs =
      RdRef(rd->name);
  // Properties such as auto-add-quorum-tiebreaker may change what is needed.
  ReconcileTieBreaker(*rd, rc);
  return rc.ToReply(200);
}

Reply ClusterState::DeleteResourceDefinition(const std::string& name) {
  const uint64_t mask = rc::kMaskRscDfn | rc::kMaskDel;
  ResourceDefinition* rd = FindRd(name);
  if (rd == nullptr) {
    ApiCallRcList rc;
    rc.Add(mask | rc::kWarnNotFound, "Resource definition '" + name + "' not found.").obj_refs =
        RdRef(name);
    return rc.ToReply(200);
  }
  if (!rd->snapshots.empty()) {
    return ErrorReply(
        mask | rc::kFailExistsSnapshotDfn,
        "Cannot delete resource definition '" + rd->name + "' because it has snapshots.", {},
        RdRef(rd->name));
  }
  for (const auto& [node_key, rsc] : rd->resources) {
    if (rsc.in_use) return ResourceDefinitionInUse(mask, rd->name, rsc.node);
  }
  const std::string display = rd->name;
  const std::string uuid = rd->uuid;
  RemoveRd(NameKey(name));
  ApiCallRcList rc;
  auto& e = rc.Add(mask | rc::kDeleted, "Resource definition '" + display + "' deleted.");
  e.details = "Resource definition '" + display + "' UUID was: " + uuid;
  e.obj_refs = RdRef(display);
  return rc.ToReply(200);
}

}  // namespace lcsi::sim
