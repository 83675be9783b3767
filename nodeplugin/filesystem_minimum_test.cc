// The filesystem minimums of csi/filesystems.h, checked with the real tools of this machine
// through the node's own staging path (libblkid probe, PrepareFilesystem's mkfs via SpawnExec,
// mount(2)) on loop devices: each filesystem formats and mounts a device of exactly its minimum
// and refuses one 1 KiB smaller, with mkfs's reason in the error. A tool update that moves a
// minimum either way fails here, before the controller would size volumes wrongly. Needs root.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <map>
#include <ostream>

#include "csi/filesystems.h"
#include "nodeplugin/filesystem.h"
#include "nodeplugin/libblkid_probe.h"
#include "nodeplugin/spawn_exec.h"
#include "nodeplugin/system_mounter.h"
#include "nodeplugin/test_support.h"

namespace lcsi {
// gtest prints the parameter of a failing case with this instead of its bytes.
void PrintTo(const FormattableFilesystem& fs, std::ostream* os) {
  *os << fs.name << " (minimum " << fs.min_kib << " KiB)";
}
}  // namespace lcsi

namespace lcsi::node {
namespace {

using ::testing::HasSubstr;

constexpr int64_t kKiB = 1024;

// What each mkfs of Debian 12 says one KiB below its minimum (e2fsprogs 1.47.0: too few inodes
// for ext4's reserved ones; xfsprogs 6.1.0: its 300 MB floor). A filesystem added to the table
// needs its line here.
const std::map<std::string, std::string>& ReasonBelowMinimum() {
  static const std::map<std::string, std::string> reasons = {
      {"ext4", "Illegal inode number while writing reserved inodes"},
      {"xfs", "Filesystem must be larger than 300MB"},
  };
  return reasons;
}

// Stages `fs` the way NodeStageVolume does on a fresh loop device of `kib` KiB: probe, mkfs,
// then mount, write and unmount. Every loop device and mount is released on return, also when
// an expectation fails (RAII in reverse order: mount dir, loop device, backing dir).
Status StageOnDeviceOf(const std::string& fs, int64_t kib) {
  testing::TempDir backing("lcsi-fs-minimum");
  testing::LoopDevice loop(backing.Sub("backing.img"), kib * kKiB);
  if (!loop.ok()) return Internal("loop device: " + loop.error());
  testing::TempDir mount_dir("lcsi-fs-minimum-mnt");

  LibblkidProbe probe;
  SpawnExec exec;
  auto prepared =
      PrepareFilesystem(probe, exec, loop.path(), fs, /*read_only=*/false, {}, FsToolTimeouts{});
  if (!prepared.ok()) return prepared.status();
  EXPECT_TRUE(prepared->formatted) << fs << " on " << kib << " KiB";
  EXPECT_EQ(prepared->fs_type, fs);

  SystemMounter mounter;
  const std::string target = mount_dir.Sub("fs");
  if (::mkdir(target.c_str(), 0750) != 0) return Internal("mkdir " + target);
  LCSI_RETURN_IF_ERROR(mounter.Mount(loop.path(), target, fs, {}));
  const bool wrote = testing::WriteFile(target + "/probe", "written at the minimum\n");
  Status unmounted = mounter.Unmount(target);
  EXPECT_TRUE(wrote) << "cannot write to " << fs << " on " << kib << " KiB";
  return unmounted;
}

class FilesystemMinimum : public ::testing::TestWithParam<FormattableFilesystem> {
 protected:
  void SetUp() override {
    if (::geteuid() != 0) GTEST_SKIP() << "needs root (loop devices, mount)";
  }
};

TEST_P(FilesystemMinimum, StagesAtTheMinimumAndMkfsRefusesOneKibLess) {
  const std::string name(GetParam().name);
  const int64_t min_kib = GetParam().min_kib;
  ASSERT_EQ(ReasonBelowMinimum().count(name), 1u) << "no expected mkfs reason for " << name;

  Status at = StageOnDeviceOf(name, min_kib);
  EXPECT_TRUE(at.ok()) << name << " on " << min_kib
                       << " KiB does not stage; csi/filesystems.h is out of date: "
                       << at.ToString();

  Status below = StageOnDeviceOf(name, min_kib - 1);
  EXPECT_EQ(below.code(), Code::kInternal)
      << "mkfs." << name << " formats " << min_kib - 1
      << " KiB: its minimum dropped; update csi/filesystems.h (" << below.ToString() << ")";
  EXPECT_THAT(below.message(), HasSubstr("mkfs." + name));
  EXPECT_THAT(below.message(), HasSubstr(ReasonBelowMinimum().at(name)));
}

INSTANTIATE_TEST_SUITE_P(Formattable, FilesystemMinimum,
                         ::testing::ValuesIn(kFormattableFilesystems),
                         [](const auto& info) { return std::string(info.param.name); });

// The node formats exactly the filesystems of the table, so each has a minimum the controller
// sizes new volumes by; ext2/ext3 are only mounted when found, never created.
TEST(FilesystemMinimumTable, IsWhatTheNodeFormats) {
  EXPECT_TRUE(IsFormattableFs(kDefaultFs));
  for (const auto& fs : kFormattableFilesystems) {
    EXPECT_TRUE(IsFormattableFs(std::string(fs.name))) << fs.name;
    EXPECT_TRUE(ValidateRequestedFs(std::string(fs.name)).ok()) << fs.name;
    EXPECT_GT(fs.min_kib, 0) << fs.name;
  }
  for (const char* other : {"ext2", "ext3", "btrfs", "vfat"}) {
    EXPECT_FALSE(IsFormattableFs(other)) << other;
    EXPECT_FALSE(FilesystemMinimumKib(other).has_value()) << other;
  }
  EXPECT_EQ(FormattableFilesystemNames(), "ext4, xfs");
  EXPECT_THAT(ValidateRequestedFs("btrfs").message(), HasSubstr("ext4, xfs"));
}

}  // namespace
}  // namespace lcsi::node
