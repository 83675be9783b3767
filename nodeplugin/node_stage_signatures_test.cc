// NodeStageVolume never formats or mounts a device that carries a signature: partition tables,
// foreign data, another filesystem, ZFS labels; and never formats a blank device staged
// read-only. Real loop devices, libblkid and the node service behind a real gRPC server (root).
#include "nodeplugin/node_integration_fixture.h"
#include "nodeplugin/zfs_label.h"

namespace lcsi::node {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;

TEST_F(NodeIntegrationTest, RefusesToFormatPartitionTableOrForeignData) {
  auto loop = MakeLoop(64 * kMiB);
  ASSERT_TRUE(loop->ok());
  // A DOS partition table: one Linux partition.
  std::string mbr(512, '\0');
  mbr[446 + 4] = static_cast<char>(0x83);
  mbr[446 + 8] = 0x00;
  mbr[446 + 9] = 0x08;   // start LBA 2048
  mbr[446 + 13] = 0x10;  // 4096 sectors
  mbr[510] = 0x55;
  mbr[511] = static_cast<char>(0xAA);
  ASSERT_TRUE(loop->WriteAt(0, mbr));
  grpc::Status s = Stage(StageReq("pv1", loop->path(), MountCap("ext4")));
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(s.error_message(), HasSubstr("dos partition table"));
  EXPECT_EQ(loop->ReadAt(0, 512), mbr) << "the partition table is untouched";

  // A swap signature.
  auto swap = MakeLoop(16 * kMiB);
  ASSERT_EQ(testing::RunShell("mkswap -q " + swap->path() + " >/dev/null 2>&1"), 0);
  s = Stage(StageReq("pv2", swap->path(), MountCap("")));
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(s.error_message(), HasSubstr("swap"));

  // A LUKS header (magic and version 1).
  auto luks = MakeLoop(16 * kMiB);
  ASSERT_TRUE(luks->WriteAt(0, std::string("LUKS\xba\xbe\x00\x01", 8)));
  s = Stage(StageReq("pv5", luks->path(), MountCap("ext4")));
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(s.error_message(), HasSubstr("crypto_LUKS"));
  EXPECT_EQ(luks->ReadAt(0, 8), std::string("LUKS\xba\xbe\x00\x01", 8)) << "untouched";

  // An xfs filesystem when ext4 is requested: never reformatted.
  auto xfs = MakeLoop(320 * kMiB);
  ASSERT_EQ(testing::RunShell("mkfs.xfs -q " + xfs->path()), 0);
  s = Stage(StageReq("pv3", xfs->path(), MountCap("ext4")));
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(s.error_message(), HasSubstr("already holds an xfs filesystem"));
  EXPECT_EQ(testing::RunShell("blkid -p -o value -s TYPE " + xfs->path() + " | grep -qx xfs"), 0);

  // A blank device staged read-only is not formatted either.
  auto blank = MakeLoop(16 * kMiB);
  s = Stage(StageReq("pv4", blank->path(), MountCap("ext4", Mode::SINGLE_NODE_READER_ONLY)));
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(testing::RunShell("blkid -p " + blank->path() + " >/dev/null"), 0) << "still blank";
  EXPECT_THAT(testing::MountsUnder(root_), IsEmpty());
}

// A ZFS label's nvlist header in the last label of an otherwise blank device whose size is not a
// multiple of 256 KiB. libblkid 2.38's own prober looks for uberblocks and would find the device
// blank; the plugin's label check (zfs_label.h) finds the label, and the stage is refused.
TEST_F(NodeIntegrationTest, RefusesToFormatADeviceWithAZfsLabel) {
  const int64_t size = 64 * kMiB + 96 * 1024;
  auto loop = MakeLoop(size);
  ASSERT_TRUE(loop->ok());
  const int64_t last_label = 64 * kMiB - 256 * 1024 + 16 * 1024;
  ASSERT_EQ(ZfsNvlistOffset(size, 3), last_label);
  const std::string header = testing::ZfsNvlistHeader();
  ASSERT_TRUE(loop->WriteAt(last_label, header));

  grpc::Status s = Stage(StageReq("pv1", loop->path(), MountCap("ext4")));
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << s.error_message();
  EXPECT_THAT(s.error_message(), HasSubstr(loop->path() + " already holds a ZFS pool label"));
  EXPECT_THAT(s.error_message(), HasSubstr("refusing to reformat it"));
  // With no fs_type the plugin would pick ext4 for a blank device; this one it does not mount.
  s = Stage(StageReq("pv2", loop->path(), MountCap("")));
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << s.error_message();
  EXPECT_THAT(s.error_message(), HasSubstr("which this plugin does not mount"));

  EXPECT_EQ(loop->ReadAt(last_label, header.size()), header) << "the label is untouched";
  const int64_t ext_magic = 1024 + 56;  // s_magic of an ext2/3/4 superblock
  EXPECT_EQ(loop->ReadAt(ext_magic, 2), std::string(2, '\0')) << "nothing was formatted";
  EXPECT_THAT(testing::MountsUnder(root_), IsEmpty());
}

}  // namespace
}  // namespace lcsi::node
