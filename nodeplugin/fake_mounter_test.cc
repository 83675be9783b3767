#include "nodeplugin/fake_mounter.h"

#include <sys/stat.h>

#include <gtest/gtest.h>

#include "nodeplugin/test_support.h"

namespace lcsi::node {
namespace {

TEST(FakeMounterTest, KeepsTableAndLog) {
  testing::TempDir dir;
  std::string staging = dir.Sub("staging");
  std::string target = dir.Sub("target");
  ::mkdir(staging.c_str(), 0755);
  ::mkdir(target.c_str(), 0755);
  FakeMounter mounter;
  ASSERT_TRUE(mounter.Mount("/dev/drbd1000", staging, "ext4", {"noatime"}).ok());
  ASSERT_TRUE(mounter.BindMount(staging, target, {"ro"}).ok());
  auto bind = mounter.FindMount(target);
  ASSERT_TRUE(bind.ok() && bind->has_value());
  EXPECT_EQ((*bind)->source, "/dev/drbd1000");
  EXPECT_TRUE((*bind)->ReadOnlyMount());
  EXPECT_EQ(mounter.Unmount(dir.Sub("nothing")).code(), Code::kFailedPrecondition);
  mounter.FailNext("Unmount", Internal("boom"));
  EXPECT_EQ(mounter.Unmount(target).code(), Code::kInternal);
  ASSERT_TRUE(mounter.Unmount(target).ok());
  ASSERT_TRUE(mounter.Unmount(staging).ok());
  EXPECT_EQ(mounter.mount_count(), 0u);
  EXPECT_EQ(mounter.actions(),
            (std::vector<std::string>{
                "mount /dev/drbd1000 " + staging + " ext4 noatime",
                "bind " + staging + " " + target + " ro", "FAILED unmount " + dir.Sub("nothing"),
                "FAILED unmount " + target, "unmount " + target, "unmount " + staging}));
}

TEST(FakeMounterTest, MissingTargetFailsLikeTheKernel) {
  FakeMounter mounter;
  EXPECT_EQ(mounter.Mount("/dev/x", "/nonexistent/lcsi", "ext4", {}).code(), Code::kNotFound);
  EXPECT_EQ(mounter.mount_count(), 0u);
}

}  // namespace
}  // namespace lcsi::node
