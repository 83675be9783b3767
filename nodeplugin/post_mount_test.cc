#include "nodeplugin/post_mount.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "nodeplugin/fake_exec.h"

namespace lcsi::node {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

TEST(PostMountTest, RunsXfsIoWithTheCommandOnTheTarget) {
  FakeExec exec;
  exec.Expect("xfs_io", std::vector<std::string>{"-c", "extsize 2m", "/t"}, ExecResult{});
  EXPECT_TRUE(RunPostMountXfsOpts(exec, "extsize 2m", "/t").ok());
  EXPECT_THAT(exec.call_lines(), ElementsAre("xfs_io -c extsize 2m /t"));
}

TEST(PostMountTest, StderrIsAFailureEvenWithExitZero) {
  // xfs_io reports a failed command on stderr and exits 0.
  FakeExec exec;
  exec.Expect("xfs_io", 0, "", "command \"bogus\" not found\n");
  Status s = RunPostMountXfsOpts(exec, "bogus", "/t");
  EXPECT_EQ(s.code(), Code::kInternal);
  EXPECT_THAT(s.message(), HasSubstr("command \"bogus\" not found"));
}

TEST(PostMountTest, MissingToolIsInternal) {
  FakeExec exec;
  exec.Expect("xfs_io", std::nullopt, ExecResult{}, FailedPrecondition("xfs_io: not found"));
  Status s = RunPostMountXfsOpts(exec, "extsize 2m", "/t");
  EXPECT_EQ(s.code(), Code::kInternal);
  EXPECT_THAT(s.message(), HasSubstr("not found"));
}

}  // namespace
}  // namespace lcsi::node
