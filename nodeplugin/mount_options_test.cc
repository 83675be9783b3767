#include "nodeplugin/mount_options.h"

#include <sys/mount.h>

#include <gtest/gtest.h>

namespace lcsi::node {
namespace {

TEST(MountOptionsTest, FlagsAndData) {
  auto parsed = ParseMountOptions({"ro,noatime", "discard", "nosuid", "errors=remount-ro"});
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->flags, static_cast<unsigned long>(MS_RDONLY | MS_NOATIME | MS_NOSUID));
  EXPECT_EQ(parsed->data, "discard,errors=remount-ro");
}

TEST(MountOptionsTest, LaterWordsOverrideEarlierOnes) {
  auto parsed = ParseMountOptions({"ro", "rw", "noatime", "relatime", "defaults"});
  ASSERT_TRUE(parsed.ok());
  EXPECT_EQ(parsed->flags, static_cast<unsigned long>(MS_RELATIME));
  EXPECT_EQ(parsed->data, "");
}

TEST(MountOptionsTest, RejectsOperationChangingWords) {
  for (const char* word : {"bind", "rbind", "remount", "move", "shared", "make-private"}) {
    auto parsed = ParseMountOptions({std::string("noatime,") + word});
    ASSERT_FALSE(parsed.ok()) << word;
    EXPECT_EQ(parsed.status().code(), Code::kInvalidArgument);
    EXPECT_NE(parsed.status().message().find(word), std::string::npos);
  }
}

TEST(MountOptionsTest, SplitDropsEmptyWordsAndSpaces) {
  EXPECT_EQ(SplitOptionList(" a, b,,c ,"), (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_TRUE(SplitOptionList("").empty());
}

}  // namespace
}  // namespace lcsi::node
