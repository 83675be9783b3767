#include "nodeplugin/path_policy.h"

#include <unistd.h>

#include <memory>

#include <gtest/gtest.h>

#include "nodeplugin/fake_filesystem.h"
#include "nodeplugin/posix_filesystem.h"
#include "nodeplugin/test_support.h"

namespace lcsi::node {
namespace {

// Run on the fake filesystem and on the real one (a temp directory), which must agree.
class PathPolicyTest : public ::testing::TestWithParam<bool> {
 protected:
  void SetUp() override {
    if (GetParam()) {
      fake_ = std::make_unique<FakeFilesystem>();
      files_ = fake_.get();
    }
    auto base = real_.RealPath(dir_.path());  // /tmp may itself be a symlink
    ASSERT_TRUE(base.ok());
    base_ = *base;
    root_ = base_ + "/kubelet";
    outside_ = base_ + "/outside";
    ASSERT_TRUE(files_->MkdirAll(root_ + "/pods", 0755).ok());
    ASSERT_TRUE(files_->MkdirAll(outside_, 0755).ok());
  }
  void Symlink(const std::string& target, const std::string& path) {
    if (fake_) {
      fake_->AddSymlink(path, target);
    } else {
      ASSERT_EQ(::symlink(target.c_str(), path.c_str()), 0) << path;
    }
  }

  testing::TempDir dir_;
  PosixFilesystem real_;
  std::unique_ptr<FakeFilesystem> fake_;
  Filesystem* files_ = &real_;
  std::string base_;
  std::string root_;
  std::string outside_;
};

TEST_P(PathPolicyTest, AcceptsPathsBelowThePrefix) {
  PathPolicy policy(*files_, {root_});
  auto existing = policy.Check(root_ + "/pods", "target_path");
  ASSERT_TRUE(existing.ok()) << existing.status().ToString();
  EXPECT_EQ(*existing, root_ + "/pods");
  auto missing = policy.Check(root_ + "//pods/a/b/mount/", "target_path");
  ASSERT_TRUE(missing.ok()) << missing.status().ToString();
  EXPECT_EQ(*missing, root_ + "/pods/a/b/mount");
}

TEST_P(PathPolicyTest, Rejections) {
  PathPolicy policy(*files_, {root_});
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

TEST_P(PathPolicyTest, SymlinkEscapesAreRejected) {
  PathPolicy policy(*files_, {root_});
  // A directory symlink inside the prefix that points outside it.
  Symlink(outside_, root_ + "/escape");
  auto through = policy.Check(root_ + "/escape/volume/mount", "staging_target_path");
  ASSERT_FALSE(through.ok());
  EXPECT_NE(through.status().message().find("resolves to " + outside_ + "/volume/mount"),
            std::string::npos)
      << through.status().message();
  // The final component itself a symlink, even to a place inside the prefix.
  Symlink(root_ + "/pods", root_ + "/link");
  auto final_link = policy.Check(root_ + "/link", "target_path");
  ASSERT_FALSE(final_link.ok());
  EXPECT_NE(final_link.status().message().find("is a symlink"), std::string::npos);
}

TEST_P(PathPolicyTest, SymlinkedPrefixStillWorks) {
  std::string alias = base_ + "/alias";
  Symlink(root_, alias);
  PathPolicy policy(*files_, {alias});
  EXPECT_EQ(policy.prefixes(), (std::vector<std::string>{root_}));
  auto through_alias = policy.Check(alias + "/pods/x", "target_path");
  ASSERT_TRUE(through_alias.ok()) << through_alias.status().ToString();
  EXPECT_EQ(*through_alias, root_ + "/pods/x");
}

TEST_P(PathPolicyTest, SeveralPrefixes) {
  PathPolicy policy(*files_, {root_, "", outside_});
  EXPECT_TRUE(policy.Check(outside_ + "/v", "p").ok());
  EXPECT_TRUE(policy.Check(root_ + "/v", "p").ok());
  EXPECT_FALSE(policy.Check(base_ + "/third/v", "p").ok());
}

TEST_P(PathPolicyTest, SymlinkLoopCannotBeResolved) {
  PathPolicy policy(*files_, {root_});
  Symlink(root_ + "/loop-b", root_ + "/loop-a");
  Symlink(root_ + "/loop-a", root_ + "/loop-b");
  auto looped = policy.Check(root_ + "/loop-a/mount", "target_path");
  ASSERT_FALSE(looped.ok());
  EXPECT_EQ(looped.status().code(), Code::kInvalidArgument);
  EXPECT_NE(looped.status().message().find("cannot be resolved"), std::string::npos)
      << looped.status().message();
}

INSTANTIATE_TEST_SUITE_P(FakeAndReal, PathPolicyTest, ::testing::Bool(),
                         [](const ::testing::TestParamInfo<bool>& info) {
                           return info.param ? "Fake" : "Posix";
                         });

TEST(PathHelpersTest, IsUnderComparesComponents) {
  EXPECT_TRUE(IsUnder("/var/lib/kubelet/pods", "/var/lib/kubelet"));
  EXPECT_TRUE(IsUnder("/var/lib/kubelet", "/var/lib/kubelet"));
  EXPECT_FALSE(IsUnder("/var/lib/kubelet2", "/var/lib/kubelet"));
  EXPECT_TRUE(IsUnder("/x", "/"));
  EXPECT_EQ(CollapseSlashes("//a///b//"), "/a/b");
  EXPECT_EQ(CollapseSlashes("/"), "/");
  EXPECT_EQ(ParentDirectory("/a/b"), "/a");
  EXPECT_EQ(ParentDirectory("/a"), "/");
}

}  // namespace
}  // namespace lcsi::node
