// The Filesystem seam's contract, run against both implementations: PosixFilesystem on a temp
// directory and FakeFilesystem, so the fake behaves as the real calls do wherever the node
// relies on it (what exists, symlinks, creating, removing, atomic writes, reading).
#include "nodeplugin/filesystem_seam.h"

#include <sys/sysmacros.h>
#include <unistd.h>

#include <functional>
#include <memory>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "nodeplugin/fake_filesystem.h"
#include "nodeplugin/posix_filesystem.h"
#include "nodeplugin/test_support.h"

namespace lcsi::node {
namespace {

using ::testing::HasSubstr;

// One implementation under test, with a way to plant a symlink (the seam makes none).
struct Implementation {
  std::string name;
  std::function<std::unique_ptr<Filesystem>()> make;
  std::function<void(Filesystem&, const std::string& path, const std::string& target)> symlink;
};

class FilesystemContractTest : public ::testing::TestWithParam<Implementation> {
 protected:
  void SetUp() override {
    files_ = GetParam().make();
    // Canonical, so that RealPath answers can be compared (/tmp may be a symlink).
    auto real = PosixFilesystem().RealPath(dir_.path());
    ASSERT_TRUE(real.ok());
    root_ = *real;
    ASSERT_TRUE(files_->MkdirAll(root_, 0755).ok());
  }
  void Symlink(const std::string& path, const std::string& target) {
    GetParam().symlink(*files_, path, target);
  }
  std::optional<FileInfo> Lstat(const std::string& path) {
    auto info = files_->Lstat(path);
    EXPECT_TRUE(info.ok()) << info.status().ToString();
    return info.ok() ? *info : std::nullopt;
  }

