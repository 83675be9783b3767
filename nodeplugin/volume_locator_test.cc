// VolumeLocator: which volume a path holds, from stage records first and LINSTOR second; an
// unknown volume is NotFound before the path is judged.
#include "nodeplugin/volume_locator.h"

#include <sys/sysmacros.h>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "nodeplugin/fake_filesystem.h"
#include "nodeplugin/fake_mounter.h"
#include "nodeplugin/stage_record.h"

namespace lcsi::node {
namespace {

using ::testing::HasSubstr;

constexpr const char* kDevice = "/dev/drbd1000";

class VolumeLocatorTest : public ::testing::Test {
 protected:
  VolumeLocatorTest()
      : root_("/var/lib/kubelet"),
        staging_(root_ + "/globalmount"),
        target_(root_ + "/mount"),
        policy_(files_, {root_}),
        locator_(policy_, files_, mounter_, directory_, "sat-1") {
    for (const auto& dir : {staging_, target_}) EXPECT_TRUE(files_.MkdirAll(dir, 0750).ok());
    directory_.AddSatellite("sat-1");
  }

  // What NodeStageVolume and NodePublishVolume leave: a staging mount with its record and a
  // bind of it at the target.
  void StageAndPublish(const std::string& volume) {
    ASSERT_TRUE(mounter_.Mount(kDevice, staging_, "ext4", {}).ok());
    StageRecord record;
    record.volume_id = volume;
    record.device = kDevice;
    record.fs_type = "ext4";
    ASSERT_TRUE(WriteStageRecord(files_, staging_, record).ok());
    ASSERT_TRUE(mounter_.BindMount(staging_, target_, {}).ok());
  }

  FakeFilesystem files_;
  std::string root_, staging_, target_;
  PathPolicy policy_;
  FakeMounter mounter_{files_};
  FakeSatelliteDirectory directory_;
  VolumeLocator locator_;
};

TEST_F(VolumeLocatorTest, UnknownVolumeIsNotFoundWhateverThePath) {
  for (Code bad_path : {Code::kNotFound, Code::kInvalidArgument}) {
    for (const std::string& path : std::vector<std::string>{
             "some/path", "/etc/passwd", root_ + "/../x", root_ + "/nope", staging_}) {
      auto at = locator_.Locate("pvc-unknown", path, bad_path);
      EXPECT_EQ(at.status().code(), Code::kNotFound) << path;
      EXPECT_THAT(at.status().message(), HasSubstr("not on this node")) << path;
    }
  }
}

TEST_F(VolumeLocatorTest, KnownVolumeWithABadPathAnswersTheCallersCode) {
  directory_.SetDevicePath("pv1", "sat-1", kDevice);
  auto stats = locator_.Locate("pv1", "some/path", Code::kNotFound);
  EXPECT_EQ(stats.status().code(), Code::kNotFound);
  EXPECT_THAT(stats.status().message(), HasSubstr("not an absolute path"));
  auto expand = locator_.Locate("pv1", "some/path", Code::kInvalidArgument);
  EXPECT_EQ(expand.status().code(), Code::kInvalidArgument);
  auto missing = locator_.Locate("pv1", root_ + "/nope", Code::kInvalidArgument);
  EXPECT_EQ(missing.status().code(), Code::kNotFound);
  EXPECT_THAT(missing.status().message(), HasSubstr("does not exist"));
}

TEST_F(VolumeLocatorTest, StageRecordsAnswerWithoutLinstor) {
  StageAndPublish("pv1");
  for (const auto& path : {staging_, target_}) {
    auto at = locator_.Locate("pv1", path, Code::kNotFound);
    ASSERT_TRUE(at.ok()) << path << ": " << at.status().ToString();
    EXPECT_EQ(at->path, path);
    ASSERT_TRUE(at->mount.has_value());
    EXPECT_EQ(at->mount->source, kDevice);
    auto other = locator_.Locate("pv2", path, Code::kNotFound);
    EXPECT_EQ(other.status().code(), Code::kNotFound);
    EXPECT_THAT(other.status().message(), HasSubstr("holds volume pv1, not pv2"));
  }
  EXPECT_EQ(directory_.calls(), 0);
}

TEST_F(VolumeLocatorTest, WithoutARecordLinstorsDeviceDecides) {
  MountEntry m;
  m.mount_point = target_;
  m.source = kDevice;
  m.fs_type = "ext4";
  m.root = "/";
  m.major = 147;
  m.minor = 1000;
  mounter_.AddMount(m);
  directory_.SetDevicePath("pv1", "sat-1", kDevice);
  directory_.SetDevicePath("pv2", "sat-1", "/dev/drbd1001");
  EXPECT_TRUE(locator_.Locate("pv1", target_, Code::kNotFound).ok());
  auto other = locator_.Locate("pv2", target_, Code::kNotFound);
  EXPECT_EQ(other.status().code(), Code::kNotFound);
  EXPECT_THAT(other.status().message(), HasSubstr("/dev/drbd1001"));

  // An empty directory (the mount is gone): the volume is on this node; the caller reports it.
  auto empty = locator_.Locate("pv1", staging_, Code::kNotFound);
  ASSERT_TRUE(empty.ok());
  EXPECT_FALSE(empty->mount.has_value());

  directory_.SetFailure(Unavailable("LINSTOR is down"));
  EXPECT_EQ(locator_.Locate("pv1", target_, Code::kNotFound).status().code(), Code::kUnavailable);
}

TEST_F(VolumeLocatorTest, BlockTargetsAreComparedByDeviceNumber) {
  // What a published block volume's target shows: the device node (stat sees through the bind).
  const std::string block_target = root_ + "/pods/uid/volumeDevices/pv1";
  files_.AddBlockDevice(kDevice, makedev(147, 1000));
  files_.AddBlockDevice("/dev/drbd1001", makedev(147, 1001));
  files_.AddBlockDevice(block_target, makedev(147, 1000));
  directory_.SetDevicePath("pv1", "sat-1", kDevice);
  directory_.SetDevicePath("pv2", "sat-1", "/dev/drbd1001");
  auto at = locator_.Locate("pv1", block_target, Code::kNotFound);
  ASSERT_TRUE(at.ok()) << at.status().ToString();
  EXPECT_TRUE(at->info.IsBlockDevice());
  auto other = locator_.Locate("pv2", block_target, Code::kNotFound);
  EXPECT_EQ(other.status().code(), Code::kNotFound);
  EXPECT_THAT(other.status().message(), HasSubstr("another block device than /dev/drbd1001"));
}

}  // namespace
}  // namespace lcsi::node
