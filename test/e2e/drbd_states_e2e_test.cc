// DRBD states end to end: linstor-sim (loop devices) reports a replica Outdated, syncing,
// disconnected, without quorum, with I/O suspended or in use on another node (admin API), and
// linstor-csi-controller / linstor-csi-node answer through gRPC as a CO sees it:
//   - NodeStageVolume waits for a usable replica, then succeeds; or times out with
//     UNAVAILABLE naming the states;
//   - ControllerGetVolume, ListVolumes and NodeGetVolumeStats report the volume abnormal,
//     naming the node and the state;
//   - ControllerPublishVolume and NodeStageVolume of a single-node volume refuse with
//     FAILED_PRECONDITION while it is in use on another node, or wait for inUseWaitTimeout.
// Needs root (loop devices, mounts).
#include <unistd.h>

#include <future>
#include <thread>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "linstor/http_linstor_client.h"
#include "test/e2e/e2e_stack.h"

namespace lcsi::e2e {
namespace {

using ::testing::AllOf;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using namespace std::chrono_literals;
using Mode = csi::v1::VolumeCapability::AccessMode;

constexpr const char* kHere = "sat-alpha";  // the node plugin's satellite

csi::v1::VolumeCapability Ext4(Mode::Mode mode = Mode::SINGLE_NODE_WRITER) {
  csi::v1::VolumeCapability cap;
  cap.mutable_mount()->set_fs_type("ext4");
  cap.mutable_access_mode()->set_mode(mode);
  return cap;
}

class DrbdStatesE2eTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (::geteuid() != 0) GTEST_SKIP() << "needs root (loop devices, mounts)";
  }

  // Starts the stack and creates a 2-replica volume with one replica on this node; `peer_`
  // is the other diskful node.
  void StartWithVolume(const std::string& name, StackOptions options = {},
                       std::map<std::string, std::string> parameters = {}) {
    stack_ = std::make_unique<E2eStack>(options);
    Status started = stack_->Start();
    ASSERT_TRUE(started.ok()) << started.ToString();
    ASSERT_TRUE(stack_->WaitNodeReady(30s)) << Tail(stack_->NodeLog());
    linstor::ClientConfig config;
    config.controllers = {stack_->sim_url()};
    auto client = linstor::HttpLinstorClient::Create(config);
    ASSERT_TRUE(client.ok()) << client.status().ToString();
    client_ = std::move(client).value();

    csi::v1::CreateVolumeRequest create;
    create.set_name(name);
    create.mutable_capacity_range()->set_required_bytes(64 * kMiB);
    *create.add_volume_capabilities() = Ext4();
    (*create.mutable_parameters())[std::string(kDriver) + "/placementCount"] = "2";
    // Strict locality with a preferred node puts the first replica on this node.
    (*create.mutable_parameters())[std::string(kDriver) + "/allowRemoteVolumeAccess"] = "false";
    for (const auto& [k, v] : parameters) (*create.mutable_parameters())[k] = v;
    auto* here = create.mutable_accessibility_requirements()->add_preferred();
    (*here->mutable_segments())[std::string(kDriver) + "/node"] = kHere;
    csi::v1::CreateVolumeResponse created;
    grpc::Status s = stack_->controller().CreateVolume(Ctx().get(), create, &created);
    ASSERT_TRUE(s.ok()) << s.error_message() << Tail(stack_->ControllerLog());
    volume_ = created.volume();
    auto resources = Resources();
    bool on_here = false;
    for (const auto& r : resources) {
      if (r.node_name == kHere && r.IsDiskful()) on_here = true;
      if (r.node_name != kHere && r.IsDiskful()) peer_ = r.node_name;
    }
    ASSERT_TRUE(on_here) << "a replica on " << kHere;
    ASSERT_FALSE(peer_.empty());
  }

