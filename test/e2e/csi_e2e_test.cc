// End to end, as a CO would drive it: linstor-sim (loop devices) + linstor-csi-controller +
// linstor-csi-node on unix sockets; the node's CO name differs from its satellite name and is
// mapped by a satellite-map file. Needs root (loop devices, mounts).
//
// CreateVolume -> ControllerPublish -> NodeStage -> NodePublish -> I/O -> expand -> snapshot ->
// restore into a second volume -> stage/publish it and read the same bytes -> full teardown;
// then no mount, no loop device and no LINSTOR volume object may be left.
#include <fcntl.h>
#include <sys/statfs.h>
#include <unistd.h>

#include <random>
#include <thread>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "linstor/http_linstor_client.h"
#include "test/e2e/e2e_stack.h"

namespace lcsi::e2e {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;
using namespace std::chrono_literals;
using Mode = csi::v1::VolumeCapability::AccessMode;

#define ASSERT_RPC(call, stack)                                                          \
  do {                                                                                   \
    grpc::Status rpc_status_ = (call);                                                   \
    ASSERT_TRUE(rpc_status_.ok()) << #call << ": " << rpc_status_.error_code() << " "    \
                                  << rpc_status_.error_message() << "\n--- node log\n"   \
                                  << Tail((stack).NodeLog()) << "\n--- controller log\n" \
                                  << Tail((stack).ControllerLog());                      \
  } while (0)

csi::v1::VolumeCapability XfsCapability() {
  csi::v1::VolumeCapability cap;
  cap.mutable_mount()->set_fs_type("xfs");
  cap.mutable_access_mode()->set_mode(Mode::SINGLE_NODE_WRITER);
  return cap;
}

int64_t StatfsBytes(const std::string& path) {
  struct statfs fs;
  if (::statfs(path.c_str(), &fs) != 0) return -1;
  return static_cast<int64_t>(fs.f_blocks) * static_cast<int64_t>(fs.f_frsize);
}

// Writes `data` and makes it durable on the device (fsync + syncfs), as an application would
// before a snapshot.
bool WriteDurably(const std::string& path, const std::string& data) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return false;
  bool ok = ::write(fd, data.data(), data.size()) == static_cast<ssize_t>(data.size()) &&
            ::fsync(fd) == 0 && ::syncfs(fd) == 0;
  ::close(fd);
  return ok;
}

std::string RandomBytes(size_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  std::string out(n, '\0');
  for (auto& c : out) c = static_cast<char>(rng());
  return out;
}

class CsiE2eTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (::geteuid() != 0) GTEST_SKIP() << "needs root (loop devices, mounts)";
  }
};

