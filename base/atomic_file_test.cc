// WriteFileAtomically on a real temp directory: the file is replaced whole, with the asked
// mode, and a failure at any step leaves the old file and no temporary file behind.
#include "base/atomic_file.h"

#include <dirent.h>
#include <ftw.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <csignal>
#include <fstream>
#include <iterator>
#include <string>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace lcsi {
namespace {

// A fresh directory under /tmp, removed with everything in it at scope exit.
class ScopedTempDir {
 public:
  ScopedTempDir() {
    char name[] = "/tmp/lcsi-base-test-XXXXXX";
    path_ = ::mkdtemp(name) ? name : "";
  }
  ~ScopedTempDir() {
    if (path_.empty()) return;
    ::nftw(
        path_.c_str(),
        [](const char* p, const struct stat*, int, struct FTW*) { return ::remove(p); }, 16,
        FTW_DEPTH | FTW_PHYS);
  }
  ScopedTempDir(const ScopedTempDir&) = delete;
  ScopedTempDir& operator=(const ScopedTempDir&) = delete;
  const std::string& path() const { return path_; }
  std::string Sub(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

std::string ReadWhole(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

bool WriteWhole(const std::string& path, const std::string& content) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << content;
  return static_cast<bool>(out.flush());
}

using ::testing::ElementsAre;
using ::testing::UnorderedElementsAre;

std::vector<std::string> Names(const std::string& dir) {
  std::vector<std::string> names;
  DIR* d = ::opendir(dir.c_str());
  if (d == nullptr) return names;
  while (dirent* entry = ::readdir(d)) {
    std::string name = entry->d_name;
    if (name != "." && name != "..") names.push_back(name);
  }
  ::closedir(d);
  return names;
}

mode_t ModeOf(const std::string& path) {
  struct stat st {};
  ::lstat(path.c_str(), &st);
  return st.st_mode & 07777;
}

TEST(AtomicFileTest, WritesAndReplacesWithTheGivenMode) {
  ScopedTempDir dir;
  const std::string path = dir.Sub("state.json");
  for (Durability durability :
       {Durability::kSurvivesMachineCrash, Durability::kSurvivesProcessCrash}) {
    ASSERT_TRUE(WriteFileAtomically(path, "a longer first version", 0600, durability).ok());
    ASSERT_TRUE(WriteFileAtomically(path, "second", 0640, durability).ok());
    EXPECT_EQ(ReadWhole(path), "second");
    EXPECT_EQ(ModeOf(path), 0640u);
    EXPECT_THAT(Names(dir.path()), ElementsAre("state.json"));
  }
}

TEST(AtomicFileTest, AStaleTemporaryFileDoesNotLendItsMode) {
  ScopedTempDir dir;
  const std::string path = dir.Sub("state.json");
  ASSERT_TRUE(WriteWhole(path + ".tmp", "left by a crash, much longer than the new"));
  ASSERT_EQ(::chmod((path + ".tmp").c_str(), 0666), 0);
  ASSERT_TRUE(WriteFileAtomically(path, "new", 0600, Durability::kSurvivesMachineCrash).ok());
  EXPECT_EQ(ReadWhole(path), "new");
  EXPECT_EQ(ModeOf(path), 0600u);
  EXPECT_THAT(Names(dir.path()), ElementsAre("state.json"));
}

TEST(AtomicFileTest, FailedRenameKeepsTheOldAndLeavesNoTemporaryFile) {
  ScopedTempDir dir;
  const std::string path = dir.Sub("busy");
  ASSERT_EQ(::mkdir(path.c_str(), 0755), 0);
  ASSERT_TRUE(WriteWhole(path + "/inside", "kept"));
  Status status = WriteFileAtomically(path, "x", 0600, Durability::kSurvivesMachineCrash);
  EXPECT_EQ(status.code(), Code::kInternal);
  EXPECT_THAT(status.message(), ::testing::HasSubstr("rename"));
  EXPECT_THAT(Names(dir.path()), ElementsAre("busy"));
  EXPECT_EQ(ReadWhole(path + "/inside"), "kept");
}

TEST(AtomicFileTest, FailedWriteKeepsTheOldAndLeavesNoTemporaryFile) {
  ScopedTempDir dir;
  const std::string path = dir.Sub("state.json");
  ASSERT_TRUE(WriteWhole(path, "old"));
  // A file size limit makes write(2) fail with EFBIG part-way (SIGXFSZ ignored).
  struct rlimit saved {};
  ASSERT_EQ(::getrlimit(RLIMIT_FSIZE, &saved), 0);
  auto previous_handler = std::signal(SIGXFSZ, SIG_IGN);
  struct rlimit small = saved;
  small.rlim_cur = 16;
  ASSERT_EQ(::setrlimit(RLIMIT_FSIZE, &small), 0);
  Status status =
      WriteFileAtomically(path, std::string(4096, 'x'), 0600, Durability::kSurvivesProcessCrash);
  ::setrlimit(RLIMIT_FSIZE, &saved);
  std::signal(SIGXFSZ, previous_handler);
  EXPECT_EQ(status.code(), Code::kInternal);
  EXPECT_THAT(status.message(), ::testing::HasSubstr("write"));
  EXPECT_EQ(ReadWhole(path), "old");
  EXPECT_THAT(Names(dir.path()), ElementsAre("state.json"));
}

TEST(AtomicFileTest, NeverWritesThroughASymlinkedTemporaryName) {
  ScopedTempDir dir;
  const std::string path = dir.Sub("state.json");
  const std::string victim = dir.Sub("victim");
  ASSERT_TRUE(WriteWhole(victim, "untouched"));
  ASSERT_EQ(::symlink(victim.c_str(), (path + ".tmp").c_str()), 0);
  EXPECT_FALSE(WriteFileAtomically(path, "x", 0600, Durability::kSurvivesProcessCrash).ok());
  EXPECT_EQ(ReadWhole(victim), "untouched");
  EXPECT_THAT(Names(dir.path()), UnorderedElementsAre("victim")) << "the planted link is gone";
  EXPECT_TRUE(WriteFileAtomically(path, "x", 0600, Durability::kSurvivesProcessCrash).ok());
}

TEST(AtomicFileTest, MissingDirectoryIsNotFound) {
  ScopedTempDir dir;
  EXPECT_EQ(
      WriteFileAtomically(dir.Sub("none/f"), "x", 0600, Durability::kSurvivesMachineCrash).code(),
      Code::kNotFound);
}

}  // namespace
}  // namespace lcsi
