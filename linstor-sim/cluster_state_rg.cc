// ClusterState: resource groups (list, get, create, modify, delete) and query-size-info.
#include <algorithm>
#include <set>

#include "base/json_writer.h"
#include "linstor-sim/api_consts.h"
#include "linstor-sim/cluster_state.h"
#include "linstor-sim/list_util.h"
#include "linstor-sim/names.h"
#include "linstor-sim/placement.h"

namespace lcsi::sim {

Reply ClusterState::ListResourceGroups(const ListQuery& q) const {
  JsonWriter w;
  w.BeginArray();
  Pager pager(q.offset, q.limit);
  for (const auto& [key, rg] : rgs_) {
    if (!NameFilterMatches(q.resource_groups, key) || !PropsMatch(rg.props, q.props)) continue;
    if (pager.Done()) break;
    if (pager.Take()) WriteRg(w, rg);
  }
  w.EndArray();
  return {200, w.Take()};
}

Reply ClusterState::GetResourceGroup(const std::string& name) const {
  const ResourceGroup* rg = FindRg(name);
  if (rg == nullptr) {
    return ErrorReply(rc::kMaskRscGrp | rc::kFailNotFoundRscGrp,
                      "Resource group '" + name + "' not found.", {}, {{"RscGrp", name}});
  }
  JsonWriter w;
  WriteRg(w, *rg);
  return {200, w.Take()};
}

namespace {

// Validates a select filter's fields; returns an error reply or nullopt.
std::optional<Reply> CheckFilter(const SelectFilter& f, uint64_t mask) {
  if (f.place_count && *f.place_count < 1) {
    return ErrorReply(mask | rc::kFailInvldPlaceCount,
                      "Invalid place count: " + std::to_string(*f.place_count),
                      "The place count must be at least 1.");
  }
  if (f.layer_stack) {
    static const std::set<std::string> kLayers = {"DRBD",       "LUKS",  "STORAGE", "NVME",
                                                  "WRITECACHE", "CACHE", "BCACHE"};
    for (const auto& l : *f.layer_stack) {
      if (kLayers.count(l) == 0) {
        return ErrorReply(mask | rc::kFailInvldLayerStack, "Invalid layer kind '" + l + "'.");
      }
    }
  }
  if (f.not_place_with_rsc_regex && !CompileRegex(*f.not_place_with_rsc_regex, true)) {
    return ErrorReply(mask | rc::kFailInvldProp,
                      "Invalid regex '" + *f.not_place_with_rsc_regex + "'.");
  }
  return std::nullopt;
}

}  // namespace

Reply ClusterState::CreateResourceGroup(const RgCreateRequest& req) {
  const uint64_t mask = rc::kMaskRscGrp | rc::kMaskCrt;
  const std::string& name = req.group.name;
  if (!IsValidName(name)) {
    return ErrorReply(mask | rc::kFailInvldRscGrpName,
                      "Invalid resource group name '" + name + "'.",
                      "Names are 2-48 characters of [A-Za-z0-9_-], starting with a letter or _.");
  }
  if (FindRg(name) != nullptr) {
    return ErrorReply(mask | rc::kFailExistsRscGrp,
                      "A resource group with the name '" + name + "' already exists.", {},
                      {{"RscGrp", name}});
  }
  if (auto err = CheckFilter(req.group.filter, mask)) return *err;
  ResourceGroup rg = req.group;
  // ResourceGroups.createResourceGroup: "currently props are not supported on creation".
  rg.props.clear();
  rg.uuid = NewUuid();
  rgs_[NameKey(name)] = rg;
  ApiCallRcList rc;
  rc.Add(mask | rc::kCreated, "New resource group '" + name + "' created.").obj_refs = {
      {"RscGrp", name}};
  return rc.ToReply(201);
}

Reply ClusterState::ModifyResourceGroup(const std::string& name, const RgModifyRequest& req) {
  const uint64_t mask = rc::kMaskRscGrp | rc::kMaskMod;
  ResourceGroup* rg = FindRg(name);
  if (rg == nullptr) {
    return ErrorReply(mask | rc::kFailNotFoundRscGrp, "Resource group '" + name + "' not found.",
                      {}, {{"RscGrp", name}});
  }
  SelectFilter filter = rg->filter;
  if (req.filter) filter.Overlay(*req.filter);
  if (auto err = CheckFilter(filter, mask)) return *err;
  rg->filter = filter;
  if (req.description) rg->description = *req.description;
  if (req.peer_slots) rg->peer_slots = req.peer_slots;
  ApplyPropsChange(rg->props, req.props);
  ApiCallRcList rc;
  rc.Add(mask | rc::kModified, "Resource group '" + rg->name + "' modified.").obj_refs = {
      {"RscGrp", rg->name}};
  return rc.ToReply(200);
}

Reply ClusterState::DeleteResourceGroup(const std::string& name) {
  const uint64_t mask = rc::kMaskRscGrp | rc::kMaskDel;
  ResourceGroup* rg = FindRg(name);
  if (rg == nullptr) {
    ApiCallRcList rc;
    rc.Add(mask | rc::kWarnNotFound, "Resource group '" + name + "' not found.").obj_refs = {
        {"RscGrp", name}};
    return rc.ToReply(200);
  }
  if (NameKey(name) == NameKey(kDefaultResourceGroup)) {
    return ErrorReply(mask | rc::kFailAccDeniedRscGrp,
                      "Deleting the default resource group is not allowed.");
  }
  for (const auto& [key, rd] : rds_) {
    if (NameKey(rd.resource_group) == NameKey(name)) {
      return ErrorReply(mask | rc::kFailExistsRscDfn,
                        "Cannot delete resource group '" + rg->name +
                            "' because it has existing resource definitions.",
                        "Resource definition '" + rd.name + "' uses it.", {{"RscGrp", rg->name}});
    }
  }
  const std::string display = rg->name;
  rgs_.erase(NameKey(name));
  ApiCallRcList rc;
  rc.Add(mask | rc::kDeleted, "Resource group '" + display + "' deleted.").obj_refs = {
      {"RscGrp", display}};
  return rc.ToReply(200);
}

Reply ClusterState::QuerySizeInfo(const std::string& rg_name,
                                  const QuerySizeInfoRequest& req) const {
  // ResourceGroups.querySizeInfo turns an ApiRcException into `reports` of a 200 answer
  // (onErrorResume); Json.pojoToQuerySizeInfoResp leaves space_info out then (NON_EMPTY).
  auto reports_only = [](const Reply& error) {
    return Reply{200, "{\"reports\":" + error.body + "}"};
  };
  const ResourceGroup* rg = FindRg(rg_name);
  if (rg == nullptr) {
    return reports_only(ErrorReply(rc::kMaskRscGrp | rc::kFailNotFoundRscGrp,
                                   "Resource group '" + rg_name + "' not found.", {},
                                   {{"RscGrp", rg_name}}));
  }
  SelectFilter f = rg->filter;
  if (req.filter) f.Overlay(*req.filter);
  if (auto err = CheckFilter(f, rc::kMaskRscGrp)) return reports_only(*err);
  const int32_t count = f.place_count.value_or(2);

  PlacementRequest pr;
  pr.nodes = &nodes_;
  pr.filter = f;
  pr.count = count;
  pr.size_kib = 0;
  pr.seed = seed_;
  pr.excluded_by_rsc = [&](const std::string& node_key) { return NodeHasRscMatching(node_key, f); };
  const PlacementResult placed = Place(pr);

  // Aggregate over every pool the filter allows.
  int64_t free_sum = 0, total_sum = 0;
  for (const auto& [key, node] : nodes_) {
    if (!node.online) continue;
    if (f.node_name_list && !f.node_name_list->empty() &&
        !NameFilterMatches(*f.node_name_list, key)) {
      continue;
    }
    for (const auto& [pool_key, pool] : node.pools) {
      if (pool.diskless()) continue;
      std::vector<std::string> wanted;
      if (f.storage_pool_list && !f.storage_pool_list->empty()) {
        wanted = *f.storage_pool_list;
      } else if (f.storage_pool && !f.storage_pool->empty()) {
        wanted = {*f.storage_pool};
      }
      if (!wanted.empty() && !NameFilterMatches(wanted, pool_key)) continue;
      free_sum += pool.free_kib();
      total_sum += pool.total_kib;
    }
  }

  JsonWriter w;
  w.BeginObject().Key("space_info").BeginObject();
  if (placed.ok) {
    int64_t max_size = INT64_MAX;
    for (const auto& c : placed.chosen) max_size = std::min(max_size, c.pool_free_kib);
    w.Field("max_vlm_size_in_kib", max_size);
    w.Field("available_size_in_kib", free_sum / std::max(count, 1));
    w.Field("capacity_in_kib", total_sum / std::max(count, 1));
    w.Field("default_max_oversubscription_ratio", 20.0);
    w.Key("next_spawn_result").BeginArray();
    for (const auto& c : placed.chosen) {
      w.BeginObject()
          .Field("node_name", nodes_.at(c.node_key).name)
          .Field("stor_pool_name", c.pool)
          .EndObject();
    }
    w.EndArray();
  } else {
    w.Field("max_vlm_size_in_kib", int64_t{0});
    w.Field("available_size_in_kib", int64_t{0});
    w.Field("capacity_in_kib", total_sum / std::max(count, 1));
    w.Key("next_spawn_result").BeginArray().EndArray();
  }
  w.EndObject();
  if (!placed.ok) {  // an empty reports list is left out (NON_EMPTY)
    ApiCallRcList rc;
    rc.Add(rc::kMaskRscGrp | rc::kFailNotEnoughNodes, "Not enough available nodes");
    w.Key("reports").Raw(rc.ToJson());
  }
  w.EndObject();
  return {200, w.Take()};
}

}  // namespace lcsi::sim