  void TearDown() override {
    if (!stack_) return;
    for (const auto& node : {std::string(kHere), peer_}) {
      if (!node.empty()) {
        (void)stack_->sim_admin().ClearDrbdState(volume_.volume_id(), node);
        (void)stack_->sim_admin().SetInUse(volume_.volume_id(), node, false);
      }
    }
    grpc::Status s;
    if (staged_) {
      csi::v1::NodeUnpublishVolumeRequest unpublish;
      unpublish.set_volume_id(volume_.volume_id());
      unpublish.set_target_path(stack_->TargetPath(volume_.volume_id(), "pod"));
      csi::v1::NodeUnpublishVolumeResponse r1;
      s = stack_->node().NodeUnpublishVolume(Ctx().get(), unpublish, &r1);
      EXPECT_TRUE(s.ok()) << s.error_message();
      csi::v1::NodeUnstageVolumeRequest unstage;
      unstage.set_volume_id(volume_.volume_id());
      unstage.set_staging_target_path(stack_->StagingPath(volume_.volume_id()));
      csi::v1::NodeUnstageVolumeResponse r2;
      s = stack_->node().NodeUnstageVolume(Ctx().get(), unstage, &r2);
      EXPECT_TRUE(s.ok()) << s.error_message();
    }
    csi::v1::ControllerUnpublishVolumeRequest unpublish;
    unpublish.set_volume_id(volume_.volume_id());
    csi::v1::ControllerUnpublishVolumeResponse r3;
    (void)stack_->controller().ControllerUnpublishVolume(Ctx().get(), unpublish, &r3);
    csi::v1::DeleteVolumeRequest del;
    del.set_volume_id(volume_.volume_id());
    csi::v1::DeleteVolumeResponse r4;
    s = stack_->controller().DeleteVolume(Ctx().get(), del, &r4);
    EXPECT_TRUE(s.ok()) << s.error_message();
    EXPECT_THAT(stack_->LeftoverMounts(), IsEmpty());
  }

  std::vector<linstor::Resource> Resources() {
    linstor::ResourceViewFilter filter;
    filter.resources = {volume_.volume_id()};
    auto resources = client_->ViewResources(filter);
    EXPECT_TRUE(resources.ok());
    return resources.ok() ? *resources : std::vector<linstor::Resource>{};
  }

  grpc::Status ControllerPublish(const std::string& node,
                                 csi::v1::ControllerPublishVolumeResponse* r,
                                 Mode::Mode mode = Mode::SINGLE_NODE_WRITER) {
    csi::v1::ControllerPublishVolumeRequest publish;
    publish.set_volume_id(volume_.volume_id());
    publish.set_node_id(node);
    *publish.mutable_volume_capability() = Ext4(mode);
    *publish.mutable_volume_context() = volume_.volume_context();
    return stack_->controller().ControllerPublishVolume(Ctx().get(), publish, r);
  }

  grpc::Status Stage() {
    csi::v1::NodeStageVolumeRequest stage;
    stage.set_volume_id(volume_.volume_id());
    stage.set_staging_target_path(stack_->StagingPath(volume_.volume_id()));
    *stage.mutable_volume_capability() = Ext4();
    *stage.mutable_volume_context() = volume_.volume_context();
    csi::v1::NodeStageVolumeResponse staged;
    grpc::Status s = stack_->node().NodeStageVolume(Ctx().get(), stage, &staged);
    if (s.ok()) staged_ = true;
    return s;
  }

  grpc::Status StageAndPublish() {
    grpc::Status s = Stage();
    if (!s.ok()) return s;
    csi::v1::NodePublishVolumeRequest publish;
    publish.set_volume_id(volume_.volume_id());
    publish.set_staging_target_path(stack_->StagingPath(volume_.volume_id()));
    publish.set_target_path(stack_->TargetPath(volume_.volume_id(), "pod"));
    *publish.mutable_volume_capability() = Ext4();
    csi::v1::NodePublishVolumeResponse r;
    return stack_->node().NodePublishVolume(Ctx().get(), publish, &r);
  }

  void SetDrbd(const std::string& node, const std::string& json) {
    Status s = stack_->sim_admin().SetDrbdState(volume_.volume_id(), node, json);
    ASSERT_TRUE(s.ok()) << s.ToString();
  }

  std::unique_ptr<E2eStack> stack_;
  std::unique_ptr<linstor::HttpLinstorClient> client_;
  csi::v1::Volume volume_;
  std::string peer_;
  bool staged_ = false;
};

