// Node service logic with fakes: which commands run, which mounts happen, which codes come back.
// Paths, directories and stage records live in a FakeFilesystem; devices, mounts and tools are
// fakes; the LINSTOR adapter talks to linstor-sim in process.
#include "nodeplugin/node_service.h"

#include <sys/sysmacros.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "linstor/sim/testing/in_process_sim.h"
#include "nodeplugin/fake_device_probe.h"
#include "nodeplugin/fake_exec.h"
#include "nodeplugin/fake_filesystem.h"
#include "nodeplugin/fake_mounter.h"
#include "nodeplugin/linstor_satellite_directory.h"
#include "nodeplugin/stage_record.h"
#include "nodeplugin/test_support.h"

namespace lcsi::node {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using Mode = csi::v1::VolumeCapability::AccessMode;
using std::chrono::milliseconds;

constexpr const char* kDriver = "linstor-cpp.csi.io";
constexpr const char* kDevice = "/dev/drbd1000";

class NodeServiceTest : public ::testing::Test {
 protected:
  NodeServiceTest()
      : check_("sat-1", "node name", directory_, clock_),
        root_("/var/lib/kubelet"),
        staging_(root_ + "/plugins/pv1/globalmount"),
        target_(root_ + "/pods/uid/volumes/pv1/mount") {
    EXPECT_TRUE(files_.MkdirAll(root_, 0750).ok());
    directory_.AddSatellite("sat-1", {{"Aux/topology/topology.kubernetes.io/zone", "z1"},
                                      {"Aux/topology/rack", "r7"},
                                      {"Aux/other", "x"}});
    directory_.AddSatellite("sat-2");
    devices_.Add(kDevice, 1 << 30);
    for (const char* volume : {"pv1", "pv2"}) {
      directory_.SetResources(volume, {testing::DrbdReplica(volume, "sat-1")});
    }
    NodeServiceConfig config;
    config.driver_name = kDriver;
    config.satellite = "sat-1";
    config.allowed_path_prefixes = {root_};
    config.max_volumes_per_node = 12;
    config.device_wait_timeout = milliseconds(1000);
    config.device_poll_interval = milliseconds(100);
    service_ = std::make_unique<NodeService>(
        config,
        NodeDependencies{mounter_, exec_, prober_, devices_, clock_, directory_, check_, files_});
  }

  csi::v1::NodeStageVolumeRequest StageRequest(const std::string& fs = "ext4",
                                               Mode::Mode mode = Mode::SINGLE_NODE_WRITER) {
    csi::v1::NodeStageVolumeRequest req;
    req.set_volume_id("pv1");
    req.set_staging_target_path(staging_);
    (*req.mutable_publish_context())[kDevicePathKey] = kDevice;
    req.mutable_volume_capability()->mutable_mount()->set_fs_type(fs);
    req.mutable_volume_capability()->mutable_access_mode()->set_mode(mode);
    return req;
  }

  csi::v1::NodePublishVolumeRequest PublishRequest(bool readonly = false) {
    csi::v1::NodePublishVolumeRequest req;
    req.set_volume_id("pv1");
    req.set_staging_target_path(staging_);
    req.set_target_path(target_);
    req.set_readonly(readonly);
    req.mutable_volume_capability()->mutable_mount()->set_fs_type("ext4");
    req.mutable_volume_capability()->mutable_access_mode()->set_mode(Mode::SINGLE_NODE_WRITER);
    return req;
  }

  bool Exists(const std::string& path) {
    auto info = files_.Lstat(path);
    return info.ok() && info->has_value();
  }

