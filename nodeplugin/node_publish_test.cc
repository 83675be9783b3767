// NodePublishVolume and NodeUnpublishVolume with fakes: bind mounts of a staged filesystem or of
// a block device onto a file, conflicts, single-writer rules, and what is created and removed.
#include "nodeplugin/node_service_fixture.h"
#include "nodeplugin/stage_record.h"

namespace lcsi::node {
namespace {

using ::testing::HasSubstr;

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

}  // namespace
}  // namespace lcsi::node
