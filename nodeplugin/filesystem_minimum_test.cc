// The filesystem minimums of csi/filesystems.h, checked with the real mkfs of this machine (the
// node's MkfsCommand through SpawnExec) on loop devices: each filesystem formats a device of
// exactly its minimum and refuses one 1 KiB smaller. A tool update that moves a minimum either
// way fails here, before the controller would size volumes wrongly. Needs root (loop devices).
#include <gtest/gtest.h>
#include <unistd.h>

#include "csi/filesystems.h"
#include "nodeplugin/filesystem.h"
#include "nodeplugin/spawn_exec.h"
#include "nodeplugin/test_support.h"

namespace lcsi::node {
namespace {

constexpr int64_t kKiB = 1024;

// mkfs.<fs> on a fresh loop device of `kib` KiB; the ExecResult (exit code, output).
ExecResult MkfsOnDeviceOf(const std::string& fs, int64_t kib) {
  testing::TempDir dir("lcsi-fs-minimum");
  testing::LoopDevice loop(dir.Sub("backing.img"), kib * kKiB);
  EXPECT_TRUE(loop.ok()) << loop.error();
  if (!loop.ok()) return {-1, "", loop.error()};
  SpawnExec exec;
  auto run = exec.Run(MkfsCommand(fs, loop.path(), {}, std::chrono::minutes(2)));
  EXPECT_TRUE(run.ok()) << run.status().ToString();
  return run.ok() ? *run : ExecResult{-1, "", run.status().ToString()};
}

class FilesystemMinimum : public ::testing::TestWithParam<FormattableFilesystem> {
 protected:
  void SetUp() override {
    if (::geteuid() != 0) GTEST_SKIP() << "needs root (loop devices)";
  }
};

TEST_P(FilesystemMinimum, MkfsFormatsTheMinimumAndRefusesLess) {
  const FormattableFilesystem fs = GetParam();
  const std::string name(fs.name);
  ExecResult at = MkfsOnDeviceOf(name, fs.min_kib);
  EXPECT_EQ(at.exit_code, 0) << "mkfs." << name << " on " << fs.min_kib
                             << " KiB failed; csi/filesystems.h is out of date:\n"
                             << at.err << at.out;
  ExecResult below = MkfsOnDeviceOf(name, fs.min_kib - 1);
  EXPECT_NE(below.exit_code, 0) << "mkfs." << name << " formats " << fs.min_kib - 1
                                << " KiB: its minimum dropped; update csi/filesystems.h";
}

INSTANTIATE_TEST_SUITE_P(Formattable, FilesystemMinimum,
                         ::testing::ValuesIn(kFormattableFilesystems),
                         [](const auto& info) { return std::string(info.param.name); });

TEST(FilesystemMinimumTable, CoversWhatTheNodeFormats) {
  EXPECT_TRUE(IsFormattableFs(kDefaultFs));
  EXPECT_TRUE(FilesystemMinimumKib(kDefaultFs).has_value());
  for (const auto& fs : kFormattableFilesystems) {
    EXPECT_TRUE(IsFormattableFs(std::string(fs.name))) << fs.name;
    EXPECT_GT(fs.min_kib, 0) << fs.name;
  }
  EXPECT_FALSE(IsFormattableFs("btrfs"));
}

}  // namespace
}  // namespace lcsi::node
