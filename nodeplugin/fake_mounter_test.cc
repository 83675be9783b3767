#include "nodeplugin/fake_mounter.h"

#include <sys/sysmacros.h>

#include <gtest/gtest.h>

#include "nodeplugin/fake_filesystem.h"

namespace lcsi::node {
namespace {

TEST(FakeMounterTest, KeepsTableAndLog) {
  FakeFilesystem files;
  const std::string staging = "/kubelet/staging";
  const std::string target = "/kubelet/target";
  ASSERT_TRUE(files.MkdirAll(staging, 0755).ok());
  ASSERT_TRUE(files.MkdirAll(target, 0755).ok());
  FakeMounter mounter(files);
  ASSERT_TRUE(mounter.Mount("/dev/drbd1000", staging, "ext4", {"noatime"}).ok());
  ASSERT_TRUE(mounter.BindMount(staging, target, {"ro"}).ok());
  auto bind = mounter.FindMount(target);
  ASSERT_TRUE(bind.ok() && bind->has_value());
  EXPECT_EQ((*bind)->source, "/dev/drbd1000");
  EXPECT_TRUE((*bind)->ReadOnlyMount());
  EXPECT_EQ(mounter.Unmount("/kubelet/nothing").code(), Code::kFailedPrecondition);
  mounter.FailNext("Unmount", Internal("boom"));
  EXPECT_EQ(mounter.Unmount(target).code(), Code::kInternal);
  ASSERT_TRUE(mounter.Unmount(target).ok());
  ASSERT_TRUE(mounter.Unmount(staging).ok());
  EXPECT_EQ(mounter.mount_count(), 0u);
  EXPECT_EQ(mounter.actions(),
            (std::vector<std::string>{"mount /dev/drbd1000 " + staging + " ext4 noatime",
                                      "bind " + staging + " " + target + " ro",
                                      "FAILED unmount /kubelet/nothing", "FAILED unmount " + target,
                                      "unmount " + target, "unmount " + staging}));
}

TEST(FakeMounterTest, MissingTargetFailsLikeTheKernel) {
  FakeFilesystem files;
  FakeMounter mounter(files);
  EXPECT_EQ(mounter.Mount("/dev/x", "/nonexistent/lcsi", "ext4", {}).code(), Code::kNotFound);
  ASSERT_TRUE(files.MkdirAll("/t", 0755).ok());
  EXPECT_EQ(mounter.BindMount("/dev/x", "/t", {}).code(), Code::kNotFound) << "missing source";
  files.AddBlockDevice("/dev/x", makedev(7, 0));
  EXPECT_TRUE(mounter.BindMount("/dev/x", "/t", {}).ok());
  EXPECT_EQ(mounter.mount_count(), 1u);
}

}  // namespace
}  // namespace lcsi::node
