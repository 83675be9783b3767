// CreateVolume: spawn (warm path: one LINSTOR request, plus one read of the replicas when the
// volume is restricted to its diskful nodes, plus one autoplace when the first of several
// replicas goes onto a preferred node), restore from a snapshot, or clone a volume.
#include <spdlog/spdlog.h>

#include <algorithm>
#include <chrono>

#include "controller/controller.h"
#include "controller/create_plan.h"
#include "controller/hashing.h"
#include "controller/linstor_status.h"
#include "controller/names.h"
#include "controller/props.h"
#include "controller/topology_placement.h"
#include "controller/volume_capabilities.h"
#include "controller/volume_size.h"

namespace lcsi::controller {

namespace {

ParameterMap ToMap(const google::protobuf::Map<std::string, std::string>& m) {
  return ParameterMap(m.begin(), m.end());
}

}  // namespace

Status Controller::CreateVolume(const csi::v1::CreateVolumeRequest& req,
                                csi::v1::CreateVolumeResponse* resp) {
  if (req.name().empty()) return InvalidArgument("CreateVolume: name is required");
  LCSI_RETURN_IF_ERROR(CheckVolumeCapabilityShapes(req.volume_capabilities()));
  LCSI_RETURN_IF_ERROR(CheckContentSourceExists(req));  // NotFound before other verdicts
  LCSI_RETURN_IF_ERROR(CheckVolumeCapabilities(req.volume_capabilities()));
  auto params = ParseVolumeParameters(ToMap(req.parameters()), options_.driver_name);
  if (!params.ok()) return params.status();
  auto mutable_params =
      ParseMutableParameters(ToMap(req.mutable_parameters()), options_.driver_name);
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
  for (const auto& [k, v] : plan.mutable_params.drbd_props) p[k] = v;

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

// ---- empty volume: one spawn (two with a preferred node and more than one replica) ----

Result<std::vector<linstor::Node>> Controller::ListNodesForTopology() {
  auto nodes = client_->ListNodes({});
  if (!nodes.ok()) return FromLinstor(nodes, "listing LINSTOR nodes for the topology");
  return std::move(*nodes);
}

Status Controller::VerifyRequisite(const CreatePlan& plan) {
  TopologyPlacement placement;
  placement.requisite_to_verify = plan.requisite_to_verify;
  return VerifyRequisiteReachable(
      topology_, placement, [this] { return ListNodesForTopology(); }, plan.csi_name);
}

linstor::LinstorStatus Controller::SpawnInGroup(CreatePlan& plan,
                                                const linstor::ResourceGroupSpawn& spawn) {
  auto spawned = client_->Spawn(plan.rg.name, spawn);
  if (spawned.IsNotFound()) {
    // Most likely the group vanished behind the cache's back: recreate it and try once more.
    groups_.Invalidate(plan.rg.name);
    Status ensured = groups_.Ensure(plan.rg);
    if (!ensured.ok()) return spawned;
    spawned = client_->Spawn(plan.rg.name, spawn);
  }
  return spawned;
}

Status Controller::SpawnFailed(CreatePlan& plan, const linstor::LinstorStatus& spawned) {
  const std::string what = "creating volume " + plan.rd + " in resource group " + plan.rg.name;
  // Spawn is all or nothing in LINSTOR, but make sure: no half-made RD stays behind. After
  // an outage the RD may or may not exist; the retry's InspectExisting sorts that out.
  if (!spawned.error().IsRetryable()) DeleteIfOurs(plan.rd, plan.csi_name);
  if (spawned.IsNotFound()) {
    // A storage pool or node of the filter does not exist: nothing can be placed.
    return FromLinstorAs(Code::kResourceExhausted, spawned.error(), what);
  }
  return FromLinstor(spawned, what);
}

Result<Controller::CreateOutcome> Controller::CreateBySpawn(CreatePlan& plan) {
  if (plan.params.placement_policy == PlacementPolicy::kManual) return CreateManual(plan);
  if (!plan.near_nodes.empty()) {
    auto near = SpawnNearConsumer(plan);
    if (!near.ok()) return near.status();
    if (*near) return **near;
  }
  LCSI_RETURN_IF_ERROR(VerifyRequisite(plan));
  linstor::ResourceGroupSpawn spawn;
  spawn.resource_definition_name = plan.rd;
  spawn.volume_sizes = {plan.size_kib};
  spawn.resource_definition_props = plan.rd_props;
  linstor::SelectFilter filter;
  if (plan.allowed_nodes) filter.node_name_list = *plan.allowed_nodes;
  if (plan.mutable_params.placement_count) filter.place_count = plan.mutable_params.placement_count;
  if (filter != linstor::SelectFilter{}) spawn.select_filter = filter;

  auto spawned = SpawnInGroup(plan, spawn);
  if (spawned.Is(linstor::LinstorErrorKind::kAlreadyExists)) return CreateOutcome::kExists;
  if (!spawned.ok()) return SpawnFailed(plan, spawned);
  return CreateOutcome::kCreated;
}

// The first replica on a node near the consumer: a spawn restricted to those nodes with one
// replica, then an autoplace up to the wanted count. nullopt: no near node could take it (nothing
// was left behind), the caller places the volume without preference.
Result<std::optional<Controller::CreateOutcome>> Controller::SpawnNearConsumer(CreatePlan& plan) {
  const std::optional<int32_t> wanted = WantedReplicas(plan);
  linstor::ResourceGroupSpawn spawn;
  spawn.resource_definition_name = plan.rd;
  spawn.volume_sizes = {plan.size_kib};
  spawn.resource_definition_props = plan.rd_props;
  linstor::SelectFilter filter;
  filter.node_name_list = plan.near_nodes;
  filter.place_count = 1;
  // Diskless resources on the remaining nodes wait for the full count (the autoplace below
  // applies the class's setting).
  if (!wanted || *wanted > 1) filter.diskless_on_remaining = false;
  spawn.select_filter = filter;

  auto spawned = SpawnInGroup(plan, spawn);
  using Near = std::optional<CreateOutcome>;
  if (spawned.Is(linstor::LinstorErrorKind::kAlreadyExists)) return Near(CreateOutcome::kExists);
  const bool cannot_place = spawned.Is(linstor::LinstorErrorKind::kNotEnoughNodes) ||
                            spawned.Is(linstor::LinstorErrorKind::kNoSpace);
  if (cannot_place) {
    spdlog::info("volume {}: no replica fits on the preferred node(s) {} ({}); placing it anywhere",
                 plan.rd, plan.near_nodes.front(), spawned.error().message());
    return Near();
  }
  if (!spawned.ok()) return SpawnFailed(plan, spawned);
  if (wanted && *wanted <= 1) return Near(CreateOutcome::kCreated);

  Status placed = PlaceRemainingReplicas(plan, 1);
  if (placed.ok()) return Near(CreateOutcome::kCreated);
  DeleteIfOurs(plan.rd, plan.csi_name);
  if (placed.code() == Code::kResourceExhausted) {
    // The replica near the consumer left no room for the others (replicasOnSame, say).
    spdlog::info("volume {}: with a replica on {} the others do not fit ({}); placing it anywhere",
                 plan.rd, plan.near_nodes.front(), placed.message());
    return Near();
  }
  return placed;
}

std::optional<int32_t> Controller::WantedReplicas(const CreatePlan& plan) const {
  if (plan.mutable_params.placement_count) return plan.mutable_params.placement_count;
  return plan.rg.select_filter.place_count;
}

Status Controller::PlaceRemainingReplicas(CreatePlan& plan, std::optional<int32_t> diskful) {
  const std::optional<int32_t> wanted = WantedReplicas(plan);
  if (wanted && !diskful) {
    auto resources = VolumeResources(plan.rd);
    if (!resources.ok()) return resources.status();
    int32_t n = 0;
    for (const auto& r : *resources) n += (r.name == plan.rd && r.IsDiskful()) ? 1 : 0;
    diskful = n;
  }
  // LINSTOR refuses an autoplace that would have to remove replicas: only ask for more.
  if (wanted && diskful && *diskful >= *wanted) return Status::Ok();
  linstor::AutoPlaceRequest ap;
  if (plan.allowed_nodes) ap.select_filter.node_name_list = *plan.allowed_nodes;
  if (wanted) ap.select_filter.place_count = *wanted;
  auto placed = client_->AutoPlace(plan.rd, ap);
  if (!placed.ok()) return FromLinstor(placed, "placing the replicas of volume " + plan.rd);
  return Status::Ok();
}

Status Controller::ClearIncomplete(CreatePlan& plan) {
  linstor::PropsModify m;
  m.delete_props = {props::Key(props::kIncomplete)};
  auto r = client_->ModifyResourceDefinition(plan.rd, m);
  return FromLinstor(r, "finishing volume " + plan.rd);
}

Result<Controller::CreateOutcome> Controller::CreateEmptyDefinition(CreatePlan& plan) {
  linstor::ResourceDefinitionCreate create;
  create.name = plan.rd;
  create.resource_group_name = plan.rg.name;
  create.props = plan.rd_props;
  // The marker names the CSI volume: a restore overwrites Aux/csi-name with the source's, and a
  // retry must still recognise its own unfinished volume.
  create.props[props::Key(props::kIncomplete)] = plan.csi_name;
  auto created = client_->CreateResourceDefinition(create);
  if (created.IsNotFound()) {
    groups_.Invalidate(plan.rg.name);
    LCSI_RETURN_IF_ERROR(groups_.Ensure(plan.rg));
    created = client_->CreateResourceDefinition(create);
  }
  if (created.Is(linstor::LinstorErrorKind::kAlreadyExists)) return CreateOutcome::kExists;
  if (!created.ok()) return FromLinstor(created, "creating volume " + plan.rd);
  return CreateOutcome::kCreated;
}

// ---- from a snapshot: empty RD in the class's group, restore VD and resources, then place the
// remaining replicas. Works from any snapshot, not only the newest.

Result<Controller::CreateOutcome> Controller::CreateFromSnapshot(CreatePlan& plan) {
  const std::string id = plan.content_source->snapshot().snapshot_id();
  auto ref = DecodeSnapshotId(id);
  if (!ref)
    return SourceMissing(plan.rd, plan.csi_name, "source snapshot " + id + " does not exist");
  auto snap = client_->GetSnapshot(ref->resource_definition, ref->snapshot);
  if (snap.IsNotFound()) {
    return SourceMissing(plan.rd, plan.csi_name, "source snapshot " + id + " does not exist");
  }
  if (!snap.ok()) return FromLinstor(snap, "reading source snapshot " + id);
  if (!OwnsSnapshot(*snap)) {
    return SourceMissing(plan.rd, plan.csi_name,
                         "source snapshot " + id + " does not exist for this plugin (not owned)");
  }
  if (!snap->IsSuccessful()) {
    return Unavailable("source snapshot " + id + " is not ready yet");
  }
  const int64_t snap_kib = VolumeZeroKib(snap->volume_definitions);
  auto size = SizeKibForRange(plan.range, snap_kib, snap_kib);
  if (!size.ok()) return size.status();
  plan.size_kib = *size;

  auto outcome = CreateEmptyDefinition(plan);
  if (!outcome.ok() || *outcome == CreateOutcome::kExists) return outcome;
  Status restored = RestoreInto(plan, ref->resource_definition, *snap);
  if (!restored.ok()) {
    DeleteIfOurs(plan.rd, plan.csi_name);
    return restored;
  }
  return CreateOutcome::kCreated;
}

Status Controller::RestoreInto(CreatePlan& plan, const std::string& src_rd,
                               const linstor::Snapshot& snap) {
  const std::string what = "restoring snapshot " + src_rd + "/" + snap.name + " into " + plan.rd;
  auto nodes = snap.nodes;
  if (plan.allowed_nodes) {
    nodes = IntersectNodes(nodes, *plan.allowed_nodes);
    if (nodes.empty()) {
      return ResourceExhausted(what + ": the snapshot lives on nodes none of which is in the " +
                               "requisite topology");
    }
  }
  // As many replicas as the class wants (all of the snapshot's when that is unknown).
  if (auto wanted = WantedReplicas(plan); wanted && static_cast<int32_t>(nodes.size()) > *wanted) {
    nodes.resize(static_cast<size_t>(*wanted));
  }
  auto vd = client_->RestoreVolumeDefinition(src_rd, snap.name, plan.rd);
  if (!vd.ok()) return FromLinstor(vd, what + " (volume definition)");
  // LINSTOR restores only into volume definitions of the snapshot's size
  // (CtrlSnapshotRestoreApiCallHandler.restoreOnNode): restore, then grow.
  linstor::SnapshotRestore restore;
  restore.to_resource = plan.rd;
  restore.nodes = nodes;
  auto resources = client_->RestoreSnapshot(src_rd, snap.name, restore);
  if (!resources.ok()) return FromLinstor(resources, what + " (resources)");
  const int64_t snap_kib = VolumeZeroKib(snap.volume_definitions);
  if (plan.size_kib > snap_kib) {
    auto grown = client_->ResizeVolumeDefinition(plan.rd, 0, plan.size_kib);
    if (!grown.ok()) return FromLinstor(grown, what + " (growing to the requested size)");
  }
  Status placed = PlaceRemainingReplicas(plan, static_cast<int32_t>(nodes.size()));
  if (!placed.ok()) {
    // The restored replicas hold the data; fewer of them than asked is not fatal.
    if (placed.code() != Code::kResourceExhausted) return placed;
    spdlog::warn("volume {}: {}", plan.rd, placed.message());
  }
  return FinishRestoredProperties(plan, snap);
}

// The restore copied the source volume's properties, as captured in the snapshot, over the new
// RD's: its owner, CSI name, parameters, publications... One PUT puts this volume's own back,
// drops the source's plugin marks and ends the incomplete state.
Status Controller::FinishRestoredProperties(CreatePlan& plan, const linstor::Snapshot& snap) {
  linstor::PropsModify m;
  m.override_props = plan.rd_props;
  m.delete_props.push_back(props::Key(props::kIncomplete));
  for (const auto& [k, v] : snap.resource_definition_props) {
    if (k.rfind(props::kPluginPrefix, 0) == 0 && !plan.rd_props.count(k) &&
        k != props::kIncomplete) {
      m.delete_props.push_back(k);
    }
  }
  auto r = client_->ModifyResourceDefinition(plan.rd, m);
  return FromLinstor(r, "setting the properties of restored volume " + plan.rd);
}

// ---- from a volume: LINSTOR's clone, falling back to a temporary snapshot ----

Result<Controller::CreateOutcome> Controller::CreateByClone(CreatePlan& plan) {
  const std::string src_id = plan.content_source->volume().volume_id();
  auto src = LoadVolume(src_id, /*with_sizes=*/true);
  if (!src.ok()) {
    if (src.status().code() == Code::kNotFound) {
      return SourceMissing(plan.rd, plan.csi_name, "source volume " + src_id + " does not exist");
    }
    return src.status();
  }
  const int64_t src_kib = VolumeZeroKib(src->volume_definitions);
  auto size = SizeKibForRange(plan.range, src_kib, src_kib);
  if (!size.ok()) return size.status();
  plan.size_kib = *size;

  linstor::CloneRequest clone;
  clone.name = plan.rd;
  clone.resource_group = plan.rg.name;
  clone.override_props = plan.rd_props;
  clone.override_props[props::Key(props::kIncomplete)] = plan.csi_name;
  // The clone inherits the source's properties: drop the source's own bookkeeping.
  for (const auto& [k, v] : src->props) {
    if (k.rfind(props::kPluginPrefix, 0) == 0 && !clone.override_props.count(k)) {
      clone.delete_props.push_back(k);
    }
  }
  auto started = client_->StartClone(src_id, clone);
  if (started.Is(linstor::LinstorErrorKind::kAlreadyExists)) return CreateOutcome::kExists;
  if (started.IsNotFound()) return NotFound("source volume " + src_id + " does not exist");
  if (!started.ok()) {
    if (started.error().IsRetryable()) {
      return FromLinstor(started, "cloning volume " + src_id + " into " + plan.rd);
    }
    spdlog::info("volume {}: LINSTOR clone of {} refused ({}); using a snapshot instead", plan.rd,
                 src_id, started.error().message());
    DeleteIfOurs(plan.rd, plan.csi_name);
    return CloneViaSnapshot(plan, *src);
  }
  Status finished = FinishClone(plan, src_id);
  if (finished.code() == Code::kFailedPrecondition) {  // the clone itself failed
    spdlog::info("volume {}: {}; using a snapshot instead", plan.rd, finished.message());
    DeleteIfOurs(plan.rd, plan.csi_name);
    return CloneViaSnapshot(plan, *src);
  }
  if (!finished.ok()) return finished;
  return CreateOutcome::kCreated;
}

Status Controller::WaitForClone(CreatePlan& plan, const std::string& src_rd) {
  const auto deadline = std::chrono::steady_clock::now() + options_.clone_timeout;
  while (true) {
    auto status = client_->GetCloneStatus(src_rd, plan.rd);
    if (!status.ok()) {
      if (status.IsNotFound()) {
        return FailedPrecondition("LINSTOR has no clone of " + src_rd + " into " + plan.rd);
      }
      return FromLinstor(status, "waiting for the clone of " + src_rd + " into " + plan.rd);
    }
    if (status->status == linstor::CloneState::kComplete) return Status::Ok();
    if (status->status == linstor::CloneState::kFailed) {
      return FailedPrecondition("LINSTOR's clone of " + src_rd + " into " + plan.rd + " failed");
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      return Aborted("the clone of " + src_rd + " into " + plan.rd +
                     " is still in progress; retry later");
    }
    Sleep(options_.poll_interval);
  }
}

// Waits for the clone, then grows it, places missing replicas and clears the incomplete mark.
// FailedPrecondition means the clone itself failed.
Status Controller::FinishClone(CreatePlan& plan, const std::string& src_rd) {
  LCSI_RETURN_IF_ERROR(WaitForClone(plan, src_rd));
  auto rd = ReadDefinitionWithSizes(plan.rd);
  if (!rd.ok()) return FromLinstorAs(Code::kAborted, rd.error(), "reading clone " + plan.rd);
  const int64_t kib = VolumeZeroKib(rd->volume_definitions);
  if (plan.size_kib > kib) {
    auto grown = client_->ResizeVolumeDefinition(plan.rd, 0, plan.size_kib);
    if (!grown.ok()) return FromLinstor(grown, "growing clone " + plan.rd);
  }
  Status placed = PlaceRemainingReplicas(plan, std::nullopt);
  if (!placed.ok() && placed.code() != Code::kResourceExhausted) return placed;
  return ClearIncomplete(plan);
}

Result<linstor::Snapshot> Controller::WaitForSnapshot(const std::string& rd,
                                                      const std::string& snap) {
  const auto deadline = std::chrono::steady_clock::now() + options_.clone_timeout;
  while (true) {
    auto s = client_->GetSnapshot(rd, snap);
    if (!s.ok()) return FromLinstor(s, "reading snapshot " + rd + "/" + snap);
    if (s->IsSuccessful()) return std::move(*s);
    if (s->IsFailed()) return Internal("snapshot " + rd + "/" + snap + " failed in LINSTOR");
    if (std::chrono::steady_clock::now() >= deadline) {
      return Aborted("snapshot " + rd + "/" + snap + " is not ready yet; retry later");
    }
    Sleep(options_.poll_interval);
  }
}

Result<Controller::CreateOutcome> Controller::CloneViaSnapshot(
    CreatePlan& plan, const linstor::ResourceDefinition& src) {
  // One temporary snapshot per target, so a retry finds and reuses it.
  const std::string tmp = "csi-tmp-" + Sha256Hex(plan.rd, 16);
  auto existing = client_->GetSnapshot(src.name, tmp);
  if (existing.IsNotFound()) {
    linstor::SnapshotCreate create;
    create.resource_name = src.name;
    create.name = tmp;
    create.props[props::Key(props::kOwner)] = options_.owner_id;
    create.props[props::Key(props::kTemporary)] = plan.rd;
    auto created = client_->CreateSnapshot(create);
    if (!created.ok() && !created.Is(linstor::LinstorErrorKind::kAlreadyExists)) {
      return FromLinstor(created, "snapshotting " + src.name + " to clone it into " + plan.rd);
    }
  } else if (!existing.ok()) {
    return FromLinstor(existing, "reading temporary snapshot " + src.name + "/" + tmp);
  }
  auto snap = WaitForSnapshot(src.name, tmp);
  if (!snap.ok()) return snap.status();

  Result<CreateOutcome> outcome = CreateEmptyDefinition(plan);
  if (outcome.ok() && *outcome == CreateOutcome::kCreated) {
    Status restored = RestoreInto(plan, src.name, *snap);
    if (!restored.ok()) {
      DeleteIfOurs(plan.rd, plan.csi_name);
      outcome = restored;
    }
  }
  if (!outcome.ok() || *outcome == CreateOutcome::kCreated) {
    auto deleted = client_->DeleteSnapshot(src.name, tmp);
    if (!deleted.ok() && !deleted.IsNotFound()) {
      spdlog::warn("could not remove temporary snapshot {}/{}: {}", src.name, tmp,
                   deleted.error().message());
    }
  }
  return outcome;
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
  FillVolumeContext(plan, resp->mutable_volume());
  return ExistingVerdict::kReused;
}

}  // namespace lcsi::controller
