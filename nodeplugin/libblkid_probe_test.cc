// LibblkidProbe on real loop devices (root): what it reports for a blank device, the
// filesystems the plugin makes, partition tables and foreign signatures. Each signature is
// written by the real tool (mkfs, mkswap) or byte by byte as its format prescribes.
#include "nodeplugin/libblkid_probe.h"

#include <unistd.h>

#include <array>
#include <cstdint>
#include <memory>

#include <gtest/gtest.h>

#include "nodeplugin/test_support.h"
#include "nodeplugin/zfs_label.h"

namespace lcsi::node {
namespace {

using Kind = ProbeResult::Kind;
constexpr int64_t kMiB = 1 << 20;
constexpr int64_t kSector = 512;

uint32_t Crc32(const std::string& bytes) {
  uint32_t crc = 0xFFFFFFFFu;
  for (unsigned char c : bytes) {
    crc ^= c;
    for (int bit = 0; bit < 8; ++bit) crc = (crc >> 1) ^ (0xEDB88320u & (0u - (crc & 1u)));
  }
  return ~crc;
}

void PutLe(std::string& buffer, size_t offset, uint64_t value, int bytes) {
  for (int i = 0; i < bytes; ++i) buffer[offset + i] = static_cast<char>((value >> (8 * i)) & 0xFF);
}

// A protective MBR plus a primary GPT header with an empty 128-entry partition array.
void WriteGpt(testing::LoopDevice& loop, int64_t size) {
  const uint64_t last_lba = static_cast<uint64_t>(size / kSector) - 1;
  std::string pmbr(kSector, '\0');
  pmbr[446 + 4] = static_cast<char>(0xEE);
  PutLe(pmbr, 446 + 8, 1, 4);
  PutLe(pmbr, 446 + 12, last_lba, 4);
  pmbr[510] = 0x55;
  pmbr[511] = static_cast<char>(0xAA);
  const std::string entries(128 * 128, '\0');
  std::string header(kSector, '\0');
  header.replace(0, 8, "EFI PART");
  PutLe(header, 8, 0x00010000, 4);  // revision 1.0
  PutLe(header, 12, 92, 4);         // header size
  PutLe(header, 24, 1, 8);          // this header's LBA
  PutLe(header, 32, last_lba, 8);   // backup header's LBA
  PutLe(header, 40, 34, 8);         // first usable LBA
  PutLe(header, 48, last_lba - 33, 8);
  for (int i = 0; i < 16; ++i) header[56 + i] = static_cast<char>(0x11 * (i % 15 + 1));
  PutLe(header, 72, 2, 8);    // partition entries start at LBA 2
  PutLe(header, 80, 128, 4);  // entries
  PutLe(header, 84, 128, 4);  // entry size
  PutLe(header, 88, Crc32(entries), 4);
  PutLe(header, 16, Crc32(header.substr(0, 92)), 4);
  ASSERT_TRUE(loop.WriteAt(0, pmbr));
  ASSERT_TRUE(loop.WriteAt(kSector, header));
  ASSERT_TRUE(loop.WriteAt(2 * kSector, entries));
}

class LibblkidProbeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (::geteuid() != 0) GTEST_SKIP() << "needs root (loop devices)";
    ASSERT_FALSE(dir_.path().empty());
  }
  std::unique_ptr<testing::LoopDevice> MakeLoop(int64_t size) {
    auto loop = std::make_unique<testing::LoopDevice>(
        dir_.Sub("disk" + std::to_string(++disks_) + ".img"), size);
    EXPECT_TRUE(loop->ok()) << loop->error();
    return loop;
  }
  ProbeResult MustProbe(const std::string& device) {
    auto probe = prober_.Probe(device);
    EXPECT_TRUE(probe.ok()) << probe.status().ToString();
    return probe.ok() ? *probe : ProbeResult{};
  }

  testing::TempDir dir_{"lcsi-blkid-test"};
  int disks_ = 0;
  LibblkidProbe prober_;
};

TEST_F(LibblkidProbeTest, BlankDevice) {
  auto loop = MakeLoop(16 * kMiB);
  ASSERT_TRUE(loop->ok());
  ProbeResult probe = MustProbe(loop->path());
  EXPECT_EQ(probe.kind, Kind::kBlank) << probe.Describe();
}

TEST_F(LibblkidProbeTest, FilesystemsThePluginMakes) {
  for (const auto& [fs, size] :
       std::array<std::pair<std::string, int64_t>, 2>{{{"ext4", 32 * kMiB}, {"xfs", 320 * kMiB}}}) {
    auto loop = MakeLoop(size);
    ASSERT_TRUE(loop->ok());
    ASSERT_EQ(testing::RunShell("mkfs." + fs + " -q " + loop->path() + " >/dev/null 2>&1"), 0);
    ProbeResult probe = MustProbe(loop->path());
    EXPECT_EQ(probe.kind, Kind::kFilesystem) << probe.Describe();
    EXPECT_EQ(probe.type, fs);
    EXPECT_EQ(probe.usage, "filesystem");
  }
}

TEST_F(LibblkidProbeTest, DosPartitionTable) {
  auto loop = MakeLoop(16 * kMiB);
  ASSERT_TRUE(loop->ok());
  std::string mbr(kSector, '\0');
  mbr[446 + 4] = static_cast<char>(0x83);  // one Linux partition at LBA 2048, 4096 sectors
  PutLe(mbr, 446 + 8, 2048, 4);
  PutLe(mbr, 446 + 12, 4096, 4);
  mbr[510] = 0x55;
  mbr[511] = static_cast<char>(0xAA);
  ASSERT_TRUE(loop->WriteAt(0, mbr));
  ProbeResult probe = MustProbe(loop->path());
  EXPECT_EQ(probe.kind, Kind::kPartitionTable) << probe.Describe();
  EXPECT_EQ(probe.pttype, "dos");
}

