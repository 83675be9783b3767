#include "nodeplugin/mountinfo.h"

#include <gtest/gtest.h>

namespace lcsi::node {
namespace {

TEST(MountInfoTest, ParsesFieldsAndOptionalFields) {
  auto entries = ParseMountInfo(
      "36 35 98:0 /mnt1 /mnt2 rw,noatime master:1 shared:7 - ext3 /dev/root "
      "rw,errors=continue\n"
      "22 27 0:21 / /proc rw,relatime - proc proc rw\n");
  ASSERT_TRUE(entries.ok()) << entries.status().ToString();
  ASSERT_EQ(entries->size(), 2u);
  const auto& e = (*entries)[0];
  EXPECT_EQ(e.mount_id, 36);
  EXPECT_EQ(e.parent_id, 35);
  EXPECT_EQ(e.major, 98u);
  EXPECT_EQ(e.minor, 0u);
  EXPECT_EQ(e.root, "/mnt1");
  EXPECT_EQ(e.mount_point, "/mnt2");
  EXPECT_EQ(e.mount_options, "rw,noatime");
  EXPECT_EQ(e.optional_fields, (std::vector<std::string>{"master:1", "shared:7"}));
  EXPECT_EQ(e.fs_type, "ext3");
  EXPECT_EQ(e.source, "/dev/root");
  EXPECT_EQ(e.super_options, "rw,errors=continue");
  EXPECT_FALSE(e.ReadOnlyMount());
  EXPECT_EQ((*entries)[1].mount_point, "/proc");
  EXPECT_TRUE((*entries)[1].optional_fields.empty());
}

TEST(MountInfoTest, UnescapesOctalSequences) {
  auto entries = ParseMountInfo(
      "40 1 7:0 / /var/lib/kubelet/pods/a\\040b/vol\\011tab\\012nl\\134bs ro,relatime - xfs "
      "/dev/my\\040disk ro,attr2\n");
  ASSERT_TRUE(entries.ok()) << entries.status().ToString();
  ASSERT_EQ(entries->size(), 1u);
  EXPECT_EQ((*entries)[0].mount_point, "/var/lib/kubelet/pods/a b/vol\ttab\nnl\\bs");
  EXPECT_EQ((*entries)[0].source, "/dev/my disk");
  EXPECT_TRUE((*entries)[0].ReadOnlyMount());
  EXPECT_TRUE((*entries)[0].ReadOnlySuperblock());
}

TEST(MountInfoTest, UnescapeKeepsIncompleteSequences) {
  EXPECT_EQ(UnescapeMountField("a\\04"), "a\\04");
  EXPECT_EQ(UnescapeMountField("a\\9999"), "a\\9999");
  EXPECT_EQ(UnescapeMountField("\\"), "\\");
  EXPECT_EQ(UnescapeMountField("x\\101y"), "xAy");
  EXPECT_EQ(UnescapeMountField("\\040\\040"), "  ");
}

TEST(MountInfoTest, MalformedLineNamesLineNumber) {
  auto entries = ParseMountInfo("22 27 0:21 / /proc rw - proc proc rw\n\n23 27 garbage\n");
  ASSERT_FALSE(entries.ok());
  EXPECT_EQ(entries.status().code(), Code::kInvalidArgument);
  EXPECT_NE(entries.status().message().find("line 3"), std::string::npos)
      << entries.status().message();
}

TEST(MountInfoTest, RejectsBadNumbersAndMissingSeparator) {
  EXPECT_FALSE(ParseMountInfo("x 27 0:21 / /proc rw - proc proc rw\n").ok());
  EXPECT_FALSE(ParseMountInfo("1 27 021 / /proc rw - proc proc rw\n").ok());
  EXPECT_FALSE(ParseMountInfo("1 27 0:21 / /proc rw proc proc rw\n").ok());
  EXPECT_FALSE(ParseMountInfo("1 27 0:21 / /proc rw - proc\n").ok());
}

TEST(MountInfoTest, ParsesTheRealMountTable) {
  // Whatever this machine has mounted must parse and include "/".
  FILE* f = std::fopen("/proc/self/mountinfo", "r");
  ASSERT_NE(f, nullptr);
  std::string text;
  char buf[4096];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof buf, f)) > 0) text.append(buf, n);
  std::fclose(f);
  auto entries = ParseMountInfo(text);
  ASSERT_TRUE(entries.ok()) << entries.status().ToString();
  bool has_root = false;
  for (const auto& e : *entries) has_root |= e.mount_point == "/";
  EXPECT_TRUE(has_root);
}

TEST(MountInfoTest, HasOptionMatchesWholeWords) {
  EXPECT_TRUE(HasOption("rw,noatime", "rw"));
  EXPECT_TRUE(HasOption("rw,noatime", "noatime"));
  EXPECT_FALSE(HasOption("rw,noatime", "atime"));
  EXPECT_FALSE(HasOption("rwx", "rw"));
  EXPECT_FALSE(HasOption("", "ro"));
}

}  // namespace
}  // namespace lcsi::node