TEST_F(DrbdStatesE2eTest, StageWaitsForAnUpToDateReplicaThenSucceeds) {
  StartWithVolume("pvc-drbd-wait");
  csi::v1::ControllerPublishVolumeResponse published;
  ASSERT_TRUE(ControllerPublish(kHere, &published).ok());
  // Outdated and cut off from the peer: no I/O possible here until it is back.
  SetDrbd(kHere, R"({"disk_state":"Outdated","disconnected_peers":[")" + peer_ + "\"]}");
  const auto start = std::chrono::steady_clock::now();
  auto staged = std::async(std::launch::async, [&] { return Stage(); });
  std::this_thread::sleep_for(1500ms);
  EXPECT_EQ(staged.wait_for(0s), std::future_status::timeout) << "stage returned too early";
  // Reconnected and resyncing from the UpToDate peer: usable.
  SetDrbd(kHere, R"({"sync_done":42.5})");
  grpc::Status s = staged.get();
  ASSERT_TRUE(s.ok()) << s.error_message() << Tail(stack_->NodeLog());
  EXPECT_GE(std::chrono::steady_clock::now() - start, 1500ms);
  EXPECT_THAT(stack_->NodeLog(), HasSubstr("usable after"));
}

TEST_F(DrbdStatesE2eTest, StageTimesOutNamingTheStates) {
  StackOptions options;
  options.replica_wait_timeout = "2s";
  StartWithVolume("pvc-drbd-timeout", options);
  csi::v1::ControllerPublishVolumeResponse published;
  ASSERT_TRUE(ControllerPublish(kHere, &published).ok());
  SetDrbd(kHere, R"({"disk_state":"Inconsistent","disconnected_peers":[")" + peer_ + "\"]}");
  SetDrbd(peer_, R"({"disk_state":"Outdated"})");
  grpc::Status s = Stage();
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAVAILABLE) << s.error_message();
  EXPECT_THAT(s.error_message(),
              AllOf(HasSubstr("after 2 s"), HasSubstr("replica on sat-alpha: Inconsistent"),
                    HasSubstr(peer_ + ": Connecting"), HasSubstr(peer_ + " Outdated")));
  EXPECT_THAT(stack_->LeftoverMounts(), IsEmpty()) << "nothing staged";
}

TEST_F(DrbdStatesE2eTest, VolumeConditionIsAbnormalForEachState) {
  StartWithVolume("pvc-drbd-health");
  csi::v1::ControllerPublishVolumeResponse published;
  ASSERT_TRUE(ControllerPublish(kHere, &published).ok());
  ASSERT_TRUE(StageAndPublish().ok()) << Tail(stack_->NodeLog());
  auto controller_condition = [&] {
    csi::v1::ControllerGetVolumeRequest get;
    get.set_volume_id(volume_.volume_id());
    csi::v1::ControllerGetVolumeResponse r;
    grpc::Status s = stack_->controller().ControllerGetVolume(Ctx().get(), get, &r);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return r.status().volume_condition();
  };
  auto listed_condition = [&] {
    csi::v1::ListVolumesRequest list;
    csi::v1::ListVolumesResponse r;
    grpc::Status s = stack_->controller().ListVolumes(Ctx().get(), list, &r);
    EXPECT_TRUE(s.ok()) << s.error_message();
    for (const auto& e : r.entries()) {
      if (e.volume().volume_id() == volume_.volume_id()) return e.status().volume_condition();
    }
    ADD_FAILURE() << "volume not listed";
    return csi::v1::VolumeCondition();
  };
  auto node_condition = [&] {
    csi::v1::NodeGetVolumeStatsRequest stats;
    stats.set_volume_id(volume_.volume_id());
    stats.set_volume_path(stack_->TargetPath(volume_.volume_id(), "pod"));
    csi::v1::NodeGetVolumeStatsResponse r;
    grpc::Status s = stack_->node().NodeGetVolumeStats(Ctx().get(), stats, &r);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return r.volume_condition();
  };
  EXPECT_FALSE(controller_condition().abnormal()) << controller_condition().message();
  EXPECT_FALSE(node_condition().abnormal()) << node_condition().message();

  struct Case {
    std::string node;
    std::string json;
    std::string expect;
  };
  for (const Case& c : std::vector<Case>{
           {peer_, R"({"disk_state":"Outdated"})", "replica on " + peer_ + " is Outdated"},
           {peer_, R"({"disk_state":"Inconsistent"})", "replica on " + peer_ + " is Inconsistent"},
           {peer_, R"({"disk_state":"Failed"})", "replica on " + peer_ + " is Failed"},
           {peer_, R"({"disk_state":"Diskless"})", "replica on " + peer_ + " is Diskless"},
           {peer_, R"({"sync_done":7.25})", "replica on " + peer_ + " is SyncTarget(7.25%)"},
           {kHere, R"({"disconnected_peers":[")" + peer_ + "\"]}",
            "DRBD connection sat-alpha - " + peer_ + " is down (Connecting)"},
           {kHere, R"({"quorum_lost":true})", "quorum lost on sat-alpha"},
           {peer_, R"({"io_suspended":true})", "I/O suspended on " + peer_},
       }) {
    SCOPED_TRACE(c.json);
    SetDrbd(c.node, c.json);
    for (const auto& condition : {controller_condition(), listed_condition(), node_condition()}) {
      EXPECT_TRUE(condition.abnormal()) << condition.message();
      EXPECT_THAT(condition.message(), HasSubstr(c.expect));
    }
    ASSERT_TRUE(stack_->sim_admin().ClearDrbdState(volume_.volume_id(), c.node).ok());
  }
  EXPECT_FALSE(node_condition().abnormal()) << node_condition().message();
}