TEST_F(LibblkidProbeTest, GptPartitionTable) {
  const int64_t size = 16 * kMiB;
  auto loop = MakeLoop(size);
  ASSERT_TRUE(loop->ok());
  WriteGpt(*loop, size);
  ProbeResult probe = MustProbe(loop->path());
  EXPECT_EQ(probe.kind, Kind::kPartitionTable) << probe.Describe();
  EXPECT_EQ(probe.pttype, "gpt");
}

TEST_F(LibblkidProbeTest, SwapSignature) {
  auto loop = MakeLoop(16 * kMiB);
  ASSERT_TRUE(loop->ok());
  ASSERT_EQ(testing::RunShell("mkswap -q " + loop->path() + " >/dev/null 2>&1"), 0);
  ProbeResult probe = MustProbe(loop->path());
  EXPECT_EQ(probe.kind, Kind::kOtherSignature) << probe.Describe();
  EXPECT_EQ(probe.type, "swap");
}

TEST_F(LibblkidProbeTest, LuksHeader) {
  auto loop = MakeLoop(16 * kMiB);
  ASSERT_TRUE(loop->ok());
  // LUKS1 header start: magic "LUKS\xba\xbe", big-endian version 1, cipher name.
  std::string header("LUKS\xba\xbe\x00\x01", 8);
  header += "aes";
  ASSERT_TRUE(loop->WriteAt(0, header));
  ProbeResult probe = MustProbe(loop->path());
  EXPECT_EQ(probe.kind, Kind::kOtherSignature) << probe.Describe();
  EXPECT_EQ(probe.type, "crypto_LUKS");
  EXPECT_EQ(probe.usage, "crypto");
}

// ZFS labels come from the plugin's own check (zfs_label.h) in place of libblkid's prober, which
// in util-linux 2.38 looks for uberblocks and would call each of these devices blank or ext4.
TEST_F(LibblkidProbeTest, ZfsLabelAtTheEndOfTheDevice) {
  const int64_t size = 64 * kMiB + 96 * 1024;  // not a multiple of the 256 KiB label size
  auto loop = MakeLoop(size);
  ASSERT_TRUE(loop->ok());
  ASSERT_TRUE(loop->WriteAt(*ZfsNvlistOffset(size, 3), testing::ZfsNvlistHeader(0)));
  ProbeResult probe = MustProbe(loop->path());
  EXPECT_EQ(probe.kind, Kind::kFilesystem) << probe.Describe();
  EXPECT_EQ(probe.type, "zfs_member");
  EXPECT_EQ(probe.usage, "filesystem");
  EXPECT_EQ(probe.Describe(), "a ZFS pool label (zfs_member)");
}

TEST_F(LibblkidProbeTest, ZfsLabelBesideOtherSignatures) {
  // Beside a filesystem: two superblocks, ambivalent, as libblkid's safe probe reports them.
  auto ext4 = MakeLoop(64 * kMiB);
  ASSERT_TRUE(ext4->ok());
  ASSERT_EQ(testing::RunShell("mkfs.ext4 -q " + ext4->path() + " >/dev/null 2>&1"), 0);
  ASSERT_EQ(MustProbe(ext4->path()).kind, Kind::kFilesystem);
  ASSERT_TRUE(ext4->WriteAt(*ZfsNvlistOffset(64 * kMiB, 2), testing::ZfsNvlistHeader()));
  EXPECT_EQ(MustProbe(ext4->path()).kind, Kind::kAmbivalent);

  // Beside a partition table: the table is what the probe reports.
  const int64_t size = 64 * kMiB;
  auto gpt = MakeLoop(size);
  ASSERT_TRUE(gpt->ok());
  WriteGpt(*gpt, size);
  ASSERT_TRUE(gpt->WriteAt(*ZfsNvlistOffset(size, 1), testing::ZfsNvlistHeader()));
  ProbeResult probe = MustProbe(gpt->path());
  EXPECT_EQ(probe.kind, Kind::kPartitionTable) << probe.Describe();
  EXPECT_EQ(probe.type, "zfs_member");
}

TEST_F(LibblkidProbeTest, WipedDeviceIsBlankAgain) {
  auto loop = MakeLoop(32 * kMiB);
  ASSERT_TRUE(loop->ok());
  ASSERT_EQ(testing::RunShell("mkfs.ext4 -q " + loop->path() + " >/dev/null 2>&1"), 0);
  EXPECT_EQ(MustProbe(loop->path()).kind, Kind::kFilesystem);
  // The probe must not answer from a cache: a wiped device reads as blank at once.
  ASSERT_EQ(testing::RunShell("wipefs -q -a " + loop->path() + " >/dev/null 2>&1"), 0);
  EXPECT_EQ(MustProbe(loop->path()).kind, Kind::kBlank);
}

TEST_F(LibblkidProbeTest, MissingDeviceIsNotFound) {
  auto probe = prober_.Probe(dir_.Sub("no-such-device"));
  ASSERT_FALSE(probe.ok());
  EXPECT_EQ(probe.status().code(), Code::kNotFound);
  EXPECT_NE(probe.status().message().find("no-such-device"), std::string::npos);
}

}  // namespace
}  // namespace lcsi::node