TEST_F(CsiE2eTest, VolumeLifecycleWithSnapshotRestore) {
  E2eStack stack;
  Status started = stack.Start();
  ASSERT_TRUE(started.ok()) << started.ToString();
  ASSERT_TRUE(stack.WaitNodeReady(30s)) << Tail(stack.NodeLog());

  // The node reports its satellite, not its CO name.
  csi::v1::NodeGetInfoResponse info;
  ASSERT_RPC(stack.node().NodeGetInfo(Ctx().get(), {}, &info), stack);
  ASSERT_EQ(info.node_id(), "sat-alpha");
  EXPECT_EQ(info.accessible_topology().segments().at(std::string(kDriver) + "/node"), "sat-alpha");
  EXPECT_EQ(info.accessible_topology().segments().at(std::string(kDriver) + "/zone"), "zone-a");
  EXPECT_EQ(info.accessible_topology().segments().at("topology.kubernetes.io/region"), "eu-1");

  const auto cap = XfsCapability();
  // ---- CreateVolume, placed where the node is.
  csi::v1::CreateVolumeRequest create;
  create.set_name("pvc-e2e-source");
  create.mutable_capacity_range()->set_required_bytes(320 * kMiB);
  *create.add_volume_capabilities() = cap;
  (*create.mutable_parameters())[std::string(kDriver) + "/placementCount"] = "1";
  (*create.mutable_parameters())[std::string(kDriver) + "/storagePool"] = "pool1";
  *create.mutable_accessibility_requirements()->add_requisite() = info.accessible_topology();
  *create.mutable_accessibility_requirements()->add_preferred() = info.accessible_topology();
  csi::v1::CreateVolumeResponse created;
  ASSERT_RPC(stack.controller().CreateVolume(Ctx().get(), create, &created), stack);
  const std::string source_id = created.volume().volume_id();
  ASSERT_FALSE(source_id.empty());
  EXPECT_GE(created.volume().capacity_bytes(), 320 * kMiB);

  // ---- ControllerPublish: the device path for this node.
  csi::v1::ControllerPublishVolumeRequest publish;
  publish.set_volume_id(source_id);
  publish.set_node_id(info.node_id());
  *publish.mutable_volume_capability() = cap;
  *publish.mutable_volume_context() = created.volume().volume_context();
  csi::v1::ControllerPublishVolumeResponse published;
  ASSERT_RPC(stack.controller().ControllerPublishVolume(Ctx().get(), publish, &published), stack);
  ASSERT_EQ(published.publish_context().count("devicePath"), 1u);

  // ---- NodeStage + NodePublish.
  const std::string staging = stack.StagingPath(source_id);
  const std::string target = stack.TargetPath(source_id, "pod-writer");
  csi::v1::NodeStageVolumeRequest stage;
  stage.set_volume_id(source_id);
  *stage.mutable_publish_context() = published.publish_context();
  stage.set_staging_target_path(staging);
  *stage.mutable_volume_capability() = cap;
  *stage.mutable_volume_context() = created.volume().volume_context();
  csi::v1::NodeStageVolumeResponse staged;
  ASSERT_RPC(stack.node().NodeStageVolume(Ctx().get(), stage, &staged), stack);
  csi::v1::NodePublishVolumeRequest node_publish;
  node_publish.set_volume_id(source_id);
  *node_publish.mutable_publish_context() = published.publish_context();
  node_publish.set_staging_target_path(staging);
  node_publish.set_target_path(target);
  *node_publish.mutable_volume_capability() = cap;
  csi::v1::NodePublishVolumeResponse node_published;
  ASSERT_RPC(stack.node().NodePublishVolume(Ctx().get(), node_publish, &node_published), stack);

  // ---- I/O.
  const std::string payload = RandomBytes(3 * kMiB + 17, 42);
  ASSERT_TRUE(WriteDurably(target + "/payload.bin", payload));
  EXPECT_EQ(node::testing::ReadFile(target + "/payload.bin"), payload);

  // ---- Expand: controller first, then the node grows the filesystem online.
  const int64_t size_before = StatfsBytes(target);
  csi::v1::ControllerExpandVolumeRequest expand;
  expand.set_volume_id(source_id);
  expand.mutable_capacity_range()->set_required_bytes(448 * kMiB);
  *expand.mutable_volume_capability() = cap;
  csi::v1::ControllerExpandVolumeResponse expanded;
  ASSERT_RPC(stack.controller().ControllerExpandVolume(Ctx().get(), expand, &expanded), stack);
  EXPECT_GE(expanded.capacity_bytes(), 448 * kMiB);
  EXPECT_TRUE(expanded.node_expansion_required());
  csi::v1::NodeExpandVolumeRequest node_expand;
  node_expand.set_volume_id(source_id);
  node_expand.set_volume_path(target);
  node_expand.set_staging_target_path(staging);
  *node_expand.mutable_capacity_range() = expand.capacity_range();
  *node_expand.mutable_volume_capability() = cap;
  csi::v1::NodeExpandVolumeResponse node_expanded;
  ASSERT_RPC(stack.node().NodeExpandVolume(Ctx().get(), node_expand, &node_expanded), stack);
  EXPECT_GE(node_expanded.capacity_bytes(), 448 * kMiB);
  EXPECT_GT(StatfsBytes(target), size_before + 100 * kMiB) << "statfs sees the grown filesystem";

  csi::v1::NodeGetVolumeStatsRequest stats_req;
  stats_req.set_volume_id(source_id);
  stats_req.set_volume_path(target);
  csi::v1::NodeGetVolumeStatsResponse stats;
  ASSERT_RPC(stack.node().NodeGetVolumeStats(Ctx().get(), stats_req, &stats), stack);
  EXPECT_FALSE(stats.volume_condition().abnormal()) << stats.volume_condition().message();

  // ---- Snapshot, until ready.
  csi::v1::CreateSnapshotRequest snap_req;
  snap_req.set_source_volume_id(source_id);
  snap_req.set_name("snap-e2e-1");
  csi::v1::CreateSnapshotResponse snap;
  ASSERT_RPC(stack.controller().CreateSnapshot(Ctx().get(), snap_req, &snap), stack);
  for (int i = 0; i < 100 && !snap.snapshot().ready_to_use(); ++i) {
    std::this_thread::sleep_for(100ms);
    ASSERT_RPC(stack.controller().CreateSnapshot(Ctx().get(), snap_req, &snap), stack);
  }
  ASSERT_TRUE(snap.snapshot().ready_to_use());
  const std::string snapshot_id = snap.snapshot().snapshot_id();

  // ---- Restore into a second volume, stage and publish it on the same node, read the bytes.
  csi::v1::CreateVolumeRequest restore = create;
  restore.set_name("pvc-e2e-restored");
  restore.mutable_capacity_range()->set_required_bytes(448 * kMiB);
  restore.mutable_volume_content_source()->mutable_snapshot()->set_snapshot_id(snapshot_id);
  csi::v1::CreateVolumeResponse restored;
  ASSERT_RPC(stack.controller().CreateVolume(Ctx().get(), restore, &restored), stack);
  const std::string restored_id = restored.volume().volume_id();
  ASSERT_NE(restored_id, source_id);

  csi::v1::ControllerPublishVolumeRequest publish2 = publish;
  publish2.set_volume_id(restored_id);
  *publish2.mutable_volume_context() = restored.volume().volume_context();
  csi::v1::ControllerPublishVolumeResponse published2;
  ASSERT_RPC(stack.controller().ControllerPublishVolume(Ctx().get(), publish2, &published2), stack);
  EXPECT_NE(published2.publish_context().at("devicePath"),
            published.publish_context().at("devicePath"));
  const std::string staging2 = stack.StagingPath(restored_id);
  const std::string target2 = stack.TargetPath(restored_id, "pod-reader");
  csi::v1::NodeStageVolumeRequest stage2 = stage;
  stage2.set_volume_id(restored_id);
  *stage2.mutable_publish_context() = published2.publish_context();
  stage2.set_staging_target_path(staging2);
  *stage2.mutable_volume_context() = restored.volume().volume_context();
  ASSERT_RPC(stack.node().NodeStageVolume(Ctx().get(), stage2, &staged), stack);
  csi::v1::NodePublishVolumeRequest node_publish2 = node_publish;
  node_publish2.set_volume_id(restored_id);
  *node_publish2.mutable_publish_context() = published2.publish_context();
  node_publish2.set_staging_target_path(staging2);
  node_publish2.set_target_path(target2);
  node_publish2.set_readonly(true);
  ASSERT_RPC(stack.node().NodePublishVolume(Ctx().get(), node_publish2, &node_published), stack);
  EXPECT_EQ(node::testing::ReadFile(target2 + "/payload.bin"), payload)
      << "the restored volume holds the snapshot's bytes";
  // The source keeps changing independently.
  ASSERT_TRUE(WriteDurably(target + "/after-snapshot", "new"));
  EXPECT_FALSE(node::testing::ReadFile(target2 + "/after-snapshot").size() > 0);

  // ---- Full teardown, in the CO's order.
  for (const auto& [volume, path] :
       {std::pair{source_id, target}, std::pair{restored_id, target2}}) {
    csi::v1::NodeUnpublishVolumeRequest unpublish;
    unpublish.set_volume_id(volume);
    unpublish.set_target_path(path);
    csi::v1::NodeUnpublishVolumeResponse r;
    ASSERT_RPC(stack.node().NodeUnpublishVolume(Ctx().get(), unpublish, &r), stack);
  }
  for (const auto& [volume, path] :
       {std::pair{source_id, staging}, std::pair{restored_id, staging2}}) {
    csi::v1::NodeUnstageVolumeRequest unstage;
    unstage.set_volume_id(volume);
    unstage.set_staging_target_path(path);
    csi::v1::NodeUnstageVolumeResponse r;
    ASSERT_RPC(stack.node().NodeUnstageVolume(Ctx().get(), unstage, &r), stack);
  }
  for (const auto& volume : {source_id, restored_id}) {
    csi::v1::ControllerUnpublishVolumeRequest unpublish;
    unpublish.set_volume_id(volume);
    unpublish.set_node_id(info.node_id());
    csi::v1::ControllerUnpublishVolumeResponse r;
    ASSERT_RPC(stack.controller().ControllerUnpublishVolume(Ctx().get(), unpublish, &r), stack);
  }
  {
    csi::v1::DeleteVolumeRequest del;
    del.set_volume_id(restored_id);
    csi::v1::DeleteVolumeResponse r;
    ASSERT_RPC(stack.controller().DeleteVolume(Ctx().get(), del, &r), stack);
    // The source goes while its snapshot still exists (CSI snapshots outlive their source).
    del.set_volume_id(source_id);
    ASSERT_RPC(stack.controller().DeleteVolume(Ctx().get(), del, &r), stack);
    csi::v1::DeleteSnapshotRequest del_snap;
    del_snap.set_snapshot_id(snapshot_id);
    csi::v1::DeleteSnapshotResponse rs;
    ASSERT_RPC(stack.controller().DeleteSnapshot(Ctx().get(), del_snap, &rs), stack);
  }

  // ---- Nothing left behind.
  EXPECT_THAT(stack.LeftoverMounts(), IsEmpty());
  auto objects = stack.SimObjects();
  ASSERT_TRUE(objects.ok()) << objects.status().ToString();
  for (const char* kind : {"resource_definitions", "volume_definitions", "resources", "snapshots",
                           "loop_devices", "backing_files"}) {
    EXPECT_EQ((*objects)[kind], 0) << kind << " left in LINSTOR";
  }
  EXPECT_THAT(stack.LeftoverLoopDevices(), IsEmpty());
  // The resource group stays: it stands for the StorageClass, not for a volume.
}

