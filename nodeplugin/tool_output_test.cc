#include "nodeplugin/tool_output.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace lcsi::node {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::StartsWith;

// Debian 12's mkfs.xfs on a 64 MiB device: the reason, then the whole option list.
std::string MkfsXfsTooSmall() {
  std::string err =
      "Filesystem must be larger than 300MB.\n"
      "Usage: mkfs.xfs\n"
      "/* blocksize */\t\t[-b size=num]\n"
      "/* metadata */\t\t[-m crc=0|1,finobt=0|1,uuid=xxx,rmapbt=0|1,reflink=0|1,\n";
  for (int i = 0; i < 25; ++i) err += "/* option */\t[-x value=num]\n";
  err +=
      "<devicename> is required unless -d name=xxx is given.\n"
      "<value> is xxx (512 byte blocks).\n";
  return err;
}

TEST(ToolOutputTest, KeepsTheReasonAndDropsUsageText) {
  const std::string text = SummarizeToolOutput(MkfsXfsTooSmall(), "");
  EXPECT_THAT(text, StartsWith("Filesystem must be larger than 300MB."));
  EXPECT_THAT(text, Not(HasSubstr("blocksize")));
  EXPECT_THAT(text, Not(HasSubstr("512 byte blocks")));
  EXPECT_THAT(text, HasSubstr("more lines"));
  EXPECT_LE(text.size(), kToolOutputMaxChars + 32);
}

TEST(ToolOutputTest, ReasonLinesAfterABannerAndFromStdout) {
  // resize2fs: a version banner, then the reason, then a consequence.
  const std::string err =
      "resize2fs 1.47.0 (5-Feb-2023)\n"
      "resize2fs: Attempt to read block from filesystem resulted in short read while trying to "
      "open /dev/loop9\n"
      "progress 1\nprogress 2\nprogress 3\n"
      "Couldn't find valid filesystem superblock.\n";
  const std::string text = SummarizeToolOutput(err, "");
  EXPECT_THAT(text, HasSubstr("short read"));
  EXPECT_THAT(text, HasSubstr("Couldn't find valid filesystem superblock."));
  EXPECT_THAT(text, Not(HasSubstr("progress")));
  EXPECT_THAT(text, HasSubstr("(+3 more lines)"));

  // e2fsck -p explains on stdout.
  const std::string fsck = SummarizeToolOutput(
      "",
      "/dev/loop9 contains a file system with errors, check forced.\n"
      "/dev/loop9: Inodes that were part of a corrupted orphan linked list found.\n\n"
      "/dev/loop9: UNEXPECTED INCONSISTENCY; RUN fsck MANUALLY.\n");
  EXPECT_THAT(fsck, HasSubstr("UNEXPECTED INCONSISTENCY; RUN fsck MANUALLY."));
  EXPECT_THAT(fsck, HasSubstr("check forced"));
}

TEST(ToolOutputTest, CapsLinesAndTotal) {
  std::string err;
  for (int i = 0; i < 40; ++i)
    err += "error " + std::to_string(i) + ": " + std::string(300, 'x') + "\n";
  const std::string text = SummarizeToolOutput(err, "", 500);
  EXPECT_THAT(text, StartsWith("error 0: xxx"));
  const size_t suffix = text.find(" (+");
  ASSERT_NE(suffix, std::string::npos);
  EXPECT_LE(suffix, 500u);
  EXPECT_THAT(text, HasSubstr("more lines)"));
}

TEST(ToolOutputTest, EmptyAndUsageOnly) {
  EXPECT_EQ(SummarizeToolOutput("", ""), "(no output)");
  EXPECT_EQ(SummarizeToolOutput("\n  \n", ""), "(no output)");
  EXPECT_THAT(SummarizeToolOutput("Usage: tool [-x]\n  -x  something\n", ""),
              HasSubstr("usage text"));
  EXPECT_EQ(SummarizeToolOutput("one line, no newline", ""), "one line, no newline");
}

}  // namespace
}  // namespace lcsi::node
