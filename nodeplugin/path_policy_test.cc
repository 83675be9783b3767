#include "nodeplugin/path_policy.h"

#include <sys/stat.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include "nodeplugin/posix_filesystem.h"
#include "nodeplugin/test_support.h"

namespace lcsi::node {
namespace {

class PathPolicyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = dir_.Sub("kubelet");
    outside_ = dir_.Sub("outside");
    ::mkdir(root_.c_str(), 0755);
    ::mkdir(outside_.c_str(), 0755);
    ::mkdir((root_ + "/pods").c_str(), 0755);
  }
  PosixFilesystem files_;
  testing::TempDir dir_;
  std::string root_;
  std::string outside_;
};

TEST_F(PathPolicyTest, AcceptsPathsBelowThePrefix) {
  PathPolicy policy(files_, {root_});
  auto existing = policy.Check(root_ + "/pods", "target_path");
  ASSERT_TRUE(existing.ok()) << existing.status().ToString();
  EXPECT_EQ(*existing, root_ + "/pods");
  auto missing = policy.Check(root_ + "//pods/a/b/mount/", "target_path");
  ASSERT_TRUE(missing.ok()) << missing.status().ToString();
  EXPECT_EQ(*missing, root_ + "/pods/a/b/mount");
}

TEST_F(PathPolicyTest, Rejections) {
  PathPolicy policy(files_, {root_});
  struct Case {
    std::string path;
    std::string expected;
  };
  for (const Case& c : std::vector<Case>{
           {"", "target_path is empty"},
           {"relative/path", "is not an absolute path"},
           {root_ + "/pods/../../outside", "contains a '..' component"},
           {root_ + "/./pods", "contains a '.' component"},
           {root_, "outside the allowed path prefixes"},
           {outside_ + "/x", "outside the allowed path prefixes"},
           {root_ + "x/pods", "outside the allowed path prefixes"},
           {"/", "must not be /"},
       }) {
    auto result = policy.Check(c.path, "target_path");
    ASSERT_FALSE(result.ok()) << c.path;
    EXPECT_EQ(result.status().code(), Code::kInvalidArgument);
    EXPECT_NE(result.status().message().find(c.expected), std::string::npos)
        << c.path << " -> " << result.status().message();
  }
  EXPECT_FALSE(policy.Check(std::string("/a\0b", 4), "p").ok());
}

TEST_F(PathPolicyTest, SymlinkEscapesAreRejected) {
  PathPolicy policy(files_, {root_});
  // A directory symlink inside the prefix that points outside it.
  ASSERT_EQ(::symlink(outside_.c_str(), (root_ + "/escape").c_str()), 0);
  auto through = policy.Check(root_ + "/escape/volume/mount", "staging_target_path");
  ASSERT_FALSE(through.ok());
  EXPECT_NE(through.status().message().find("resolves to " + outside_ + "/volume/mount"),
            std::string::npos)
      << through.status().message();
  // The final component itself a symlink, even to a place inside the prefix.
  ASSERT_EQ(::symlink((root_ + "/pods").c_str(), (root_ + "/link").c_str()), 0);
  auto final_link = policy.Check(root_ + "/link", "target_path");
  ASSERT_FALSE(final_link.ok());
  EXPECT_NE(final_link.status().message().find("is a symlink"), std::string::npos);
}

TEST_F(PathPolicyTest, SymlinkedPrefixStillWorks) {
  std::string alias = dir_.Sub("alias");
  ASSERT_EQ(::symlink(root_.c_str(), alias.c_str()), 0);
  PathPolicy policy(files_, {alias});
  EXPECT_EQ(policy.prefixes(), (std::vector<std::string>{root_}));
  auto through_alias = policy.Check(alias + "/pods/x", "target_path");
  ASSERT_TRUE(through_alias.ok()) << through_alias.status().ToString();
  EXPECT_EQ(*through_alias, root_ + "/pods/x");
}

TEST_F(PathPolicyTest, SeveralPrefixes) {
  PathPolicy policy(files_, {root_, "", outside_});
  EXPECT_TRUE(policy.Check(outside_ + "/v", "p").ok());
  EXPECT_TRUE(policy.Check(root_ + "/v", "p").ok());
  EXPECT_FALSE(policy.Check(dir_.Sub("third/v"), "p").ok());
}

TEST(PathHelpersTest, IsUnderComparesComponents) {
  EXPECT_TRUE(IsUnder("/var/lib/kubelet/pods", "/var/lib/kubelet"));
  EXPECT_TRUE(IsUnder("/var/lib/kubelet", "/var/lib/kubelet"));
  EXPECT_FALSE(IsUnder("/var/lib/kubelet2", "/var/lib/kubelet"));
  EXPECT_TRUE(IsUnder("/x", "/"));
  EXPECT_EQ(CollapseSlashes("//a///b//"), "/a/b");
  EXPECT_EQ(CollapseSlashes("/"), "/");
}

}  // namespace
}  // namespace lcsi::node