TEST_F(CsiE2eTest, UnknownSatelliteKeepsNodeNotReadyWithAClearLogLine) {
  StackOptions options;
  options.with_controller = false;
  options.co_node_name = "k8s-bravo.example.com";  // not in the map, not a satellite
  options.map_this_node = false;
  options.log_level = "info";  // the debug level repeats the reason on every Probe
  E2eStack stack(options);
  Status started = stack.Start();
  ASSERT_TRUE(started.ok()) << started.ToString();
  EXPECT_FALSE(stack.WaitNodeReady(1500ms)) << "Probe must say not ready";
  csi::v1::NodeGetInfoResponse info;
  grpc::Status s = stack.node().NodeGetInfo(Ctx().get(), {}, &info);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(s.error_message(), HasSubstr("closest known satellites: \"sat-bravo\""));
  std::string log = stack.NodeLog();
  EXPECT_THAT(log, HasSubstr("satellite \"k8s-bravo.example.com\" (from node name) is not known "
                             "to LINSTOR; closest known satellites: \"sat-bravo\""));
  // One explanatory error line, not one per Probe (the NodeGetInfo call gets its own RPC line).
  size_t count = 0;
  size_t line_start = 0;
  while (line_start < log.size()) {
    size_t line_end = log.find('\n', line_start);
    if (line_end == std::string::npos) line_end = log.size();
    std::string line = log.substr(line_start, line_end - line_start);
    if (line.find("is not known to LINSTOR") != std::string::npos &&
        line.find("rpc=NodeGetInfo") == std::string::npos) {
      ++count;
    }
    line_start = line_end + 1;
  }
  EXPECT_EQ(count, 1u) << log;
}