  testing::TempDir dir_{"lcsi-fs-contract"};
  std::string root_;
  std::unique_ptr<Filesystem> files_;
};

TEST_P(FilesystemContractTest, NothingThereIsAnAnswer) {
  EXPECT_FALSE(Lstat(root_ + "/missing").has_value());
  ASSERT_TRUE(
      files_->WriteFileAtomically(root_ + "/file", "x", 0600, Durability::kSurvivesProcessCrash)
          .ok());
  // Below a regular file (ENOTDIR) is nothing there too, for Lstat and Stat.
  EXPECT_FALSE(Lstat(root_ + "/file/below").has_value());
  auto below = files_->Stat(root_ + "/file/below");
  ASSERT_TRUE(below.ok());
  EXPECT_FALSE(below->has_value());
  EXPECT_EQ(files_->ReadFile(root_ + "/missing").status().code(), Code::kNotFound);
  EXPECT_EQ(files_->RealPath(root_ + "/missing/x").status().code(), Code::kNotFound);
  EXPECT_EQ(files_->Statfs(root_ + "/missing").status().code(), Code::kNotFound);
}

TEST_P(FilesystemContractTest, MkdirAllCreatesParentsAndRefusesFiles) {
  const std::string deep = root_ + "/a/b/c";
  ASSERT_TRUE(files_->MkdirAll(deep, 0750).ok());
  ASSERT_TRUE(Lstat(deep).has_value());
  EXPECT_TRUE(Lstat(deep)->IsDirectory());
  EXPECT_TRUE(files_->MkdirAll(deep, 0750).ok()) << "an existing directory is fine";
  ASSERT_TRUE(files_->Create(root_ + "/a/file", 0640).ok());
  Status over = files_->MkdirAll(root_ + "/a/file", 0750);
  EXPECT_EQ(over.code(), Code::kFailedPrecondition) << over.ToString();
  Status below = files_->MkdirAll(root_ + "/a/file/sub", 0750);
  EXPECT_EQ(below.code(), Code::kFailedPrecondition) << below.ToString();
}

TEST_P(FilesystemContractTest, CreateMakesAnEmptyFileOnlyWhereNothingIs) {
  const std::string file = root_ + "/target";
  ASSERT_TRUE(files_->Create(file, 0640).ok());
  auto info = Lstat(file);
  ASSERT_TRUE(info.has_value());
  EXPECT_TRUE(info->IsRegular());
  EXPECT_EQ(info->size, 0);
  EXPECT_EQ(files_->Create(file, 0640).code(), Code::kAlreadyExists);
  EXPECT_EQ(files_->Create(root_ + "/no/parent", 0640).code(), Code::kNotFound);
  // Never through a symlink, even a dangling one.
  Symlink(root_ + "/dangling", root_ + "/elsewhere");
  EXPECT_EQ(files_->Create(root_ + "/dangling", 0640).code(), Code::kAlreadyExists);
  EXPECT_FALSE(Lstat(root_ + "/elsewhere").has_value());
}

TEST_P(FilesystemContractTest, RemoveTakesFilesLinksAndEmptyDirectoriesOnly) {
  ASSERT_TRUE(files_->MkdirAll(root_ + "/full", 0750).ok());
  ASSERT_TRUE(files_
                  ->WriteFileAtomically(root_ + "/full/precious", "data", 0600,
                                        Durability::kSurvivesProcessCrash)
                  .ok());
  Status full = files_->Remove(root_ + "/full");
  EXPECT_EQ(full.code(), Code::kFailedPrecondition) << full.ToString();
  EXPECT_EQ(*files_->ReadFile(root_ + "/full/precious"), "data");

  Symlink(root_ + "/link", root_ + "/full");
  ASSERT_TRUE(files_->Remove(root_ + "/link").ok());
  EXPECT_FALSE(Lstat(root_ + "/link").has_value());
  EXPECT_TRUE(Lstat(root_ + "/full").has_value()) << "the link goes, not what it points to";

  ASSERT_TRUE(files_->Remove(root_ + "/full/precious").ok());
  ASSERT_TRUE(files_->Remove(root_ + "/full").ok());
  EXPECT_FALSE(Lstat(root_ + "/full").has_value());
  EXPECT_TRUE(files_->Remove(root_ + "/full").ok()) << "nothing there is fine";
}

TEST_P(FilesystemContractTest, WriteFileAtomicallyReplacesTheWholeFile) {
  const std::string path = root_ + "/record.json";
  ASSERT_TRUE(
      files_->WriteFileAtomically(path, "first, longer", 0600, Durability::kSurvivesMachineCrash)
          .ok());
  ASSERT_TRUE(
      files_->WriteFileAtomically(path, "second", 0600, Durability::kSurvivesProcessCrash).ok());
  EXPECT_EQ(*files_->ReadFile(path), "second");
  EXPECT_EQ(Lstat(path)->size, 6);
  EXPECT_FALSE(Lstat(path + ".tmp").has_value()) << "no temporary file stays";

  ASSERT_TRUE(files_->MkdirAll(root_ + "/dir", 0750).ok());
  EXPECT_FALSE(
      files_->WriteFileAtomically(root_ + "/dir", "x", 0600, Durability::kSurvivesProcessCrash)
          .ok());
  EXPECT_TRUE(Lstat(root_ + "/dir")->IsDirectory());
  EXPECT_EQ(
      files_->WriteFileAtomically(root_ + "/none/f", "x", 0600, Durability::kSurvivesProcessCrash)
          .code(),
      Code::kNotFound);
}

TEST_P(FilesystemContractTest, SymlinksResolveLikeTheKernel) {
  ASSERT_TRUE(files_->MkdirAll(root_ + "/real/dir", 0750).ok());
  Symlink(root_ + "/abs", root_ + "/real");  // absolute target
  Symlink(root_ + "/real/rel", "dir");       // relative to the link's directory
  Symlink(root_ + "/chain", root_ + "/abs/rel");
  Symlink(root_ + "/up", "real/../real/dir");  // ".." inside a target

  auto link = Lstat(root_ + "/chain");
  ASSERT_TRUE(link.has_value());
  EXPECT_TRUE(link->IsSymlink());
  auto followed = files_->Stat(root_ + "/chain");
  ASSERT_TRUE(followed.ok() && followed->has_value());
  EXPECT_TRUE((*followed)->IsDirectory());
  EXPECT_EQ(*files_->RealPath(root_ + "/chain"), root_ + "/real/dir");
  EXPECT_EQ(*files_->RealPath(root_ + "/up"), root_ + "/real/dir");
  EXPECT_EQ(*files_->RealPath(root_ + "//abs/./dir/"), root_ + "/real/dir");

  // A new entry below a symlinked directory lands in the real one.
  ASSERT_TRUE(files_->MkdirAll(root_ + "/abs/made", 0750).ok());
  EXPECT_TRUE(Lstat(root_ + "/real/made").has_value());

  Symlink(root_ + "/dangling", root_ + "/gone");
  EXPECT_TRUE(Lstat(root_ + "/dangling").has_value());
  auto dangling = files_->Stat(root_ + "/dangling");
  ASSERT_TRUE(dangling.ok());
  EXPECT_FALSE(dangling->has_value());
  EXPECT_EQ(files_->RealPath(root_ + "/dangling").status().code(), Code::kNotFound);

  // A loop is an error, not "nothing there" (the path policy must not accept it).
  Symlink(root_ + "/loop-a", root_ + "/loop-b");
  Symlink(root_ + "/loop-b", root_ + "/loop-a");
  EXPECT_EQ(files_->Stat(root_ + "/loop-a").status().code(), Code::kInternal);
  auto loop = files_->RealPath(root_ + "/loop-a/x");
  ASSERT_FALSE(loop.ok());
  EXPECT_NE(loop.status().code(), Code::kNotFound);
  EXPECT_THAT(loop.status().message(), HasSubstr("symbolic links"));
}

TEST_P(FilesystemContractTest, StatfsAnswersForAnExistingPath) {
  auto usage = files_->Statfs(root_);
  ASSERT_TRUE(usage.ok()) << usage.status().ToString();
  EXPECT_GE(usage->blocks, usage->blocks_free);
  EXPECT_GE(usage->files, usage->files_free);
}

INSTANTIATE_TEST_SUITE_P(
    Both, FilesystemContractTest,
    ::testing::Values(
        Implementation{"Posix", [] { return std::make_unique<PosixFilesystem>(); },
                       [](Filesystem&, const std::string& path, const std::string& target) {
                         ASSERT_EQ(::symlink(target.c_str(), path.c_str()), 0) << path;
                       }},
        Implementation{"Fake", [] { return std::make_unique<FakeFilesystem>(); },
                       [](Filesystem& files, const std::string& path, const std::string& target) {
                         static_cast<FakeFilesystem&>(files).AddSymlink(path, target);
                       }}),
    [](const ::testing::TestParamInfo<Implementation>& info) { return info.param.name; });

// What only the real one can show.

TEST(PosixFilesystemTest, StatSeesBlockDevicesAndStatfsTheRealFilesystem) {
  PosixFilesystem files;
  auto null = files.Stat("/dev/null");
  ASSERT_TRUE(null.ok() && null->has_value());
  EXPECT_EQ((*null)->type, FileType::kOther) << "a character device is not a block device";
  testing::TempDir dir;
  auto usage = files.Statfs(dir.path());
  ASSERT_TRUE(usage.ok());
  EXPECT_GT(usage->block_size, 0);
  EXPECT_GT(usage->blocks, 0u);
}

// What only the fake offers tests.

TEST(FakeFilesystemTest, SetUpHelpersAndInjectedFailures) {
  FakeFilesystem files;
  files.AddBlockDevice("/dev/drbd1000", makedev(147, 1000));
  auto device = files.Stat("/dev/drbd1000");
  ASSERT_TRUE(device.ok() && device->has_value());
  EXPECT_TRUE((*device)->IsBlockDevice());
  EXPECT_EQ((*device)->device_number, makedev(147, 1000));

  FsUsage whole{4096, 100, 50, 40, 10, 5};
  FsUsage volume{1024, 1000, 900, 800, 64, 60};
  ASSERT_TRUE(files.MkdirAll("/kubelet/staging/sub", 0750).ok());
  files.SetUsage("/", whole);
  files.SetUsage("/kubelet/staging", volume);
  EXPECT_EQ(files.Statfs("/kubelet")->blocks, 100u);
  EXPECT_EQ(files.Statfs("/kubelet/staging/sub")->blocks, 1000u) << "the deepest setting wins";

  files.FailNext("ReadFile", Internal("disk on fire"));
  files.AddFile("/kubelet/f", "x");
  EXPECT_EQ(files.ReadFile("/kubelet/f").status().code(), Code::kInternal);
  EXPECT_EQ(*files.ReadFile("/kubelet/f"), "x") << "only the next call fails";

  ASSERT_TRUE(
      files.WriteFileAtomically("/kubelet/r", "{}", 0600, Durability::kSurvivesProcessCrash).ok());
  EXPECT_EQ(files.LastDurability("/kubelet/r"), Durability::kSurvivesProcessCrash);
  EXPECT_EQ(files.LastDurability("/kubelet/f"), std::nullopt);
  EXPECT_THAT(files.Entries(),
              ::testing::ElementsAre("/dev/", "/dev/drbd1000", "/kubelet/", "/kubelet/f",
                                     "/kubelet/r", "/kubelet/staging/", "/kubelet/staging/sub/"));
}

}  // namespace
}  // namespace lcsi::node
