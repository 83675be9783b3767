// Node service logic with fakes: which commands run, which mounts happen, which codes come back.
// Paths, directories and stage records live in a FakeFilesystem; devices, mounts and tools are
// fakes; the LINSTOR adapter talks to linstor-sim in process.
#include "nodeplugin/node_service.h"

#include "csi/metrics.h"
#include "linstor-sim/testing/in_process_sim.h"
#include "nodeplugin/linstor_satellite_directory.h"
#include "nodeplugin/node_service_fixture.h"
#include "nodeplugin/stage_record.h"

namespace lcsi::node {
namespace {

using std::chrono::milliseconds;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

TEST_F(NodeServiceTest, StageFormatsBlankDeviceAndMountsWithAllOptions) {
  auto req = StageRequest("xfs");
  (*req.mutable_volume_context())[std::string(kDriver) + "/fsOpts"] = "-m reflink=0";
  (*req.mutable_volume_context())["linstor.csi.linbit.com/mountOpts"] = "discard,noatime";
  req.mutable_volume_capability()->mutable_mount()->add_mount_flags("nodev");
  prober_.SetBlank(kDevice);
  exec_.Expect("mkfs.xfs", std::vector<std::string>{"-m", "reflink=0", kDevice},
               ExecResult{0, "", ""});
  ASSERT_TRUE(service_->Stage(req).ok());
  EXPECT_THAT(mounter_.actions(),
              ElementsAre("mount /dev/drbd1000 " + staging_ + " xfs discard,noatime,nodev,nouuid"));
  auto record = ReadStageRecord(files_, staging_);
  ASSERT_TRUE(record.ok() && record->has_value());
  EXPECT_EQ((*record)->device, kDevice);
  EXPECT_EQ((*record)->fs_type, "xfs");

  // Again: nothing probes or runs, nothing mounts.
  ASSERT_TRUE(service_->Stage(req).ok());
  EXPECT_EQ(prober_.probed().size(), 1u);
  EXPECT_EQ(exec_.calls().size(), 1u);
  EXPECT_EQ(mounter_.mount_count(), 1u);
}

TEST_F(NodeServiceTest, StageTimesEachStepIntoTheMetrics) {
  Metrics::Global().ResetForTest();
  prober_.SetBlank(kDevice);
  exec_.Expect("mkfs.ext4", std::vector<std::string>{kDevice}, ExecResult{0, "", ""});
  ASSERT_TRUE(service_->Stage(StageRequest("ext4")).ok());
  std::string text = Metrics::Global().RenderPrometheus();
  for (const char* step : {"replica_wait", "device_wait", "probe", "mkfs.ext4", "mount"}) {
    EXPECT_THAT(text, HasSubstr("lcsi_node_stage_step_seconds_count{step=\"" + std::string(step) +
                                "\"} 1"));
  }
  // A repeated stage finds the mount and runs no step.
  ASSERT_TRUE(service_->Stage(StageRequest("ext4")).ok());
  EXPECT_THAT(Metrics::Global().RenderPrometheus(),
              HasSubstr("lcsi_node_stage_step_seconds_count{step=\"probe\"} 1"));
  EXPECT_THAT(text, ::testing::Not(HasSubstr("step=\"e2fsck\"")));
}

TEST_F(NodeServiceTest, ReadOnlyStageOfExistingFsMountsRoWithoutFsck) {
  prober_.SetFilesystem(kDevice, "ext4");
  ASSERT_TRUE(service_->Stage(StageRequest("", Mode::SINGLE_NODE_READER_ONLY)).ok());
  EXPECT_THAT(prober_.probed(), ElementsAre(kDevice));
  EXPECT_TRUE(exec_.calls().empty()) << "no fsck before a read-only mount";
  EXPECT_THAT(mounter_.actions(), ElementsAre("mount /dev/drbd1000 " + staging_ + " ext4 ro"));
}

TEST_F(NodeServiceTest, StageWithDifferentCapabilityIsAlreadyExists) {
  prober_.SetBlank(kDevice);
  exec_.Expect("mkfs.ext4", 0);
  ASSERT_TRUE(service_->Stage(StageRequest()).ok());
  Status fs = service_->Stage(StageRequest("xfs"));
  EXPECT_EQ(fs.code(), Code::kAlreadyExists) << fs.ToString();
  Status mode = service_->Stage(StageRequest("ext4", Mode::SINGLE_NODE_READER_ONLY));
  EXPECT_EQ(mode.code(), Code::kAlreadyExists);
  auto other = StageRequest();
  other.set_volume_id("pv2");
  EXPECT_EQ(service_->Stage(other).code(), Code::kAlreadyExists);
  auto block = StageRequest();
  block.mutable_volume_capability()->mutable_block();
  EXPECT_EQ(service_->Stage(block).code(), Code::kAlreadyExists);
  EXPECT_TRUE(service_->Stage(StageRequest("")).ok()) << "no fs_type means any";
}

TEST_F(NodeServiceTest, DeviceFromLinstorWhenPublishContextHasNone) {
  directory_.SetDevicePath("pv1", "sat-1", "/dev/drbd1001");
  devices_.AppearAfterPolls("/dev/drbd1001", 1 << 30, 3);
  auto req = StageRequest();
  req.mutable_publish_context()->clear();
  prober_.SetBlank("/dev/drbd1001");
  exec_.Expect("mkfs.ext4", 0);
  ASSERT_TRUE(service_->Stage(req).ok());
  EXPECT_EQ(clock_.slept(), milliseconds(200));
}

TEST_F(NodeServiceTest, DeviceErrors) {
  auto req = StageRequest();
  req.mutable_publish_context()->clear();
  Status unknown = service_->Stage(req);
  EXPECT_EQ(unknown.code(), Code::kNotFound);
  EXPECT_THAT(unknown.message(), HasSubstr("no device on satellite sat-1"));

  directory_.SetFailure(Unavailable("LINSTOR down"));
  EXPECT_EQ(service_->Stage(req).code(), Code::kUnavailable);
  directory_.SetFailure(Status::Ok());

  auto never = StageRequest();
  (*never.mutable_publish_context())[kDevicePathKey] = "/dev/drbd1999";
  Status timeout = service_->Stage(never);
  EXPECT_EQ(timeout.code(), Code::kUnavailable);
  EXPECT_THAT(timeout.message(), HasSubstr("did not appear"));

  auto outside = StageRequest();
  (*outside.mutable_publish_context())[kDevicePathKey] = "/etc/passwd";
  EXPECT_EQ(service_->Stage(outside).code(), Code::kInvalidArgument);
  EXPECT_EQ(mounter_.mount_count(), 0u);
  EXPECT_TRUE(exec_.calls().empty());
  EXPECT_TRUE(prober_.probed().empty());
}

TEST_F(NodeServiceTest, MountFailureLeavesNoRecord) {
  prober_.SetBlank(kDevice);
  exec_.Expect("mkfs.ext4", 0);
  mounter_.FailNext("Mount", FailedPrecondition("wrong fs type"));
  EXPECT_EQ(service_->Stage(StageRequest()).code(), Code::kFailedPrecondition);
  auto record = ReadStageRecord(files_, staging_);
  ASSERT_TRUE(record.ok());
  EXPECT_FALSE(record->has_value());
}

TEST_F(NodeServiceTest, BadVolumeContextIsInvalidArgumentBeforeAnythingRuns) {
  auto req = StageRequest();
  (*req.mutable_volume_context())["fsOpts"] = "-F";
  EXPECT_EQ(service_->Stage(req).code(), Code::kInvalidArgument);
  req = StageRequest();
  (*req.mutable_volume_context())["mountOpts"] = "remount";
  EXPECT_EQ(service_->Stage(req).code(), Code::kInvalidArgument);
  EXPECT_TRUE(exec_.calls().empty());
  EXPECT_TRUE(prober_.probed().empty());
}

TEST_F(NodeServiceTest, StageRecordFailureUndoesTheMount) {
  prober_.SetBlank(kDevice);
  exec_.Expect("mkfs.ext4", 0);
  files_.FailNext("WriteFileAtomically", Internal("write: No space left on device"));
  Status s = service_->Stage(StageRequest());
  EXPECT_EQ(s.code(), Code::kInternal) << s.ToString();
  EXPECT_EQ(mounter_.mount_count(), 0u);
  EXPECT_EQ(mounter_.actions().back(), "unmount " + staging_);
  EXPECT_FALSE(ReadStageRecord(files_, staging_)->has_value());
  prober_.SetFilesystem(kDevice, "ext4");  // formatted by the first attempt
  exec_.Expect("e2fsck", 0);
  Status retry = service_->Stage(StageRequest());
  EXPECT_TRUE(retry.ok()) << "a retry stages: " << retry.ToString();
}

TEST_F(NodeServiceTest, UnstageUnmountsStackedMountsAndIsIdempotent) {
  prober_.SetBlank(kDevice);
  exec_.Expect("mkfs.ext4", 0);
  ASSERT_TRUE(service_->Stage(StageRequest()).ok());
  MountEntry extra;
  extra.mount_point = staging_;
  extra.fs_type = "tmpfs";
  mounter_.AddMount(extra);
  csi::v1::NodeUnstageVolumeRequest req;
  req.set_volume_id("pv1");
  req.set_staging_target_path(staging_);
  ASSERT_TRUE(service_->Unstage(req).ok());
  EXPECT_EQ(mounter_.mount_count(), 0u);
  EXPECT_FALSE(ReadStageRecord(files_, staging_)->has_value());
  ASSERT_TRUE(service_->Unstage(req).ok());

  mounter_.AddMount(extra);
  mounter_.FailNext("Unmount", FailedPrecondition("busy"));
  EXPECT_EQ(service_->Unstage(req).code(), Code::kFailedPrecondition);
  ASSERT_TRUE(service_->Unstage(req).ok());
}

TEST_F(NodeServiceTest, ExpandRunsTheRightTool) {
  prober_.SetBlank(kDevice);
  exec_.Expect("mkfs.ext4", 0);
  ASSERT_TRUE(service_->Stage(StageRequest()).ok());
  ASSERT_TRUE(service_->Publish(PublishRequest()).ok());
  csi::v1::NodeExpandVolumeRequest req;
  req.set_volume_id("pv1");
  req.set_volume_path(target_);
  req.set_staging_target_path(staging_);
  req.mutable_capacity_range()->set_required_bytes(1 << 30);
  exec_.Expect("resize2fs", std::vector<std::string>{kDevice}, ExecResult{0, "", ""});
  auto resp = service_->Expand(req);
  ASSERT_TRUE(resp.ok()) << resp.status().ToString();
  EXPECT_EQ(resp->capacity_bytes(), 1 << 30);

  req.mutable_capacity_range()->set_required_bytes(int64_t{2} << 30);
  EXPECT_EQ(service_->Expand(req).status().code(), Code::kUnavailable)
      << "the device has not grown yet";

  req.mutable_capacity_range()->clear_required_bytes();
  exec_.Expect("resize2fs", 1, "", "resize2fs: Permission denied");
  auto failed = service_->Expand(req);
  EXPECT_EQ(failed.status().code(), Code::kInternal);
  EXPECT_THAT(failed.status().message(), HasSubstr("Permission denied"));

  req.set_volume_path(root_ + "/pods/other");
  EXPECT_EQ(service_->Expand(req).status().code(), Code::kNotFound);
  ASSERT_TRUE(files_.MkdirAll(root_ + "/pods/other", 0750).ok());
  EXPECT_EQ(service_->Expand(req).status().code(), Code::kNotFound) << "not mounted";
}

TEST_F(NodeServiceTest, StatsConditions) {
  prober_.SetBlank(kDevice);
  exec_.Expect("mkfs.ext4", 0);
  ASSERT_TRUE(service_->Stage(StageRequest()).ok());
  csi::v1::NodeGetVolumeStatsRequest req;
  req.set_volume_id("pv1");
  req.set_volume_path(staging_);
  files_.SetUsage(staging_, FsUsage{4096, 1000, 400, 300, 256, 200});
  auto stats = service_->GetVolumeStats(req);
  ASSERT_TRUE(stats.ok()) << stats.status().ToString();
  EXPECT_FALSE(stats->volume_condition().abnormal()) << stats->volume_condition().message();
  ASSERT_EQ(stats->usage_size(), 2);
  EXPECT_EQ(stats->usage(0).unit(), csi::v1::VolumeUsage::BYTES);
  EXPECT_EQ(stats->usage(0).total(), 1000 * 4096);
  EXPECT_EQ(stats->usage(0).available(), 300 * 4096) << "what an unprivileged writer gets";
  EXPECT_EQ(stats->usage(0).used(), (1000 - 400) * 4096);
  EXPECT_EQ(stats->usage(1).unit(), csi::v1::VolumeUsage::INODES);
  EXPECT_EQ(stats->usage(1).total(), 256);
  EXPECT_EQ(stats->usage(1).available(), 200);
  EXPECT_EQ(stats->usage(1).used(), 56);
  files_.FailNext("Statfs", Internal("statfs: Input/output error"));
  EXPECT_EQ(service_->GetVolumeStats(req).status().code(), Code::kInternal);

  devices_.Remove(kDevice);
  stats = service_->GetVolumeStats(req);
  ASSERT_TRUE(stats.ok());
  EXPECT_TRUE(stats->volume_condition().abnormal());
  EXPECT_THAT(stats->volume_condition().message(), HasSubstr("missing"));

  ASSERT_TRUE(mounter_.Unmount(staging_).ok());
  stats = service_->GetVolumeStats(req);
  ASSERT_TRUE(stats.ok());
  EXPECT_TRUE(stats->volume_condition().abnormal());
  EXPECT_THAT(stats->volume_condition().message(), HasSubstr("nothing is mounted"));

  req.set_volume_path(root_ + "/nope");
  EXPECT_EQ(service_->GetVolumeStats(req).status().code(), Code::kNotFound);
}

TEST_F(NodeServiceTest, ErrorRemountedReadOnlyIsAbnormal) {
  std::string dir = root_ + "/errfs";
  ASSERT_TRUE(files_.MkdirAll(dir, 0750).ok());
  MountEntry broken;
  broken.mount_point = dir;
  broken.source = kDevice;
  broken.fs_type = "ext4";
  broken.mount_options = "rw,relatime";
  broken.super_options = "ro,errors=remount-ro";
  mounter_.AddMount(broken);
  directory_.SetDevicePath("pv1", "sat-1", kDevice);  // no stage record: LINSTOR says what it is
  csi::v1::NodeGetVolumeStatsRequest req;
  req.set_volume_id("pv1");
  req.set_volume_path(dir);
  auto stats = service_->GetVolumeStats(req);
  ASSERT_TRUE(stats.ok());
  EXPECT_TRUE(stats->volume_condition().abnormal());
  EXPECT_THAT(stats->volume_condition().message(), HasSubstr("read-only"));
}

TEST_F(NodeServiceTest, UnknownVolumeIsNotFoundBeforeThePathIsJudged) {
  for (const std::string& path :
       std::vector<std::string>{"some/path", root_ + "/nope", "/var/lib/outside"}) {
    csi::v1::NodeGetVolumeStatsRequest stats;
    stats.set_volume_id("pvc-unknown");
    stats.set_volume_path(path);
    EXPECT_EQ(service_->GetVolumeStats(stats).status().code(), Code::kNotFound) << path;
    csi::v1::NodeExpandVolumeRequest expand;
    expand.set_volume_id("pvc-unknown");
    expand.set_volume_path(path);
    EXPECT_EQ(service_->Expand(expand).status().code(), Code::kNotFound) << path;
  }
  // A known volume: stats still says NOT_FOUND (its only error), expand judges the path.
  directory_.SetDevicePath("pv1", "sat-1", kDevice);
  csi::v1::NodeGetVolumeStatsRequest stats;
  stats.set_volume_id("pv1");
  stats.set_volume_path("some/path");
  EXPECT_EQ(service_->GetVolumeStats(stats).status().code(), Code::kNotFound);
  csi::v1::NodeExpandVolumeRequest expand;
  expand.set_volume_id("pv1");
  expand.set_volume_path("some/path");
  EXPECT_EQ(service_->Expand(expand).status().code(), Code::kInvalidArgument);
}

TEST_F(NodeServiceTest, StatsOfAnotherVolumesPathIsNotFound) {
  prober_.SetBlank(kDevice);
  exec_.Expect("mkfs.ext4", 0);
  ASSERT_TRUE(service_->Stage(StageRequest()).ok());
  ASSERT_TRUE(service_->Publish(PublishRequest()).ok());
  directory_.SetDevicePath("pv2", "sat-1", "/dev/drbd1001");
  for (const auto& path : {staging_, target_}) {
    csi::v1::NodeGetVolumeStatsRequest req;
    req.set_volume_id("pv2");
    req.set_volume_path(path);
    auto stats = service_->GetVolumeStats(req);
    EXPECT_EQ(stats.status().code(), Code::kNotFound) << path;
    EXPECT_THAT(stats.status().message(), HasSubstr("holds volume pv1")) << path;
    req.set_volume_id("pv1");
    EXPECT_TRUE(service_->GetVolumeStats(req).ok()) << path;
  }
}

TEST_F(NodeServiceTest, StageOfUnknownVolumeIsNotFoundBeforeBadOptions) {
  auto req = StageRequest();
  req.mutable_publish_context()->clear();  // the device comes from LINSTOR, which has none
  (*req.mutable_volume_context())[std::string(kDriver) + "/fsOpts"] = "'unbalanced";
  EXPECT_EQ(service_->Stage(req).code(), Code::kNotFound);
  directory_.SetDevicePath("pv1", "sat-1", kDevice);
  EXPECT_EQ(service_->Stage(req).code(), Code::kInvalidArgument);
  EXPECT_EQ(mounter_.mount_count(), 0u);
}

TEST_F(NodeServiceTest, MissingFieldsAreInvalidArgument) {
  auto no_id = StageRequest();
  no_id.clear_volume_id();
  auto no_path = StageRequest();
  no_path.clear_staging_target_path();
  auto no_cap = StageRequest();
  no_cap.clear_volume_capability();
  for (const auto& r : {no_id, no_path, no_cap}) {
    EXPECT_EQ(service_->Stage(r).code(), Code::kInvalidArgument) << r.ShortDebugString();
  }
  auto pub_no_target = PublishRequest();
  pub_no_target.clear_target_path();
  auto pub_no_staging = PublishRequest();
  pub_no_staging.clear_staging_target_path();
  auto pub_no_cap = PublishRequest();
  pub_no_cap.clear_volume_capability();
  auto pub_no_id = PublishRequest();
  pub_no_id.clear_volume_id();
  auto pub_same = PublishRequest();
  pub_same.set_target_path(staging_);
  for (const auto& r : {pub_no_target, pub_no_cap, pub_no_id, pub_same}) {
    EXPECT_EQ(service_->Publish(r).code(), Code::kInvalidArgument) << r.ShortDebugString();
  }
  // The spec's "Staging target path not set" (STAGE_UNSTAGE_VOLUME is advertised).
  EXPECT_EQ(service_->Publish(pub_no_staging).code(), Code::kFailedPrecondition);
  EXPECT_EQ(service_->Unpublish({}).code(), Code::kInvalidArgument);
  csi::v1::NodeUnpublishVolumeRequest unpub;
  unpub.set_volume_id("pv1");
  EXPECT_EQ(service_->Unpublish(unpub).code(), Code::kInvalidArgument);
  EXPECT_EQ(service_->Unstage({}).code(), Code::kInvalidArgument);
  csi::v1::NodeUnstageVolumeRequest unstage;
  unstage.set_volume_id("pv1");
  EXPECT_EQ(service_->Unstage(unstage).code(), Code::kInvalidArgument);
  EXPECT_EQ(service_->GetVolumeStats({}).status().code(), Code::kInvalidArgument);
  EXPECT_EQ(service_->Expand({}).status().code(), Code::kInvalidArgument);
  csi::v1::NodeExpandVolumeRequest expand;
  expand.set_volume_id("pv1");
  EXPECT_EQ(service_->Expand(expand).status().code(), Code::kInvalidArgument);
}

TEST_F(NodeServiceTest, PathsOutsideThePrefixAreInvalidArgument) {
  auto outside = StageRequest();
  outside.set_staging_target_path("/var/lib/elsewhere/globalmount");
  EXPECT_EQ(service_->Stage(outside).code(), Code::kInvalidArgument);
  auto traversal = PublishRequest();
  traversal.set_target_path(root_ + "/pods/../../etc");
  EXPECT_EQ(service_->Publish(traversal).code(), Code::kInvalidArgument);
  csi::v1::NodeUnpublishVolumeRequest unpub;
  unpub.set_volume_id("pv1");
  unpub.set_target_path("/etc");
  EXPECT_EQ(service_->Unpublish(unpub).code(), Code::kInvalidArgument);
  EXPECT_TRUE(mounter_.actions().empty());
}

TEST_F(NodeServiceTest, GetInfoTopology) {
  auto info = service_->GetInfo();
  ASSERT_TRUE(info.ok()) << info.status().ToString();
  EXPECT_EQ(info->node_id(), "sat-1");
  EXPECT_EQ(info->max_volumes_per_node(), 12);
  const auto& segments = info->accessible_topology().segments();
  EXPECT_EQ(segments.size(), 3u);
  EXPECT_EQ(segments.at("linstor-cpp.csi.io/node"), "sat-1");
  EXPECT_EQ(segments.at("topology.kubernetes.io/zone"), "z1");
  EXPECT_EQ(segments.at("linstor-cpp.csi.io/rack"), "r7");
}

TEST(NodeServiceInfoTest, UnknownSatelliteFailsGetInfo) {
  FakeFilesystem files;
  FakeMounter mounter(files);
  FakeExec exec;
  FakeDeviceProbe prober;
  FakeBlockDevices devices;
  FakeClock clock;
  FakeSatelliteDirectory directory;
  directory.AddSatellite("worker-1");
  SatelliteCheck check("worker-1.example.com", "node name", directory, clock);
  NodeServiceConfig config;
  config.driver_name = kDriver;
  config.satellite = "worker-1.example.com";
  NodeService service(config, {mounter, exec, prober, devices, clock, directory, check, files});
  auto info = service.GetInfo();
  ASSERT_FALSE(info.ok());
  EXPECT_EQ(info.status().code(), Code::kFailedPrecondition);
  EXPECT_THAT(info.status().message(), HasSubstr("closest known satellites: \"worker-1\""));
}

TEST(TopologySegmentsTest, Mapping) {
  auto segments = TopologySegments("d.io", "s1",
                                   {{"Aux/topology/", "ignored"},
                                    {"Aux/topology/zone", "a"},
                                    {"Aux/topology/example.com/region", "eu"},
                                    {"Aux/zone", "no"}});
  EXPECT_EQ(segments, (std::map<std::string, std::string>{
                          {"d.io/node", "s1"}, {"d.io/zone", "a"}, {"example.com/region", "eu"}}));
}

TEST(LinstorSatelliteDirectoryTest, AdaptsTheClient) {
  lcsi::sim::InProcessSimOptions options;
  options.cluster_json = R"({"nodes": [{"name": "sat-a", "props": {"Aux/topology/zone": "z"}},
                                       {"name": "sat-b"}]})";
  lcsi::sim::InProcessSim sim(options);
  ASSERT_TRUE(sim.status().ok()) << sim.status().ToString();
  linstor::LinstorClient& client = sim.client();
  linstor::ResourceGroup group;
  group.name = "rg";
  group.select_filter.place_count = 1;
  group.select_filter.node_name_list = std::vector<std::string>{"sat-a"};
  ASSERT_TRUE(client.CreateResourceGroup(group).ok());
  linstor::ResourceGroupSpawn spawn;
  spawn.resource_definition_name = "pvc-1";
  spawn.volume_sizes = {1024};
  ASSERT_TRUE(client.Spawn("rg", spawn).ok());

  LinstorSatelliteDirectory directory(client);
  auto names = directory.ListSatellites();
  ASSERT_TRUE(names.ok());
  EXPECT_THAT(*names, ::testing::UnorderedElementsAre("sat-a", "sat-b"));
  auto props = directory.SatelliteProps("sat-a");
  ASSERT_TRUE(props.ok());
  EXPECT_EQ(props->at("Aux/topology/zone"), "z");
  EXPECT_EQ(directory.SatelliteProps("sat-x").status().code(), Code::kNotFound);
  auto device = directory.DevicePath("pvc-1", "sat-a");
  ASSERT_TRUE(device.ok()) << device.status().ToString();
  EXPECT_THAT(*device, ::testing::StartsWith("/dev/drbd"));
  EXPECT_EQ(directory.DevicePath("pvc-1", "sat-b").status().code(), Code::kNotFound);
  EXPECT_EQ(directory.DevicePath("pvc-2", "sat-a").status().code(), Code::kNotFound);

  EXPECT_TRUE(directory.CheckLinstorVersion().ok());
  ASSERT_TRUE(sim.admin().SetReportedVersion("1.27.0", "1.22.0").ok());
  Status old = directory.CheckLinstorVersion();
  EXPECT_EQ(old.code(), Code::kFailedPrecondition);
  EXPECT_THAT(old.message(), HasSubstr("needs LINSTOR 1.32.0 or newer"));
}

}  // namespace
}  // namespace lcsi::node