TEST_F(CsiE2eTest, NodeAloneStagesAVolumeFoundThroughLinstor) {
  // Without devicePath in publish_context the node asks LINSTOR (through the real HTTP client)
  // for its satellite's resource. The volume is made by hand, as a controller would.
  StackOptions options;
  options.with_controller = false;
  E2eStack stack(options);
  Status started = stack.Start();
  ASSERT_TRUE(started.ok()) << started.ToString();
  ASSERT_TRUE(stack.WaitNodeReady(30s)) << Tail(stack.NodeLog());
  linstor::ClientConfig config;
  config.controllers = {stack.sim_url()};
  auto client = linstor::HttpLinstorClient::Create(config);
  ASSERT_TRUE(client.ok()) << client.status().ToString();
  linstor::ResourceGroup group;
  group.name = "rg-e2e";
  group.select_filter.place_count = 1;
  group.select_filter.node_name_list = std::vector<std::string>{"sat-alpha"};
  ASSERT_TRUE((*client)->CreateResourceGroup(group).ok());
  linstor::ResourceGroupSpawn spawn;
  spawn.resource_definition_name = "pv-hand";
  spawn.volume_sizes = {64 * 1024};
  ASSERT_TRUE((*client)->Spawn("rg-e2e", spawn).ok());
  csi::v1::VolumeCapability cap;
  cap.mutable_mount()->set_fs_type("ext4");
  cap.mutable_access_mode()->set_mode(Mode::SINGLE_NODE_WRITER);
  csi::v1::NodeStageVolumeRequest stage;
  stage.set_volume_id("pv-hand");
  stage.set_staging_target_path(stack.StagingPath("pv-hand"));
  *stage.mutable_volume_capability() = cap;
  csi::v1::NodeStageVolumeResponse staged;
  ASSERT_RPC(stack.node().NodeStageVolume(Ctx().get(), stage, &staged), stack);
  EXPECT_EQ(stack.LeftoverMounts().size(), 1u);
  csi::v1::NodeUnstageVolumeRequest unstage;
  unstage.set_volume_id("pv-hand");
  unstage.set_staging_target_path(stack.StagingPath("pv-hand"));
  csi::v1::NodeUnstageVolumeResponse r;
  ASSERT_RPC(stack.node().NodeUnstageVolume(Ctx().get(), unstage, &r), stack);
  EXPECT_THAT(stack.LeftoverMounts(), IsEmpty());
  ASSERT_TRUE((*client)->DeleteResourceDefinition("pv-hand").ok());
  ASSERT_TRUE((*client)->DeleteResourceGroup("rg-e2e").ok());
  auto objects = stack.SimObjects();
  ASSERT_TRUE(objects.ok());
  EXPECT_EQ((*objects)["resource_definitions"], 0);
  EXPECT_EQ((*objects)["loop_devices"], 0);
  EXPECT_THAT(stack.LeftoverLoopDevices(), IsEmpty());
}

}  // namespace
}  // namespace lcsi::e2e
