// CreateVolume: validates the request, then creates by spawn (controller_create_volume_spawn.cc;
// warm path: one LINSTOR request, plus one read of the replicas when the volume is restricted to
// its diskful nodes, plus one autoplace when the first of several replicas goes onto a preferred
// node), by restore from a snapshot (controller_create_volume_from_snapshot.cc) or by clone of a
// volume (controller_create_volume_from_volume.cc). A name that exists already is answered here.
#include <algorithm>
#include <set>

#include "controller/controller.h"
#include "controller/create_plan.h"
#include "controller/hashing.h"
#include "controller/linstor_status.h"
#include "controller/names.h"
#include "controller/parameter_map.h"
#include "controller/props.h"
#include "controller/remote_access_topology.h"
#include "controller/topology_placement.h"
#include "controller/volume_capabilities.h"
#include "controller/volume_size.h"

namespace lcsi::controller {

namespace {

// What later calls (ControllerPublishVolume, the node) need of the class's parameters, carried
// in the volume context.
void FillVolumeContext(const VolumeParameters& params, const std::string& driver_name,
                       google::protobuf::Map<std::string, std::string>* context) {
  auto& ctx = *context;
  if (!params.fs_opts.empty()) ctx[FsOptsContextKey(driver_name)] = params.fs_opts;
  if (!params.mount_opts.empty()) {
    ctx[MountOptsContextKey(driver_name)] = params.mount_opts;
  }
  if (!params.in_use_wait.empty()) {
    ctx[InUseWaitContextKey(driver_name)] = params.in_use_wait;
  }
  if (!params.post_mount_xfs_opts.empty()) {
    ctx[PostMountXfsOptsContextKey(driver_name)] = params.post_mount_xfs_opts;
  }
}

}  // namespace

Status Controller::CreateVolume(const csi::v1::CreateVolumeRequest& req,
                                csi::v1::CreateVolumeResponse* resp) {
  if (req.name().empty()) return InvalidArgument("CreateVolume: name is required");
  LCSI_RETURN_IF_ERROR(CheckVolumeCapabilityShapes(req.volume_capabilities()));
  LCSI_RETURN_IF_ERROR(CheckContentSourceExists(req));  // NotFound before other verdicts
  LCSI_RETURN_IF_ERROR(CheckVolumeCapabilities(req.volume_capabilities()));
  auto params = ParseVolumeParameters(ToParameterMap(req.parameters()), options_.driver_name);
  if (!params.ok()) return params.status();
  auto mutable_params =
      ParseMutableParameters(ToParameterMap(req.mutable_parameters()), options_.driver_name);
  if (!mutable_params.ok()) return mutable_params.status();

  CreatePlan plan;
  plan.csi_name = req.name();
  plan.params = std::move(*params);
  plan.rd = VolumeNameFor(req.name(), plan.params);
  plan.mutable_params = std::move(*mutable_params);
  plan.rg = BuildResourceGroupSpec(plan.params, options_.owner_id);
  plan.range = req.has_capacity_range() ? &req.capacity_range() : nullptr;
  plan.fingerprint =
      Sha256Hex(plan.params.Canonical() + "--\n" + plan.mutable_params.Canonical(), 16);
  if (req.has_volume_content_source()) {
    plan.content_source = &req.volume_content_source();
    const auto& src = req.volume_content_source();
    if (src.has_snapshot()) {
      if (src.snapshot().snapshot_id().empty()) {
        return InvalidArgument("volume_content_source.snapshot.snapshot_id is empty");
      }
      plan.source = "snapshot:" + src.snapshot().snapshot_id();
    } else if (src.has_volume()) {
      if (src.volume().volume_id().empty()) {
        return InvalidArgument("volume_content_source.volume.volume_id is empty");
      }
      plan.source = "volume:" + src.volume().volume_id();
    } else {
      return InvalidArgument("volume_content_source names neither a snapshot nor a volume");
    }
  } else {
    // Validate the range before touching LINSTOR. A volume too small for its filesystem would
    // fail at every NodeStageVolume: round it up now, or refuse.
    auto fs = FilesystemNeedOf(req.volume_capabilities(), plan.params.fs_type);
    if (!fs.ok()) return fs.status();
    auto size =
        SizeKibForFilesystem(plan.range, options_.default_size_kib, fs->fs_type, fs->min_kib);
    if (!size.ok()) return size.status();
    plan.size_kib = *size;
  }

  auto guard = Lock("vol:" + plan.rd, "volume " + plan.rd);
  if (!guard.ok()) return guard.status();

  // AutoPlace and Manual placement do not consult the CO's topology (as in linstor-csi).
  if (req.has_accessibility_requirements() &&
      plan.params.placement_policy == PlacementPolicy::kAutoPlaceTopology) {
    auto placement = PlanTopologyPlacement(
        topology_, req.accessibility_requirements(), plan.params.remote_access,
        plan.params.node_list, [this] { return ListNodesForTopology(); }, plan.csi_name);
    if (!placement.ok()) return placement.status();
    plan.allowed_nodes = std::move(placement->allowed_nodes);
    plan.near_nodes = std::move(placement->near_nodes);
    plan.requisite_to_verify = placement->requisite_to_verify;
    // Restore and clone put replicas where the source's data is: check the requisite now.
    if (!plan.source.empty()) LCSI_RETURN_IF_ERROR(VerifyRequisite(plan));
  }

  if (req.has_accessibility_requirements() &&
      plan.params.placement_policy == PlacementPolicy::kFollowTopology) {
    const auto& reqs = req.accessibility_requirements();
    for (const auto* list : {&reqs.preferred(), &reqs.requisite()}) {
      for (const auto& t : *list) {
        auto it = t.segments().find(topology_.node_key());
        if (it == t.segments().end()) continue;  // linstor-csi skips segments without a node
        if (std::find(plan.follow_nodes.begin(), plan.follow_nodes.end(), it->second) ==
            plan.follow_nodes.end()) {
          plan.follow_nodes.push_back(it->second);
        }
      }
    }
    plan.follow_requisite = !reqs.requisite().empty();
  }

  linstor::Props& p = plan.rd_props;
  p[props::Key(props::kOwner)] = options_.owner_id;
  p[props::Key(props::kName)] = plan.csi_name;
  p[props::Key(props::kParams)] = plan.fingerprint;
  p[props::Key(props::kRemoteAccess)] = plan.params.remote_access.Canonical();
  if (!plan.source.empty()) p[props::Key(props::kSource)] = plan.source;
  if (!plan.params.pvc_name.empty()) p[props::Key(props::kPvcName)] = plan.params.pvc_name;
  if (!plan.params.pvc_namespace.empty()) {
    p[props::Key(props::kPvcNamespace)] = plan.params.pvc_namespace;
  }
  if (!plan.params.pv_name.empty()) p[props::Key(props::kPvName)] = plan.params.pv_name;
  std::set<std::string> modified;
  for (const auto& [k, v] : plan.mutable_params.drbd_props) {
    p[k] = v;
    modified.insert(k);
  }
  if (!modified.empty()) p[props::Key(props::kModified)] = props::JoinModifiedKeys(modified);

  LCSI_RETURN_IF_ERROR(groups_.Ensure(plan.rg));
  return CreateVolumeLocked(plan, resp, 0);
}

Status Controller::CreateVolumeLocked(CreatePlan& plan, csi::v1::CreateVolumeResponse* resp,
                                      int attempt) {
  Result<CreateOutcome> outcome = CreateOutcome::kCreated;
  if (plan.source.rfind("snapshot:", 0) == 0) {
    outcome = CreateFromSnapshot(plan);
  } else if (plan.source.rfind("volume:", 0) == 0) {
    outcome = CreateByClone(plan);
  } else {
    outcome = CreateBySpawn(plan);
  }
  if (!outcome.ok()) return outcome.status();
  if (*outcome == CreateOutcome::kCreated) return RespondCreated(plan, resp);

  auto verdict = InspectExisting(plan, resp);
  if (!verdict.ok()) return verdict.status();
  if (*verdict == ExistingVerdict::kReused) return Status::Ok();
  if (attempt >= 1) {
    return Aborted("volume " + plan.rd + " keeps changing under this CreateVolume; retry later");
  }
  return CreateVolumeLocked(plan, resp, attempt + 1);
}

// ---- an RD with this name exists already ----

Result<Controller::ExistingVerdict> Controller::InspectExisting(
    CreatePlan& plan, csi::v1::CreateVolumeResponse* resp) {
  auto rd = ReadDefinitionWithSizes(plan.rd);
  if (rd.IsNotFound()) return ExistingVerdict::kRedo;  // vanished meanwhile
  if (!rd.ok()) return FromLinstor(rd, "reading existing volume " + plan.rd);
  const std::string conflict =
      "volume " + plan.csi_name + " (LINSTOR resource definition " + plan.rd + ") already exists";
  if (!Owns(rd->props)) {
    return AlreadyExists(conflict + " and is not owned by this plugin (owner id " +
                         options_.owner_id + ")");
  }
  if (props::IsUnfinishedCreateOf(rd->props, plan.csi_name)) {
    // A restore or clone of this CSI volume that did not finish. A running clone of the same
    // source and parameters is picked up; anything else is removed and done again.
    if (plan.source.rfind("volume:", 0) == 0 && props::Is(rd->props, props::kSource, plan.source) &&
        props::Is(rd->props, props::kParams, plan.fingerprint)) {
      const std::string src = plan.content_source->volume().volume_id();
      auto source = LoadVolume(src, /*with_sizes=*/true);
      if (source.ok()) {
        const int64_t src_kib = VolumeZeroKib(source->volume_definitions);
        auto want = SizeKibForRange(plan.range, src_kib, src_kib);
        if (!want.ok()) return want.status();
        plan.size_kib = *want;
        Status finished = FinishClone(plan, src);
        if (finished.ok()) {
          LCSI_RETURN_IF_ERROR(RespondCreated(plan, resp));
          return ExistingVerdict::kReused;
        }
        if (finished.code() != Code::kFailedPrecondition) return finished;
      }
    }
    DeleteIfOurs(plan.rd, plan.csi_name);
    return ExistingVerdict::kRedo;
  }
  if (!props::Is(rd->props, props::kName, plan.csi_name)) {
    return AlreadyExists(conflict + " for CSI volume '" +
                         props::Get(rd->props, props::kName).value_or("") + "'");
  }
  if (props::Get(rd->props, props::kDeleted)) {
    return AlreadyExists(conflict +
                         ": it was deleted, but snapshots of it still exist; delete "
                         "them or use another name");
  }
  if (!props::Is(rd->props, props::kSource, plan.source) &&
      !(plan.source.empty() && !props::Get(rd->props, props::kSource))) {
    return AlreadyExists(conflict + " with a different content source");
  }
  if (!props::Is(rd->props, props::kParams, plan.fingerprint)) {
    return AlreadyExists(conflict + " with different parameters");
  }
  if (props::Get(rd->props, props::kIncomplete)) {
    return AlreadyExists(conflict + ": another CSI volume's create is still under way there");
  }
  const int64_t kib = VolumeZeroKib(rd->volume_definitions);
  if (!SizeSatisfies(plan.range, kib)) {
    return AlreadyExists(conflict + " with size " + std::to_string(KibToBytes(kib)) +
                         " bytes, outside the requested capacity range");
  }
  auto resources = VolumeResources(plan.rd);
  if (!resources.ok()) return resources.status();
  const bool any_diskful = std::any_of(resources->begin(), resources->end(),
                                       [](const linstor::Resource& r) { return r.IsDiskful(); });
  if (!any_diskful) {
    DeleteIfOurs(plan.rd, plan.csi_name);  // a leftover without data
    return ExistingVerdict::kRedo;
  }
  auto served = NodesForServedTopology(rd->props, *resources);
  if (!served.ok()) return served.status();
  FillVolume(*rd, &*resources, resp->mutable_volume(), &*served);
  if (plan.content_source) *resp->mutable_volume()->mutable_content_source() = *plan.content_source;
  FillVolumeContext(plan.params, options_.driver_name,
                    resp->mutable_volume()->mutable_volume_context());
  return ExistingVerdict::kReused;
}

Status Controller::RespondCreated(CreatePlan& plan, csi::v1::CreateVolumeResponse* resp) {
  csi::v1::Volume* v = resp->mutable_volume();
  v->set_volume_id(plan.rd);
  v->set_capacity_bytes(KibToBytes(plan.size_kib));
  if (plan.content_source) *v->mutable_content_source() = *plan.content_source;
  FillVolumeContext(plan.params, options_.driver_name, v->mutable_volume_context());
  if (plan.params.remote_access.anywhere()) return Status::Ok();
  // Usable only near a diskful replica: one read of where they landed (and, for rules, one
  // read of those nodes' topology).
  auto resources = VolumeResources(plan.rd);
  if (!resources.ok()) return resources.status();
  std::vector<std::string> diskful;
  for (const auto& r : *resources)
    if (r.name == plan.rd && r.IsDiskful()) diskful.push_back(r.node_name);
  auto nodes = NodesForServedTopology(plan.rd_props, *resources);
  if (!nodes.ok()) return nodes.status();
  for (auto& t : ServedTopologies(topology_, plan.params.remote_access, diskful, *nodes)) {
    *v->add_accessible_topology() = std::move(t);
  }
  return Status::Ok();
}

}  // namespace lcsi::controller
