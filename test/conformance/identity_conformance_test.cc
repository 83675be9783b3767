// Identity service and capability rules (spec §Identity Service RPC, §Error Scheme).
#include <regex>

#include "test/conformance/conformance.h"

namespace lcsi::conformance {
namespace {

class Identity : public ConformanceTest {};

TEST_F(Identity, GetPluginInfoNameAndVersion) {
  Spec(
      "GetPluginInfo: name is domain notation, <= 63 chars, alphanumeric at both ends; "
      "vendor_version set; same on controller and node",
      "§GetPluginInfo");
  v1::GetPluginInfoResponse c, n;
  ASSERT_RPC_OK(RPC(stack().controller_identity(), GetPluginInfo, v1::GetPluginInfoRequest(), &c));
  ASSERT_RPC_OK(RPC(stack().node_identity(), GetPluginInfo, v1::GetPluginInfoRequest(), &n));
  static const std::regex kName("^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$");
  for (const auto* info : {&c, &n}) {
    EXPECT_LE(info->name().size(), 63u);
    EXPECT_TRUE(std::regex_match(info->name(), kName)) << info->name();
    EXPECT_FALSE(info->vendor_version().empty());
  }
  EXPECT_EQ(c.name(), stack().options().driver_name);
  EXPECT_EQ(c.name(), n.name());
  EXPECT_EQ(c.vendor_version(), n.vendor_version());
}

TEST_F(Identity, PluginCapabilitiesSameOnEveryInstance) {
  Spec(
      "GetPluginCapabilities: every instance of one version returns the same set, regardless "
      "of which RPCs the instance serves",
      "§GetPluginCapabilities");
  v1::GetPluginCapabilitiesResponse c, n;
  ASSERT_RPC_OK(RPC(stack().controller_identity(), GetPluginCapabilities,
                    v1::GetPluginCapabilitiesRequest(), &c));
  ASSERT_RPC_OK(
      RPC(stack().node_identity(), GetPluginCapabilities, v1::GetPluginCapabilitiesRequest(), &n));
  auto to_set = [](const v1::GetPluginCapabilitiesResponse& r) {
    std::set<std::string> out;
    for (const auto& cap : r.capabilities()) out.insert(cap.ShortDebugString());
    return out;
  };
  EXPECT_EQ(to_set(c), to_set(n)) << "controller: " << c.ShortDebugString()
                                  << "\nnode: " << n.ShortDebugString();
}

TEST_F(Identity, ProbeReady) {
  Spec("Probe: OK with ready unset or true once the plugin serves", "§Probe");
  for (auto* stub : {&stack().controller_identity(), &stack().node_identity()}) {
    v1::ProbeResponse probe;
    ASSERT_RPC_OK(RPC(*stub, Probe, v1::ProbeRequest(), &probe));
    EXPECT_TRUE(!probe.has_ready() || probe.ready().value());
  }
}

TEST_F(Identity, CapabilitiesHaveNoUnknownEntries) {
  Spec("Get*Capabilities: every entry names a defined capability (no UNKNOWN)",
       "§GetPluginCapabilities, §ControllerGetCapabilities, §NodeGetCapabilities");
  EXPECT_EQ(caps().plugin.count(0), 0u);
  EXPECT_EQ(caps().expansion.count(0), 0u);
  EXPECT_EQ(caps().controller.count(0), 0u);
  EXPECT_EQ(caps().node.count(0), 0u);
  EXPECT_EQ(caps().group.count(0), 0u);
  EXPECT_TRUE(caps().Plugin(v1::PluginCapability::Service::CONTROLLER_SERVICE))
      << "the controller binary serves the Controller service but does not advertise it";
}

TEST_F(Identity, CapabilityDependencies) {
  Spec(
      "capability implications: ONLINE/OFFLINE expansion needs controller or node "
      "EXPAND_VOLUME; LIST_VOLUMES_PUBLISHED_NODES needs PUBLISH_UNPUBLISH_VOLUME; topology in "
      "NodeGetInfo needs VOLUME_ACCESSIBILITY_CONSTRAINTS",
      "§PluginCapability.VolumeExpansion, §ControllerServiceCapability, §NodeGetInfo");
  using C = v1::ControllerServiceCapability::RPC;
  using N = v1::NodeServiceCapability::RPC;
  if (!caps().expansion.empty()) {
    EXPECT_TRUE(caps().Controller(C::EXPAND_VOLUME) || caps().Node(N::EXPAND_VOLUME));
  }
  if (caps().expansion.count(v1::PluginCapability::VolumeExpansion::OFFLINE)) {
    EXPECT_TRUE(caps().Controller(C::EXPAND_VOLUME));
  }
  if (caps().Controller(C::LIST_VOLUMES_PUBLISHED_NODES)) {
    EXPECT_TRUE(caps().Controller(C::PUBLISH_UNPUBLISH_VOLUME));
  }
  v1::NodeGetInfoResponse info;
  ASSERT_RPC_OK(RPC(node(), NodeGetInfo, v1::NodeGetInfoRequest(), &info));
  if (info.has_accessible_topology() && !info.accessible_topology().segments().empty()) {
    EXPECT_TRUE(caps().Plugin(v1::PluginCapability::Service::VOLUME_ACCESSIBILITY_CONSTRAINTS));
  }
}

// Each gated RPC is called with an empty request: an advertised one must be implemented
// (any code but UNIMPLEMENTED), an unadvertised one must answer UNIMPLEMENTED.
void CheckGate(bool advertised, const grpc::Status& s, const std::string& rpc) {
  if (advertised) {
    EXPECT_NE(s.error_code(), grpc::StatusCode::UNIMPLEMENTED)
        << rpc << " is advertised but UNIMPLEMENTED";
  } else {
    EXPECT_CODE(s, grpc::StatusCode::UNIMPLEMENTED) << rpc << " is not advertised";
  }
}

TEST_F(Identity, ControllerRpcsMatchCapabilities) {
  Spec(
      "controller RPCs: advertised capability => implemented; not advertised => "
      "UNIMPLEMENTED (Call not implemented)",
      "§ControllerServiceCapability, §Error Scheme");
  using C = v1::ControllerServiceCapability::RPC;
  auto& c = controller();
  {
    v1::CreateVolumeResponse r;
    CheckGate(caps().Controller(C::CREATE_DELETE_VOLUME),
              RPC(c, CreateVolume, v1::CreateVolumeRequest(), &r), "CreateVolume");
  }
  {
    v1::DeleteVolumeResponse r;
    CheckGate(caps().Controller(C::CREATE_DELETE_VOLUME),
              RPC(c, DeleteVolume, v1::DeleteVolumeRequest(), &r), "DeleteVolume");
  }
  {
    v1::ControllerPublishVolumeResponse r;
    CheckGate(caps().Controller(C::PUBLISH_UNPUBLISH_VOLUME),
              RPC(c, ControllerPublishVolume, v1::ControllerPublishVolumeRequest(), &r),
              "ControllerPublishVolume");
  }
  {
    v1::ControllerUnpublishVolumeResponse r;
    CheckGate(caps().Controller(C::PUBLISH_UNPUBLISH_VOLUME),
              RPC(c, ControllerUnpublishVolume, v1::ControllerUnpublishVolumeRequest(), &r),
              "ControllerUnpublishVolume");
  }
  {
    v1::ListVolumesResponse r;
    CheckGate(caps().Controller(C::LIST_VOLUMES), RPC(c, ListVolumes, v1::ListVolumesRequest(), &r),
              "ListVolumes");
  }
  {
    v1::GetCapacityResponse r;
    CheckGate(caps().Controller(C::GET_CAPACITY), RPC(c, GetCapacity, v1::GetCapacityRequest(), &r),
              "GetCapacity");
  }
  {
    v1::CreateSnapshotResponse r;
    CheckGate(caps().Controller(C::CREATE_DELETE_SNAPSHOT),
              RPC(c, CreateSnapshot, v1::CreateSnapshotRequest(), &r), "CreateSnapshot");
  }
  {
    v1::DeleteSnapshotResponse r;
    CheckGate(caps().Controller(C::CREATE_DELETE_SNAPSHOT),
              RPC(c, DeleteSnapshot, v1::DeleteSnapshotRequest(), &r), "DeleteSnapshot");
  }
  {
    v1::ListSnapshotsResponse r;
    CheckGate(caps().Controller(C::LIST_SNAPSHOTS),
              RPC(c, ListSnapshots, v1::ListSnapshotsRequest(), &r), "ListSnapshots");
  }
  {
    v1::GetSnapshotResponse r;
    CheckGate(caps().Controller(C::GET_SNAPSHOT), RPC(c, GetSnapshot, v1::GetSnapshotRequest(), &r),
              "GetSnapshot");
  }
  {
    v1::ControllerExpandVolumeResponse r;
    CheckGate(caps().Controller(C::EXPAND_VOLUME),
              RPC(c, ControllerExpandVolume, v1::ControllerExpandVolumeRequest(), &r),
              "ControllerExpandVolume");
  }
  {
    v1::ControllerGetVolumeResponse r;
    CheckGate(caps().Controller(C::GET_VOLUME),
              RPC(c, ControllerGetVolume, v1::ControllerGetVolumeRequest(), &r),
              "ControllerGetVolume");
  }
  {
    v1::ControllerModifyVolumeResponse r;
    CheckGate(caps().Controller(C::MODIFY_VOLUME),
              RPC(c, ControllerModifyVolume, v1::ControllerModifyVolumeRequest(), &r),
              "ControllerModifyVolume");
  }
  // REQUIRED for every controller plugin.
  v1::ValidateVolumeCapabilitiesResponse r;
  EXPECT_NE(
      RPC(c, ValidateVolumeCapabilities, v1::ValidateVolumeCapabilitiesRequest(), &r).error_code(),
      grpc::StatusCode::UNIMPLEMENTED)
      << "ValidateVolumeCapabilities MUST be implemented";
}

TEST_F(Identity, GroupControllerAndSnapshotMetadataMatchCapabilities) {
  Spec(
      "GroupController RPCs implemented iff GROUP_CONTROLLER_SERVICE (+ "
      "CREATE_DELETE_GET_VOLUME_GROUP_SNAPSHOT); SnapshotMetadata UNIMPLEMENTED unless "
      "SNAPSHOT_METADATA_SERVICE",
      "§GroupController Service RPCs, §Snapshot Metadata Service RPCs, §Error Scheme");
  bool service = caps().Plugin(v1::PluginCapability::Service::GROUP_CONTROLLER_SERVICE);
  bool group_snap =
      service &&
      caps().Group(
          v1::GroupControllerServiceCapability::RPC::CREATE_DELETE_GET_VOLUME_GROUP_SNAPSHOT);
  {
    v1::GroupControllerGetCapabilitiesResponse r;
    CheckGate(service,
              RPC(group(), GroupControllerGetCapabilities,
                  v1::GroupControllerGetCapabilitiesRequest(), &r),
              "GroupControllerGetCapabilities");
  }
  {
    v1::CreateVolumeGroupSnapshotResponse r;
    CheckGate(group_snap,
              RPC(group(), CreateVolumeGroupSnapshot, v1::CreateVolumeGroupSnapshotRequest(), &r),
              "CreateVolumeGroupSnapshot");
  }
  {
    v1::DeleteVolumeGroupSnapshotResponse r;
    CheckGate(group_snap,
              RPC(group(), DeleteVolumeGroupSnapshot, v1::DeleteVolumeGroupSnapshotRequest(), &r),
              "DeleteVolumeGroupSnapshot");
  }
  {
    v1::GetVolumeGroupSnapshotResponse r;
    CheckGate(group_snap,
              RPC(group(), GetVolumeGroupSnapshot, v1::GetVolumeGroupSnapshotRequest(), &r),
              "GetVolumeGroupSnapshot");
  }
  if (!caps().Plugin(v1::PluginCapability::Service::SNAPSHOT_METADATA_SERVICE)) {
    auto ctx = testing::Ctx();
    v1::GetMetadataAllocatedRequest req;
    auto reader = stack().snapshot_metadata().GetMetadataAllocated(ctx.get(), req);
    v1::GetMetadataAllocatedResponse msg;
    while (reader->Read(&msg)) {
    }
    EXPECT_CODE(reader->Finish(), grpc::StatusCode::UNIMPLEMENTED);
  }
}

TEST_F(Identity, NodeRpcsMatchCapabilities) {
  Spec(
      "node RPCs: STAGE_UNSTAGE_VOLUME, GET_VOLUME_STATS/VOLUME_CONDITION, EXPAND_VOLUME "
      "gate NodeStage/Unstage, NodeGetVolumeStats, NodeExpandVolume; otherwise UNIMPLEMENTED",
      "§NodeServiceCapability, §Error Scheme");
  using N = v1::NodeServiceCapability::RPC;
  {
    v1::NodeStageVolumeResponse r;
    CheckGate(caps().Node(N::STAGE_UNSTAGE_VOLUME),
              RPC(node(), NodeStageVolume, v1::NodeStageVolumeRequest(), &r), "NodeStageVolume");
  }
  {
    v1::NodeUnstageVolumeResponse r;
    CheckGate(caps().Node(N::STAGE_UNSTAGE_VOLUME),
              RPC(node(), NodeUnstageVolume, v1::NodeUnstageVolumeRequest(), &r),
              "NodeUnstageVolume");
  }
  {
    v1::NodeGetVolumeStatsResponse r;
    CheckGate(caps().Node(N::GET_VOLUME_STATS) || caps().Node(N::VOLUME_CONDITION),
              RPC(node(), NodeGetVolumeStats, v1::NodeGetVolumeStatsRequest(), &r),
              "NodeGetVolumeStats");
  }
  {
    v1::NodeExpandVolumeResponse r;
    CheckGate(caps().Node(N::EXPAND_VOLUME),
              RPC(node(), NodeExpandVolume, v1::NodeExpandVolumeRequest(), &r), "NodeExpandVolume");
  }
}

TEST_F(Identity, NodeGetInfoReportsSatelliteAndTopology) {
  Spec(
      "NodeGetInfo: node_id set (<= 256 bytes, here the LINSTOR satellite the node maps to, "
      "not the CO node name); max_volumes_per_node >= 0; topology keys valid",
      "§NodeGetInfo, §Topology");
  v1::NodeGetInfoResponse info;
  ASSERT_RPC_OK(RPC(node(), NodeGetInfo, v1::NodeGetInfoRequest(), &info));
  EXPECT_FALSE(info.node_id().empty());
  EXPECT_LE(info.node_id().size(), 256u);
  EXPECT_EQ(info.node_id(), stack().options().satellite)
      << "the --satellite-map maps " << stack().options().co_node_name << " to "
      << stack().options().satellite;
  EXPECT_GE(info.max_volumes_per_node(), 0);
  static const std::regex kKey(
      "^([a-z0-9]([a-z0-9.-]{0,61}[a-z0-9])?/)?[A-Za-z0-9]([A-Za-z0-9_.-]{0,61}[A-Za-z0-9])?$");
  static const std::regex kValue("^[A-Za-z0-9]([A-Za-z0-9_.-]{0,61}[A-Za-z0-9])?$");
  for (const auto& [key, value] : info.accessible_topology().segments()) {
    EXPECT_TRUE(std::regex_match(key, kKey)) << key;
    EXPECT_TRUE(std::regex_match(value, kValue)) << key << "=" << value;
  }
}

}  // namespace
}  // namespace lcsi::conformance

