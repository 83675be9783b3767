#include "nodeplugin/spawn_exec.h"

#include <fcntl.h>
#include <signal.h>

#include <chrono>
#include <thread>

#include <gtest/gtest.h>

#include "nodeplugin/test_support.h"

namespace lcsi::node {
namespace {

using std::chrono::milliseconds;

TEST(SpawnExecTest, CapturesExitCodeAndBothStreams) {
  SpawnExec exec;
  auto result = exec.Run({"sh", {"-c", "echo out; echo err >&2; exit 3"}, milliseconds(5000)});
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->exit_code, 3);
  EXPECT_EQ(result->out, "out\n");
  EXPECT_EQ(result->err, "err\n");
}

TEST(SpawnExecTest, PassesArgumentsVerbatim) {
  SpawnExec exec;
  auto result = exec.Run({"printf", {"%s|", "a b", "$HOME", "'q'"}, milliseconds(5000)});
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->out, "a b|$HOME|'q'|");
}

TEST(SpawnExecTest, StdinIsEmpty) {
  SpawnExec exec;
  auto result = exec.Run({"cat", {}, milliseconds(5000)});
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->exit_code, 0);
  EXPECT_EQ(result->out, "");
}

TEST(SpawnExecTest, KilledBySignalIs128PlusSignal) {
  SpawnExec exec;
  auto result = exec.Run({"sh", {"-c", "kill -9 $$"}, milliseconds(5000)});
  ASSERT_TRUE(result.ok());
  EXPECT_EQ(result->exit_code, 128 + SIGKILL);
}

TEST(SpawnExecTest, TimeoutKillsTheWholeProcessGroup) {
  testing::TempDir dir;
  std::string pid_file = dir.Sub("child.pid");
  SpawnExec exec;
  auto start = std::chrono::steady_clock::now();
  auto result =
      exec.Run({"sh", {"-c", "sleep 30 & echo $! > " + pid_file + "; wait"}, milliseconds(300)});
  auto elapsed = std::chrono::steady_clock::now() - start;
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), Code::kDeadlineExceeded);
  EXPECT_LT(elapsed, std::chrono::seconds(10));
  std::string pid_text = testing::ReadFile(pid_file);
  ASSERT_FALSE(pid_text.empty());
  pid_t child = std::stoi(pid_text);
  // The background sleep was in the same process group; it must be gone (or a zombie being
  // reaped by init) shortly.
  bool gone = false;
  for (int i = 0; i < 50 && !gone; ++i) {
    std::string stat = testing::ReadFile("/proc/" + std::to_string(child) + "/stat");
    gone = stat.empty() || stat.find(") Z") != std::string::npos;
    if (!gone) std::this_thread::sleep_for(milliseconds(20));
  }
  EXPECT_TRUE(gone) << "grandchild " << child << " survived the timeout";
}

TEST(SpawnExecTest, OnlyStdioIsInherited) {
  int leaked = ::open("/dev/null", O_RDONLY);  // deliberately without O_CLOEXEC
  ASSERT_GE(leaked, 3);
  SpawnExec exec;
  auto result = exec.Run({"sh", {"-c", "ls /proc/self/fd"}, milliseconds(5000)});
  ::close(leaked);
  ASSERT_TRUE(result.ok());
  // 0, 1, 2 and the fd ls itself opens for /proc/self/fd.
  EXPECT_EQ(result->out, "0\n1\n2\n3\n");
}

TEST(SpawnExecTest, MissingProgramIsFailedPrecondition) {
  SpawnExec exec;
  auto result = exec.Run({"lcsi-no-such-program", {}, milliseconds(1000)});
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(result.status().code(), Code::kFailedPrecondition);
  EXPECT_NE(result.status().message().find("lcsi-no-such-program"), std::string::npos);
}

TEST(SpawnExecTest, LargeOutputIsCappedWithoutDeadlock) {
  SpawnExec exec;
  auto result =
      exec.Run({"sh", {"-c", "head -c 3000000 /dev/zero; echo done >&2"}, milliseconds(10000)});
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->exit_code, 0);
  EXPECT_EQ(result->out.size(), 1u << 20);
  EXPECT_EQ(result->err, "done\n");
}

TEST(SpawnExecTest, FindsSbinProgramsEvenWithoutSbinInPath) {
  auto found = FindProgram("blkid");
  ASSERT_TRUE(found.ok()) << found.status().ToString();
  EXPECT_NE(found->find("/blkid"), std::string::npos);
  EXPECT_FALSE(FindProgram("/nonexistent/x").ok());
}

}  // namespace
}  // namespace lcsi::node
