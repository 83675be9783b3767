// SystemMounter against the real kernel, on tmpfs (no devices needed). Needs root.
#include "nodeplugin/system_mounter.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include "nodeplugin/test_support.h"

namespace lcsi::node {
namespace {

using testing::MountsUnder;
using testing::TempDir;

class SystemMounterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (::geteuid() != 0) GTEST_SKIP() << "needs root";
    ASSERT_FALSE(dir_.path().empty());
  }
  void TearDown() override { EXPECT_TRUE(MountsUnder(dir_.path()).empty()); }

  std::string MakeDir(const std::string& name) {
    std::string path = dir_.Sub(name);
    ::mkdir(path.c_str(), 0755);
    return path;
  }

  TempDir dir_;
  SystemMounter mounter_;
};

TEST_F(SystemMounterTest, MountListUnmount) {
  std::string target = MakeDir("with space");
  ASSERT_TRUE(mounter_.Mount("lcsi-test", target, "tmpfs", {"size=1m", "noatime"}).ok());
  auto mount = mounter_.FindMount(target);
  ASSERT_TRUE(mount.ok());
  ASSERT_TRUE(mount->has_value()) << "mountinfo must unescape the space";
  EXPECT_EQ((*mount)->fs_type, "tmpfs");
  EXPECT_EQ((*mount)->source, "lcsi-test");
  EXPECT_TRUE(HasOption((*mount)->mount_options, "noatime"));
  EXPECT_TRUE(*mounter_.IsMountPoint(target));

  ASSERT_TRUE(mounter_.Unmount(target).ok());
  EXPECT_FALSE(*mounter_.IsMountPoint(target));
}

TEST_F(SystemMounterTest, ReadOnlyBindMountRefusesWrites) {
  std::string source = MakeDir("src");
  std::string target = MakeDir("dst");
  ASSERT_TRUE(mounter_.Mount("tmpfs", source, "tmpfs", {"size=1m"}).ok());
  ASSERT_TRUE(testing::WriteFile(source + "/file", "hello"));

  ASSERT_TRUE(mounter_.BindMount(source, target, {"ro", "nosuid"}).ok());
  EXPECT_EQ(testing::ReadFile(target + "/file"), "hello");
  int fd = ::open((target + "/new").c_str(), O_WRONLY | O_CREAT, 0644);
  EXPECT_LT(fd, 0);
  EXPECT_EQ(errno, EROFS);
  if (fd >= 0) ::close(fd);
  auto mount = mounter_.FindMount(target);
  ASSERT_TRUE(mount.ok() && mount->has_value());
  EXPECT_TRUE((*mount)->ReadOnlyMount());
  EXPECT_TRUE(HasOption((*mount)->mount_options, "nosuid"));
  EXPECT_FALSE((*mount)->ReadOnlySuperblock()) << "only the bind mount is read-only";

  ASSERT_TRUE(mounter_.Unmount(target).ok());
  ASSERT_TRUE(mounter_.Unmount(source).ok());
}

TEST_F(SystemMounterTest, RemountReadOnly) {
  std::string source = MakeDir("src");
  std::string target = MakeDir("dst");
  ASSERT_TRUE(mounter_.Mount("tmpfs", source, "tmpfs", {"size=1m"}).ok());
  ASSERT_TRUE(mounter_.BindMount(source, target, {}).ok());
  EXPECT_TRUE(testing::WriteFile(target + "/a", "x"));
  ASSERT_TRUE(mounter_.RemountReadOnly(target).ok());
  EXPECT_FALSE(testing::WriteFile(target + "/b", "x"));
  EXPECT_TRUE(testing::WriteFile(source + "/c", "x")) << "the source stays writable";
  ASSERT_TRUE(mounter_.Unmount(target).ok());
  ASSERT_TRUE(mounter_.Unmount(source).ok());
}

TEST_F(SystemMounterTest, BindMountOfAFileOntoAFile) {
  std::string source = dir_.Sub("source-file");
  std::string target = dir_.Sub("target-file");
  ASSERT_TRUE(testing::WriteFile(source, "data"));
  ASSERT_TRUE(testing::WriteFile(target, ""));
  ASSERT_TRUE(mounter_.BindMount(source, target, {}).ok());
  EXPECT_EQ(testing::ReadFile(target), "data");
  EXPECT_TRUE(*mounter_.IsMountPoint(target));
  ASSERT_TRUE(mounter_.Unmount(target).ok());
}

TEST_F(SystemMounterTest, Errors) {
  std::string plain = MakeDir("plain");
  Status not_mounted = mounter_.Unmount(plain);
  EXPECT_EQ(not_mounted.code(), Code::kFailedPrecondition) << not_mounted.ToString();
  EXPECT_EQ(mounter_.Unmount(dir_.Sub("missing")).code(), Code::kNotFound);
  EXPECT_EQ(mounter_.Mount("x", plain, "tmpfs", {"bind"}).code(), Code::kInvalidArgument);
  EXPECT_FALSE(mounter_.Mount("/dev/does-not-exist", plain, "ext4", {}).ok());
  EXPECT_EQ(mounter_.RemountReadOnly(plain).code(), Code::kFailedPrecondition);
  EXPECT_FALSE(*mounter_.IsMountPoint(plain));
}

TEST_F(SystemMounterTest, UnmountDoesNotFollowSymlinks) {
  std::string target = MakeDir("real");
  std::string link = dir_.Sub("link");
  ASSERT_EQ(::symlink(target.c_str(), link.c_str()), 0);
  ASSERT_TRUE(mounter_.Mount("tmpfs", target, "tmpfs", {"size=1m"}).ok());
  EXPECT_FALSE(mounter_.Unmount(link).ok());
  EXPECT_TRUE(*mounter_.IsMountPoint(target));
  ASSERT_TRUE(mounter_.Unmount(target).ok());
}

}  // namespace
}  // namespace lcsi::node
