#include "test/conformance/conformance.h"

#include <atomic>
#include <filesystem>
#include <map>
#include <mutex>
#include <thread>

namespace lcsi::conformance {
namespace fs = std::filesystem;

const Caps& PluginCaps() {
  static Caps caps;
  static std::once_flag once;
  std::call_once(once, [] {
    CsiStack* stack = Stack();
    if (stack == nullptr) return;
    v1::GetPluginCapabilitiesResponse plugin;
    if (RPC(stack->controller_identity(), GetPluginCapabilities, v1::GetPluginCapabilitiesRequest(),
            &plugin)
            .ok()) {
      for (const auto& c : plugin.capabilities()) {
        if (c.has_service()) caps.plugin.insert(c.service().type());
        if (c.has_volume_expansion()) caps.expansion.insert(c.volume_expansion().type());
      }
    }
    v1::ControllerGetCapabilitiesResponse controller;
    if (RPC(stack->controller(), ControllerGetCapabilities, v1::ControllerGetCapabilitiesRequest(),
            &controller)
            .ok()) {
      for (const auto& c : controller.capabilities()) caps.controller.insert(c.rpc().type());
    }
    v1::NodeGetCapabilitiesResponse node;
    if (stack->options().start_node &&
        RPC(stack->node(), NodeGetCapabilities, v1::NodeGetCapabilitiesRequest(), &node).ok()) {
      for (const auto& c : node.capabilities()) caps.node.insert(c.rpc().type());
    }
    v1::GroupControllerGetCapabilitiesResponse group;
    if (caps.plugin.count(v1::PluginCapability::Service::GROUP_CONTROLLER_SERVICE) &&
        RPC(stack->group_controller(), GroupControllerGetCapabilities,
            v1::GroupControllerGetCapabilitiesRequest(), &group)
            .ok()) {
      for (const auto& c : group.capabilities()) caps.group.insert(c.rpc().type());
    }
  });
  return caps;
}

::testing::AssertionResult HasCodeIn(const grpc::Status& status,
                                     std::initializer_list<grpc::StatusCode> codes) {
  bool match = false;
  std::string wanted;
  for (auto c : codes) {
    match = match || status.error_code() == c;
    if (!wanted.empty()) wanted += " or ";
    wanted += std::to_string(static_cast<int>(c));
  }
  if (!match) {
    return ::testing::AssertionFailure()
           << "gRPC code " << status.error_code() << " (\"" << status.error_message()
           << "\"), spec requires code " << wanted;
  }
  if (!status.ok()) {
    if (status.error_message().empty()) {
      return ::testing::AssertionFailure()
             << "code " << status.error_code()
             << " without a message (spec §Error Scheme: the status message MUST contain a "
                "human readable description)";
    }
    if (!status.error_details().empty()) {
      return ::testing::AssertionFailure()
             << "code " << status.error_code()
             << " with non-empty details (spec §Error Scheme: details MUST be empty)";
    }
  }
  return ::testing::AssertionSuccess();
}

::testing::AssertionResult HasCode(const grpc::Status& status, grpc::StatusCode code) {
  return HasCodeIn(status, {code});
}

::testing::AssertionResult IsOk(const grpc::Status& status) {
  if (status.ok()) return ::testing::AssertionSuccess();
  return ::testing::AssertionFailure()
         << "RPC failed: code " << status.error_code() << ": " << status.error_message();
}

v1::VolumeCapability MountCap(Mode::Mode mode, const std::string& fs_type) {
  v1::VolumeCapability cap;
  cap.mutable_mount()->set_fs_type(fs_type);
  cap.mutable_access_mode()->set_mode(mode);
  return cap;
}

v1::VolumeCapability BlockCap(Mode::Mode mode) {
  v1::VolumeCapability cap;
  cap.mutable_block();
  cap.mutable_access_mode()->set_mode(mode);
  return cap;
}

v1::CreateVolumeRequest CreateRequest(const std::string& name, int64_t bytes,
                                      const v1::VolumeCapability& cap) {
  v1::CreateVolumeRequest req;
  req.set_name(name);
  if (bytes > 0) req.mutable_capacity_range()->set_required_bytes(bytes);
  *req.add_volume_capabilities() = cap;
  return req;
}

void ConformanceTest::SetUp() {
  ASSERT_NE(Stack(), nullptr) << "the stack did not start: " << StackError();
}

std::string ConformanceTest::Unique(const std::string& what) {
  static std::atomic<int> counter{0};
  return "conf-" + what + "-" + std::to_string(++counter);
}

std::string ConformanceTest::NodeId() {
  if (node_id_.empty()) {
    v1::NodeGetInfoResponse info;
    if (RPC(node(), NodeGetInfo, v1::NodeGetInfoRequest(), &info).ok()) node_id_ = info.node_id();
  }
  return node_id_;
}

v1::Volume ConformanceTest::MustCreateVolume(const std::string& name, int64_t bytes,
                                             const v1::VolumeCapability& cap) {
  v1::CreateVolumeResponse resp;
  grpc::Status s = RPC(controller(), CreateVolume, CreateRequest(name, bytes, cap), &resp);
  EXPECT_RPC_OK(s) << " creating volume " << name;
  if (s.ok()) TrackVolume(resp.volume().volume_id());
  return resp.volume();
}

v1::Snapshot ConformanceTest::MustCreateSnapshot(const std::string& source,
                                                 const std::string& name) {
  v1::CreateSnapshotRequest req;
  req.set_source_volume_id(source);
  req.set_name(name);
  v1::CreateSnapshotResponse resp;
  grpc::Status s = RPC(controller(), CreateSnapshot, req, &resp);
  EXPECT_RPC_OK(s) << " creating snapshot " << name;
  if (s.ok()) TrackSnapshot(resp.snapshot().snapshot_id());
  // ready_to_use may lag: the CO re-issues CreateSnapshot until it flips (spec §CreateSnapshot).
  for (int i = 0; s.ok() && !resp.snapshot().ready_to_use() && i < 100; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    s = RPC(controller(), CreateSnapshot, req, &resp);
  }
  return resp.snapshot();
}

std::string ConformanceTest::StagingDir(const std::string& tag) {
  std::string dir = stack().kubelet_dir() + "/plugins/kubernetes.io/csi/" +
                    stack().options().driver_name + "/" + tag + "/globalmount";
  fs::create_directories(dir);
  return dir;
}

std::string ConformanceTest::TargetPath(const std::string& tag) {
  std::string parent = stack().kubelet_dir() + "/pods/" + tag + "/volumes/kubernetes.io~csi/pv";
  fs::create_directories(parent);
  return parent + "/mount";
}

std::map<std::string, std::string> ConformanceTest::MustPublishToNode(
    const std::string& volume_id, const v1::VolumeCapability& cap, const std::string& staging,
    const std::string& target, bool readonly) {
  std::map<std::string, std::string> context;
  if (caps().Controller(v1::ControllerServiceCapability::RPC::PUBLISH_UNPUBLISH_VOLUME)) {
    v1::ControllerPublishVolumeRequest req;
    req.set_volume_id(volume_id);
    req.set_node_id(NodeId());
    *req.mutable_volume_capability() = cap;
    req.set_readonly(readonly);
    v1::ControllerPublishVolumeResponse resp;
    grpc::Status s = RPC(controller(), ControllerPublishVolume, req, &resp);
    EXPECT_RPC_OK(s) << " ControllerPublishVolume";
    if (!s.ok()) return context;
    TrackPublication(volume_id, NodeId());
    context.insert(resp.publish_context().begin(), resp.publish_context().end());
  }
  if (caps().Node(v1::NodeServiceCapability::RPC::STAGE_UNSTAGE_VOLUME)) {
    v1::NodeStageVolumeRequest req;
    req.set_volume_id(volume_id);
    req.mutable_publish_context()->insert(context.begin(), context.end());
    req.set_staging_target_path(staging);
    *req.mutable_volume_capability() = cap;
    v1::NodeStageVolumeResponse resp;
    grpc::Status s = RPC(node(), NodeStageVolume, req, &resp);
    EXPECT_RPC_OK(s) << " NodeStageVolume";
    if (!s.ok()) return context;
    TrackStage(volume_id, staging);
  }
  v1::NodePublishVolumeRequest req;
  req.set_volume_id(volume_id);
  req.mutable_publish_context()->insert(context.begin(), context.end());
  if (caps().Node(v1::NodeServiceCapability::RPC::STAGE_UNSTAGE_VOLUME)) {
    req.set_staging_target_path(staging);
  }
  req.set_target_path(target);
  *req.mutable_volume_capability() = cap;
  req.set_readonly(readonly);
  v1::NodePublishVolumeResponse resp;
  grpc::Status s = RPC(node(), NodePublishVolume, req, &resp);
  EXPECT_RPC_OK(s) << " NodePublishVolume";
  if (s.ok()) TrackNodePublish(volume_id, target);
  return context;
}

void ConformanceTest::TearDown() {
  if (Stack() == nullptr) return;
  // Reverse order of the life cycle; every step is idempotent, so double undo is harmless.
  for (auto it = node_publishes_.rbegin(); it != node_publishes_.rend(); ++it) {
    v1::NodeUnpublishVolumeRequest req;
    req.set_volume_id(it->a);
    req.set_target_path(it->b);
    v1::NodeUnpublishVolumeResponse resp;
    EXPECT_RPC_OK(RPC(node(), NodeUnpublishVolume, req, &resp)) << " cleanup unpublish " << it->b;
  }
  for (auto it = stages_.rbegin(); it != stages_.rend(); ++it) {
    v1::NodeUnstageVolumeRequest req;
    req.set_volume_id(it->a);
    req.set_staging_target_path(it->b);
    v1::NodeUnstageVolumeResponse resp;
    EXPECT_RPC_OK(RPC(node(), NodeUnstageVolume, req, &resp)) << " cleanup unstage " << it->b;
  }
  for (auto it = publications_.rbegin(); it != publications_.rend(); ++it) {
    v1::ControllerUnpublishVolumeRequest req;
    req.set_volume_id(it->a);
    req.set_node_id(it->b);
    v1::ControllerUnpublishVolumeResponse resp;
    grpc::Status s = RPC(controller(), ControllerUnpublishVolume, req, &resp);
    EXPECT_TRUE(s.ok() || s.error_code() == grpc::StatusCode::NOT_FOUND)
        << " cleanup controller unpublish: " << s.error_message();
  }
  for (const auto& [id, members] : group_snapshots_) {
    v1::DeleteVolumeGroupSnapshotRequest req;
    req.set_group_snapshot_id(id);
    for (const auto& m : members) req.add_snapshot_ids(m);
    v1::DeleteVolumeGroupSnapshotResponse resp;
    EXPECT_RPC_OK(RPC(group(), DeleteVolumeGroupSnapshot, req, &resp)) << " cleanup group " << id;
  }
  for (const auto& id : snapshots_) {
    v1::DeleteSnapshotRequest req;
    req.set_snapshot_id(id);
    v1::DeleteSnapshotResponse resp;
    EXPECT_RPC_OK(RPC(controller(), DeleteSnapshot, req, &resp)) << " cleanup snapshot " << id;
  }
  for (const auto& id : volumes_) {
    v1::DeleteVolumeRequest req;
    req.set_volume_id(id);
    v1::DeleteVolumeResponse resp;
    EXPECT_RPC_OK(RPC(controller(), DeleteVolume, req, &resp)) << " cleanup volume " << id;
  }
  // Nothing a case mounted may survive it.
  EXPECT_TRUE(MountsUnder(stack().kubelet_dir()).empty())
      << "leftover mount: " << MountsUnder(stack().kubelet_dir()).front();
}

}  // namespace lcsi::conformance
