#include "nodeplugin/volume_access.h"

#include <gtest/gtest.h>

namespace lcsi::node {
namespace {

using Mode = csi::v1::VolumeCapability::AccessMode;

csi::v1::VolumeCapability MountCap(Mode::Mode mode, std::string fs = "",
                                   std::vector<std::string> flags = {}) {
  csi::v1::VolumeCapability cap;
  cap.mutable_mount()->set_fs_type(fs);
  for (auto& f : flags) cap.mutable_mount()->add_mount_flags(f);
  cap.mutable_access_mode()->set_mode(mode);
  return cap;
}

csi::v1::VolumeCapability BlockCap(Mode::Mode mode) {
  csi::v1::VolumeCapability cap;
  cap.mutable_block();
  cap.mutable_access_mode()->set_mode(mode);
  return cap;
}

TEST(VolumeAccessTest, Accepted) {
  auto a = ParseVolumeAccess(MountCap(Mode::SINGLE_NODE_WRITER, "xfs", {"noatime", "discard"}));
  ASSERT_TRUE(a.ok()) << a.status().ToString();
  EXPECT_FALSE(a->block);
  EXPECT_EQ(a->fs_type, "xfs");
  EXPECT_EQ(a->mount_flags, (std::vector<std::string>{"noatime", "discard"}));
  EXPECT_FALSE(a->read_only_mode);

  auto ro = ParseVolumeAccess(MountCap(Mode::MULTI_NODE_READER_ONLY));
  ASSERT_TRUE(ro.ok());
  EXPECT_TRUE(ro->read_only_mode);

  auto block = ParseVolumeAccess(BlockCap(Mode::MULTI_NODE_MULTI_WRITER));
  ASSERT_TRUE(block.ok());
  EXPECT_TRUE(block->block);
  EXPECT_TRUE(ParseVolumeAccess(MountCap(Mode::SINGLE_NODE_MULTI_WRITER)).ok());
}

TEST(VolumeAccessTest, Rejected) {
  csi::v1::VolumeCapability no_type;
  no_type.mutable_access_mode()->set_mode(Mode::SINGLE_NODE_WRITER);
  csi::v1::VolumeCapability no_mode;
  no_mode.mutable_mount();
  auto group = MountCap(Mode::SINGLE_NODE_WRITER);
  group.mutable_mount()->set_volume_mount_group("1000");
  for (const auto& cap :
       {no_type, no_mode, MountCap(Mode::UNKNOWN), MountCap(Mode::SINGLE_NODE_WRITER, "btrfs"),
        MountCap(Mode::SINGLE_NODE_WRITER, "", {"bind"}), MountCap(Mode::MULTI_NODE_MULTI_WRITER),
        group}) {
    auto a = ParseVolumeAccess(cap);
    ASSERT_FALSE(a.ok()) << cap.ShortDebugString();
    EXPECT_EQ(a.status().code(), Code::kInvalidArgument);
  }
}

TEST(VolumeAccessTest, ContextValuePrefixes) {
  google::protobuf::Map<std::string, std::string> ctx;
  EXPECT_EQ(ContextValue(ctx, "d.io", "fsOpts"), "");
  ctx["linstor.csi.linbit.com/fsOpts"] = "-m 1";
  EXPECT_EQ(ContextValue(ctx, "d.io", "fsOpts"), "-m 1");
  ctx["d.io/fsOpts"] = "-m 2";
  EXPECT_EQ(ContextValue(ctx, "d.io", "fsOpts"), "-m 2");
  ctx["fsOpts"] = "-m 3";
  EXPECT_EQ(ContextValue(ctx, "d.io", "fsOpts"), "-m 3");
}

}  // namespace
}  // namespace lcsi::node
