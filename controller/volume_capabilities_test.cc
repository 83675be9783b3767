#include "controller/volume_capabilities.h"

#include <gtest/gtest.h>

namespace lcsi::controller {
namespace {

using Caps = google::protobuf::RepeatedPtrField<csi::v1::VolumeCapability>;

void AddMount(Caps& caps, const std::string& fs_type) {
  auto* cap = caps.Add();
  cap->mutable_mount()->set_fs_type(fs_type);
  cap->mutable_access_mode()->set_mode(csi::v1::VolumeCapability::AccessMode::SINGLE_NODE_WRITER);
}

TEST(FilesystemNeedTest, LargestMinimumOfTheMountCapabilities) {
  Caps caps;
  caps.Add()->mutable_block();
  auto need = FilesystemNeedOf(caps, "xfs");
  ASSERT_TRUE(need.ok());
  EXPECT_EQ(need->min_kib, 0) << "block: nothing to format";

  AddMount(caps, "ext4");
  need = FilesystemNeedOf(caps, "");
  EXPECT_EQ(need->fs_type, "ext4");
  EXPECT_EQ(need->min_kib, 104);
  AddMount(caps, "xfs");
  need = FilesystemNeedOf(caps, "");
  EXPECT_EQ(need->fs_type, "xfs");
  EXPECT_EQ(need->min_kib, 300 * 1024);
}

TEST(FilesystemNeedTest, ClassDefaultThenNodeDefault) {
  Caps caps;
  AddMount(caps, "");
  auto need = FilesystemNeedOf(caps, "xfs");
  ASSERT_TRUE(need.ok());
  EXPECT_EQ(need->fs_type, "xfs") << "csi.storage.k8s.io/fstype when the request names none";
  need = FilesystemNeedOf(caps, "");
  EXPECT_EQ(need->fs_type, "ext4") << "the node's default";
  auto bad = FilesystemNeedOf(caps, "btrfs");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), Code::kInvalidArgument);
  EXPECT_NE(bad.status().message().find("btrfs"), std::string::npos);
}

}  // namespace
}  // namespace lcsi::controller