  FakeFilesystem files_;
  FakeMounter mounter_{files_};
  FakeExec exec_;
  FakeDeviceProbe prober_;
  FakeBlockDevices devices_;
  FakeClock clock_;
  FakeSatelliteDirectory directory_;
  SatelliteCheck check_;
  std::string root_;
  std::string staging_;
  std::string target_;
  std::unique_ptr<NodeService> service_;
};

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

TEST_F(NodeServiceTest, PublishBindsAndChecksConflicts) {
  prober_.SetBlank(kDevice);
  exec_.Expect("mkfs.ext4", 0);
  ASSERT_TRUE(service_->Stage(StageRequest()).ok());
  ASSERT_TRUE(service_->Publish(PublishRequest(true)).ok());
  EXPECT_EQ(mounter_.actions().back(), "bind " + staging_ + " " + target_ + " ro");
  EXPECT_TRUE(files_.Lstat(target_).value()->IsDirectory()) << "target directory created";
  ASSERT_TRUE(service_->Publish(PublishRequest(true)).ok());
  EXPECT_EQ(service_->Publish(PublishRequest(false)).code(), Code::kAlreadyExists);
  ASSERT_TRUE(service_
                  ->Unpublish([&] {
                    csi::v1::NodeUnpublishVolumeRequest r;
                    r.set_volume_id("pv1");
                    r.set_target_path(target_);
                    return r;
                  }())
                  .ok());
  EXPECT_FALSE(Exists(target_)) << "target directory removed";
}

TEST_F(NodeServiceTest, SingleWriterVolumeHasOnlyOneTarget) {
  for (auto mode : {Mode::SINGLE_NODE_SINGLE_WRITER, Mode::SINGLE_NODE_MULTI_WRITER}) {
    SCOPED_TRACE(mode);
    const std::string volume = "pv-mode-" + std::to_string(mode);
    directory_.SetResources(volume, {testing::DrbdReplica(volume, "sat-1")});
    auto stage = StageRequest("ext4", mode);
    stage.set_volume_id(volume);
    stage.set_staging_target_path(root_ + "/plugins/" + volume + "/globalmount");
    prober_.SetBlank(kDevice);
    exec_.Expect("mkfs.ext4", 0);
    ASSERT_TRUE(service_->Stage(stage).ok());
    auto publish = PublishRequest();
    publish.set_volume_id(volume);
    publish.set_staging_target_path(stage.staging_target_path());
    publish.mutable_volume_capability()->mutable_access_mode()->set_mode(mode);
    publish.set_target_path(root_ + "/pods/a/" + volume);
    ASSERT_TRUE(service_->Publish(publish).ok());
    ASSERT_TRUE(service_->Publish(publish).ok()) << "the same target again is fine";
    publish.set_target_path(root_ + "/pods/b/" + volume);
    Status second = service_->Publish(publish);
    if (mode == Mode::SINGLE_NODE_SINGLE_WRITER) {
      EXPECT_EQ(second.code(), Code::kFailedPrecondition);
      EXPECT_THAT(second.message(), HasSubstr("already published at " + root_ + "/pods/a/"));
    } else {
      EXPECT_TRUE(second.ok()) << second.ToString();
    }
  }
}

TEST_F(NodeServiceTest, PublishWithoutStageIsFailedPrecondition) {
  Status s = service_->Publish(PublishRequest());
  EXPECT_EQ(s.code(), Code::kFailedPrecondition);
  EXPECT_THAT(s.message(), HasSubstr("not staged"));
  EXPECT_FALSE(Exists(target_)) << "no target left behind";
}

TEST_F(NodeServiceTest, BindFailureRemovesTheCreatedTarget) {
  prober_.SetBlank(kDevice);
  exec_.Expect("mkfs.ext4", 0);
  ASSERT_TRUE(service_->Stage(StageRequest()).ok());
  mounter_.FailNext("BindMount", Internal("no"));
  EXPECT_EQ(service_->Publish(PublishRequest()).code(), Code::kInternal);
  EXPECT_FALSE(Exists(target_));
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

TEST_F(NodeServiceTest, BlockVolumeIsPublishedOnAFileItCreatesAndRemoves) {
  const dev_t number = makedev(147, 1000);
  files_.AddBlockDevice(kDevice, number);
  auto stage = StageRequest();
  stage.mutable_volume_capability()->mutable_block();
  ASSERT_TRUE(service_->Stage(stage).ok());
  EXPECT_EQ(mounter_.mount_count(), 0u) << "block staging mounts nothing";
  auto record = ReadStageRecord(files_, staging_);
  ASSERT_TRUE(record.ok() && record->has_value());
  EXPECT_TRUE((*record)->block);

  const std::string target = root_ + "/pods/uid/volumeDevices/pv1";
  auto publish = PublishRequest();
  publish.set_target_path(target);
  publish.mutable_volume_capability()->mutable_block();
  mounter_.FailNext("BindMount", Internal("no"));
  EXPECT_EQ(service_->Publish(publish).code(), Code::kInternal);
  EXPECT_FALSE(Exists(target)) << "the file made for the failed bind is gone";

  ASSERT_TRUE(service_->Publish(publish).ok());
  EXPECT_EQ(mounter_.actions().back(), "bind " + std::string(kDevice) + " " + target + " ");
  auto file = files_.Lstat(target);
  ASSERT_TRUE(file.ok() && file->has_value());
  EXPECT_TRUE((*file)->IsRegular());
  EXPECT_EQ((*file)->size, 0);

  // While bound, stat of the target shows the device node (the fake knows no mounts).
  files_.AddBlockDevice(target, number);
  EXPECT_TRUE(service_->Publish(publish).ok()) << "the same publish again";
  publish.set_readonly(true);
  EXPECT_EQ(service_->Publish(publish).code(), Code::kAlreadyExists);

  files_.AddFile(target, "");  // unmounted, the empty file shows again
  csi::v1::NodeUnpublishVolumeRequest unpublish;
  unpublish.set_volume_id("pv1");
  unpublish.set_target_path(target);
  ASSERT_TRUE(service_->Unpublish(unpublish).ok());
  EXPECT_EQ(mounter_.mount_count(), 0u);
  EXPECT_FALSE(Exists(target));
}

TEST_F(NodeServiceTest, BlockPublishRefusesATargetThatIsNotAFile) {
  files_.AddBlockDevice(kDevice, makedev(147, 1000));
  auto stage = StageRequest();
  stage.mutable_volume_capability()->mutable_block();
  ASSERT_TRUE(service_->Stage(stage).ok());
  auto publish = PublishRequest();
  publish.mutable_volume_capability()->mutable_block();
  ASSERT_TRUE(files_.MkdirAll(target_, 0750).ok());
  Status s = service_->Publish(publish);
  EXPECT_EQ(s.code(), Code::kFailedPrecondition);
  EXPECT_THAT(s.message(), HasSubstr("not a regular file"));
  EXPECT_EQ(mounter_.mount_count(), 0u);
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

TEST_F(NodeServiceTest, UnpublishOfMissingTargetIsOk) {
  csi::v1::NodeUnpublishVolumeRequest unpub;
  unpub.set_volume_id("pv1");
  unpub.set_target_path(target_);
  EXPECT_TRUE(service_->Unpublish(unpub).ok());
}

TEST_F(NodeServiceTest, UnpublishNeverDeletesData) {
  std::string dir = root_ + "/pods/full";
  files_.AddFile(dir + "/precious", "data");
  csi::v1::NodeUnpublishVolumeRequest unpub;
  unpub.set_volume_id("pv1");
  unpub.set_target_path(dir);
  EXPECT_EQ(service_->Unpublish(unpub).code(), Code::kFailedPrecondition);
  EXPECT_EQ(*files_.ReadFile(dir + "/precious"), "data");
  // Nor a file with content where a block volume's (empty) target file would be.
  files_.AddFile(root_ + "/pods/file", "data");
  unpub.set_target_path(root_ + "/pods/file");
  EXPECT_EQ(service_->Unpublish(unpub).code(), Code::kFailedPrecondition);
  EXPECT_EQ(*files_.ReadFile(root_ + "/pods/file"), "data");
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