TEST_F(DrbdStatesE2eTest, SingleWriterRefusedWhileInUseElsewhere) {
  StartWithVolume("pvc-drbd-inuse");
  ASSERT_TRUE(stack_->sim_admin().SetInUse(volume_.volume_id(), peer_, true).ok());
  csi::v1::ControllerPublishVolumeResponse published;
  grpc::Status s = ControllerPublish(kHere, &published);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << s.error_message();
  EXPECT_THAT(s.error_message(), HasSubstr("in use (DRBD Primary) on node " + peer_));
  // A multi-node volume may be attached (DRBD decides who writes).
  EXPECT_TRUE(ControllerPublish(kHere, &published, Mode::MULTI_NODE_READER_ONLY).ok());
  // The node refuses on its own too (a CO that skips ControllerPublish).
  s = Stage();
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << s.error_message();
  EXPECT_THAT(s.error_message(), HasSubstr("in use (DRBD Primary) on node " + peer_));
  EXPECT_THAT(stack_->LeftoverMounts(), IsEmpty());
  // Released there: both go ahead.
  ASSERT_TRUE(stack_->sim_admin().SetInUse(volume_.volume_id(), peer_, false).ok());
  ASSERT_TRUE(ControllerPublish(kHere, &published).ok());
  ASSERT_TRUE(Stage().ok()) << Tail(stack_->NodeLog());
}

TEST_F(DrbdStatesE2eTest, InUseWaitTimeoutWaitsForTheOtherNodeToRelease) {
  StartWithVolume("pvc-drbd-inuse-wait", {}, {{std::string(kDriver) + "/inUseWaitTimeout", "20s"}});
  EXPECT_EQ(volume_.volume_context().at(std::string(kDriver) + "/inUseWaitTimeout"), "20s");
  ASSERT_TRUE(stack_->sim_admin().SetInUse(volume_.volume_id(), peer_, true).ok());
  auto release = std::async(std::launch::async, [&] {
    std::this_thread::sleep_for(1500ms);
    return stack_->sim_admin().SetInUse(volume_.volume_id(), peer_, false);
  });
  const auto start = std::chrono::steady_clock::now();
  csi::v1::ControllerPublishVolumeResponse published;
  grpc::Status s = ControllerPublish(kHere, &published);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_GE(std::chrono::steady_clock::now() - start, 1400ms) << "it waited for the release";
  ASSERT_TRUE(release.get().ok());
  ASSERT_TRUE(Stage().ok()) << Tail(stack_->NodeLog());
}

}  // namespace
}  // namespace lcsi::e2e