namespace lcsi::conformance {
namespace {

TEST_F(Identity, SecretsNeverReachTheLogs) {
  Spec(
      "fields marked csi_secret (secrets maps) are accepted and never logged, at debug level "
      "too, by controller or node",
      "§Secrets Requirements, csi_secret field option (MUST be treated as sensitive, e.g. not "
      "logged)");
  const std::string marker = "s3cr3t-" + Unique("marker");
  auto secrets = [&](auto* map) { (*map)["password"] = marker; };
  auto req = CreateRequest(Unique("secret"), kVolumeBytes, MountCap());
  secrets(req.mutable_secrets());
  v1::CreateVolumeResponse created;
  ASSERT_RPC_OK(RPC(controller(), CreateVolume, req, &created));
  TrackVolume(created.volume().volume_id());
  const std::string id = created.volume().volume_id();
  std::string staging = StagingDir(Unique("st"));
  std::string target = TargetPath(Unique("pod"));

  v1::ControllerPublishVolumeRequest cpub;
  cpub.set_volume_id(id);
  cpub.set_node_id(NodeId());
  *cpub.mutable_volume_capability() = MountCap();
  secrets(cpub.mutable_secrets());
  v1::ControllerPublishVolumeResponse cpr;
  ASSERT_RPC_OK(RPC(controller(), ControllerPublishVolume, cpub, &cpr));
  TrackPublication(id, NodeId());
  v1::NodeStageVolumeRequest stage;
  stage.set_volume_id(id);
  stage.set_staging_target_path(staging);
  *stage.mutable_volume_capability() = MountCap();
  stage.mutable_publish_context()->insert(cpr.publish_context().begin(),
                                          cpr.publish_context().end());
  secrets(stage.mutable_secrets());
  v1::NodeStageVolumeResponse sr;
  ASSERT_RPC_OK(RPC(node(), NodeStageVolume, stage, &sr));
  TrackStage(id, staging);
  v1::NodePublishVolumeRequest publish;
  publish.set_volume_id(id);
  publish.set_staging_target_path(staging);
  publish.set_target_path(target);
  *publish.mutable_volume_capability() = MountCap();
  secrets(publish.mutable_secrets());
  v1::NodePublishVolumeResponse pr;
  ASSERT_RPC_OK(RPC(node(), NodePublishVolume, publish, &pr));
  TrackNodePublish(id, target);
  v1::CreateSnapshotRequest snap;
  snap.set_source_volume_id(id);
  snap.set_name(Unique("secretsnap"));
  secrets(snap.mutable_secrets());
  v1::CreateSnapshotResponse snr;
  ASSERT_RPC_OK(RPC(controller(), CreateSnapshot, snap, &snr));
  TrackSnapshot(snr.snapshot().snapshot_id());
  // A failing call logs its request context too.
  v1::ControllerExpandVolumeRequest bad;
  bad.set_volume_id("pvc-unknown-secret");
  bad.mutable_capacity_range()->set_required_bytes(kVolumeBytes);
  secrets(bad.mutable_secrets());
  v1::ControllerExpandVolumeResponse er;
  (void)RPC(controller(), ControllerExpandVolume, bad, &er);

  std::string controller_log = stack().ControllerLog();
  std::string node_log = stack().NodeLog();
  EXPECT_NE(controller_log.find("CreateVolume"), std::string::npos) << "the log is not written";
  EXPECT_EQ(controller_log.find(marker), std::string::npos) << "a secret is in the controller log";
  EXPECT_EQ(node_log.find(marker), std::string::npos) << "a secret is in the node log";
}

}  // namespace
}  // namespace lcsi::conformance
