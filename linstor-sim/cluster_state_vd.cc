// ClusterState: the volume definition requests (list, create, modify: size and properties).
#include <algorithm>

#include "base/json_writer.h"
#include "base/parse_int.h"
#include "linstor-sim/api_consts.h"
#include "linstor-sim/cluster_state.h"
#include "linstor-sim/cluster_state_replies.h"
#include "linstor-sim/list_util.h"

namespace lcsi::sim {

Reply ClusterState::ListVolumeDefinitions(const std::string& name, const ListQuery& q) const {
  const ResourceDefinition* rd = FindRd(name);
  if (rd == nullptr) return RdNotFound(rc::kMaskVlmDfn, name);
  JsonWriter w;
  w.BeginArray();
  Pager pager(q.offset, q.limit);
  for (const auto& [nr, vd] : rd->volumes) {
    if (pager.Done()) break;
    if (pager.Take()) WriteVd(w, *rd, vd);
  }
  w.EndArray();
  return {200, w.Take()};
}

Reply ClusterState::CreateVolumeDefinition(const std::string& name, const VdSpec& req) {
  const uint64_t mask = rc::kMaskVlmDfn | rc::kMaskCrt;
  ResourceDefinition* rd = FindRd(name);
  if (rd == nullptr) return RdNotFound(mask, name);
  if (req.size_kib <= 0) {
    return ErrorReply(mask | rc::kFailInvldVlmSize,
                      "Invalid volume size " + std::to_string(req.size_kib) + " KiB.");
  }
  int32_t nr = 0;
  if (req.number) {
    nr = *req.number;
    if (nr < 0) return ErrorReply(mask | rc::kFailInvldVlmNr, "Invalid volume number.");
  } else {
    while (rd->volumes.count(nr) != 0) ++nr;
  }
  if (rd->volumes.count(nr) != 0) {
    return ErrorReply(mask | rc::kFailExistsVlmDfn,
                      "A volume definition with the number " + std::to_string(nr) +
                          " already exists in resource definition '" + rd->name + "'.");
  }
  for (const auto& [node_key, rsc] : rd->resources) {
    if (rsc.diskless) continue;
    const StoragePool* p = FindPool(node_key, rsc.storage_pool);
    if (p != nullptr && p->free_kib() < req.size_kib) {
      return ErrorReply(mask | rc::kFailNotEnoughFreeSpace,
                        "Not enough free space in storage pool '" + rsc.storage_pool +
                            "' on node '" + rsc.node + "'.");
    }
  }
  Status st = AddVolume(*rd, nr, req.size_kib, req.props);
  if (!st.ok()) {
    return ErrorReply(mask | rc::kFailUnknownError, "Creating the volume failed.", st.message());
  }
  ApiCallRcList rc;
  rc.Add(mask | rc::kCreated, "New volume definition with number '" + std::to_string(nr) +
                                  "' of resource definition '" + rd->name + "' created.")
      .obj_refs = {{"RscDfn", rd->name}, {"VlmNr", std::to_string(nr)}};
  return rc.ToReply(200);
}

Reply ClusterState::ModifyVolumeDefinition(const std::string& name,
                                           const std::string& volume_number,
                                           const VdModifyRequest& req) {
  const uint64_t mask = rc::kMaskVlmDfn | rc::kMaskMod;
  ResourceDefinition* rd = FindRd(name);
  if (rd == nullptr) return RdNotFound(mask, name);
  // The path's volume number as JAX-RS reads an int (Integer.valueOf: optional sign, digits).
  std::string_view digits = volume_number;
  if (digits.starts_with('+')) digits.remove_prefix(1);
  const int32_t nr = ParseInt<int32_t>(digits).value_or(-1);
  auto it = rd->volumes.find(nr);
  if (it == rd->volumes.end()) {
    return ErrorReply(mask | rc::kFailNotFoundVlmDfn,
                      "Volume definition with number '" + volume_number +
                          "' of resource definition '" + rd->name + "' not found.",
                      {}, {{"RscDfn", rd->name}, {"VlmNr", volume_number}});
  }
  VolumeDefinition& vd = it->second;
  ApiCallRcList rc;
  if (req.size_kib && *req.size_kib == vd.size_kib) {
    // CtrlVlmDfnModifyApiCallHandler: the same size is a warning, nothing is resized.
    rc.Add(rc::kWarnVlmDfnResizeSameSize,
           "VolumeDefinition already has the expected size, no satellite update will be "
           "triggered.");
  }
  if (req.size_kib && *req.size_kib != vd.size_kib) {
    const int64_t delta = *req.size_kib - vd.size_kib;
    // CtrlVlmDfnModifyApiCallHandler.ensureShrinkingIsSupported: only deployed resources with
    // a layer that cannot shrink (DRBD; the default stack is DRBD,STORAGE) refuse it.
    const bool drbd =
        rd->layer_stack.empty() ||
        std::find(rd->layer_stack.begin(), rd->layer_stack.end(), "DRBD") != rd->layer_stack.end();
    if (delta < 0 && drbd && !rd->resources.empty()) {
      return ErrorReply(mask | rc::kFailInvldVlmSize,
                        "Shrinking volume definition " + std::to_string(nr) + " of '" + rd->name +
                            "' from " + std::to_string(vd.size_kib) + " KiB to " +
                            std::to_string(*req.size_kib) + " KiB is not supported.");
    }
    for (const auto& [node_key, rsc] : rd->resources) {
      if (rsc.diskless) continue;
      const StoragePool* p = FindPool(node_key, rsc.storage_pool);
      if (p != nullptr && p->free_kib() < delta) {
        return ErrorReply(mask | rc::kFailNotEnoughFreeSpace,
                          "Not enough free space in storage pool '" + rsc.storage_pool +
                              "' on node '" + rsc.node + "' to grow by " + std::to_string(delta) +
                              " KiB.");
      }
    }
    Status st = backing_->Resize(VolId(*rd, nr), *req.size_kib);
    if (!st.ok()) {
      return ErrorReply(mask | rc::kFailUnknownError, "Resizing the volume failed.", st.message());
    }
    for (const auto& [node_key, rsc] : rd->resources)
      if (!rsc.diskless) ChargePool(node_key, rsc.storage_pool, delta);
    vd.size_kib = *req.size_kib;
  }
  // VolumeDefinitions.modifyVolumeDefinition passes override_props and delete_props only.
  PropsChange change = req.props;
  change.delete_namespaces.clear();
  ApplyPropsChange(vd.props, change);
  rc.Add(mask | rc::kModified, "Volume definition with number '" + std::to_string(nr) +
                                   "' of resource definition '" + rd->name + "' modified.")
      .obj_refs = {{"RscDfn", rd->name}, {"VlmNr", std::to_string(nr)}};
  return rc.ToReply(200);
}

}  // namespace lcsi::sim
