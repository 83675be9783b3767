// FindZfsLabel on in-memory device images: which label positions it reads, which bytes count as
// a ZFS label's nvlist header, and devices too small for four labels.
#include "nodeplugin/zfs_label.h"

#include <algorithm>
#include <cstring>
#include <map>
#include <string>
#include <vector>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "nodeplugin/test_support.h"

namespace lcsi::node {
namespace {

using ::testing::ElementsAre;
using ::testing::IsEmpty;
using testing::ZfsNvlistHeader;

constexpr int64_t kKiB = 1024;
constexpr int64_t kMiB = 1024 * kKiB;

// A device image that is zero except where bytes were written; records every read.
class Image {
 public:
  explicit Image(int64_t size) : size_(size) {}
  void Write(int64_t offset, const std::string& bytes) { chunks_[offset] = bytes; }
  BlockReader Reader() {
    return [this](int64_t offset, std::span<char> buffer) -> Status {
      reads_.push_back(offset);
      if (offset < 0 || offset + static_cast<int64_t>(buffer.size()) > size_) {
        return Internal("read beyond the device");
      }
      std::fill(buffer.begin(), buffer.end(), '\0');
      for (const auto& [at, bytes] : chunks_) {
        for (size_t i = 0; i < bytes.size(); ++i) {
          int64_t pos = at + static_cast<int64_t>(i) - offset;
          if (pos >= 0 && pos < static_cast<int64_t>(buffer.size())) buffer[pos] = bytes[i];
        }
      }
      return Status::Ok();
    };
  }
  Result<ZfsLabelScan> Scan() { return FindZfsLabel(size_, Reader()); }
  const std::vector<int64_t>& reads() const { return reads_; }

 private:
  int64_t size_;
  std::map<int64_t, std::string> chunks_;
  std::vector<int64_t> reads_;
};

TEST(ZfsLabelTest, NvlistOffsetsOfTheFourLabels) {
  const int64_t size = 256 * kMiB;
  EXPECT_EQ(ZfsNvlistOffset(size, 0), 16 * kKiB);
  EXPECT_EQ(ZfsNvlistOffset(size, 1), 272 * kKiB);
  EXPECT_EQ(ZfsNvlistOffset(size, 2), size - 512 * kKiB + 16 * kKiB);
  EXPECT_EQ(ZfsNvlistOffset(size, 3), size - 256 * kKiB + 16 * kKiB);
  EXPECT_EQ(ZfsNvlistOffset(size, 4), std::nullopt);
  // The end labels sit in the size aligned down to 256 KiB, as ZFS places them.
  const int64_t odd = 256 * kMiB + 100 * kKiB;
  EXPECT_EQ(ZfsNvlistOffset(odd, 2), 256 * kMiB - 512 * kKiB + 16 * kKiB);
  EXPECT_EQ(ZfsNvlistOffset(odd, 3), 256 * kMiB - 256 * kKiB + 16 * kKiB);
}

TEST(ZfsLabelTest, BlankDeviceReadsOnePagePerLabel) {
  Image image(256 * kMiB);
  auto scan = image.Scan();
  ASSERT_TRUE(scan.ok()) << scan.status().ToString();
  EXPECT_FALSE(scan->found);
  EXPECT_THAT(image.reads(),
              ElementsAre(16 * kKiB, 272 * kKiB, 256 * kMiB - 496 * kKiB, 256 * kMiB - 240 * kKiB));
}

TEST(ZfsLabelTest, HeaderInLabelZeroOnly) {
  Image image(256 * kMiB);
  image.Write(16 * kKiB, ZfsNvlistHeader());
  auto scan = image.Scan();
  ASSERT_TRUE(scan.ok());
  EXPECT_TRUE(scan->found);
  EXPECT_EQ(scan->label, 0);
  EXPECT_EQ(scan->offset, 16 * kKiB);
  EXPECT_EQ(image.reads().size(), 1u) << "stops at the first label found";
}

TEST(ZfsLabelTest, HeaderInLastLabelOnlyOfAnUnalignedDevice) {
  const int64_t size = 300 * kMiB + 100 * kKiB;  // not a multiple of 256 KiB
  const int64_t label3 = 300 * kMiB - 256 * kKiB + 16 * kKiB;
  Image image(size);
  image.Write(label3, ZfsNvlistHeader());
  auto scan = image.Scan();
  ASSERT_TRUE(scan.ok());
  EXPECT_TRUE(scan->found);
  EXPECT_EQ(scan->label, 3);
  EXPECT_EQ(scan->offset, label3);

  // The same bytes counted back from the unaligned end are not where ZFS puts a label.
  Image unaligned(size);
  unaligned.Write(size - 256 * kKiB + 16 * kKiB, ZfsNvlistHeader());
  auto miss = unaligned.Scan();
  ASSERT_TRUE(miss.ok());
  EXPECT_FALSE(miss->found);
}

TEST(ZfsLabelTest, LittleAndBigEndianHeaders) {
  for (char endian : {char{0}, char{1}}) {
    for (char nvflag : {char{1}, char{2}}) {
      Image image(64 * kMiB);
      image.Write(272 * kKiB, ZfsNvlistHeader(endian, nvflag));
      auto scan = image.Scan();
      ASSERT_TRUE(scan.ok());
      EXPECT_TRUE(scan->found) << "endian " << int{endian} << " nvflag " << int{nvflag};
      EXPECT_EQ(scan->label, 1);
    }
  }
}

TEST(ZfsLabelTest, NearMissesAreNotHeaders) {
  EXPECT_TRUE(IsZfsNvlistHeader(ZfsNvlistHeader()));
  auto changed = [](size_t at, char value) {
    std::string bytes = ZfsNvlistHeader();
    bytes[at] = value;
    return bytes;
  };
  EXPECT_FALSE(IsZfsNvlistHeader(changed(0, 0))) << "NV_ENCODE_NATIVE, not what labels use";
  EXPECT_FALSE(IsZfsNvlistHeader(changed(0, 2))) << "unknown encoding";
  EXPECT_FALSE(IsZfsNvlistHeader(changed(1, 2))) << "endian is 0 or 1";
  EXPECT_FALSE(IsZfsNvlistHeader(changed(3, 1))) << "reserved byte set";
  EXPECT_FALSE(IsZfsNvlistHeader(changed(7, 1))) << "nvlist version 1";
  EXPECT_FALSE(IsZfsNvlistHeader(changed(11, 0))) << "no nvflag";
  EXPECT_FALSE(IsZfsNvlistHeader(changed(11, 3))) << "nvflag ZFS does not write";
  EXPECT_FALSE(IsZfsNvlistHeader(changed(8, 1))) << "nvflag read little-endian";
  EXPECT_FALSE(IsZfsNvlistHeader(ZfsNvlistHeader().substr(0, 11))) << "too short";

  // The header one byte off its place, and an uberblock (magic 0x00bab10c, little-endian) at the
  // start of every label's ring without any nvlist: neither is a label ZFS could import.
  Image image(256 * kMiB);
  image.Write(16 * kKiB + 1, ZfsNvlistHeader());
  const std::string uberblock_magic("\x0c\xb1\xba\x00\x00\x00\x00\x00", 8);
  for (int label = 0; label < kZfsLabels; ++label) {
    image.Write(*ZfsNvlistOffset(256 * kMiB, label) - 16 * kKiB + 128 * kKiB, uberblock_magic);
  }
  auto scan = image.Scan();
  ASSERT_TRUE(scan.ok());
  EXPECT_FALSE(scan->found);
}

TEST(ZfsLabelTest, DevicesSmallerThanFourLabels) {
  // 700 KiB: room for the front labels only (aligned size 512 KiB); nothing read past the end.
  Image front(700 * kKiB);
  front.Write(272 * kKiB, ZfsNvlistHeader());
  auto scan = front.Scan();
  ASSERT_TRUE(scan.ok()) << scan.status().ToString();
  EXPECT_TRUE(scan->found);
  EXPECT_EQ(scan->label, 1);
  EXPECT_EQ(ZfsNvlistOffset(700 * kKiB, 2), std::nullopt);
  EXPECT_EQ(ZfsNvlistOffset(700 * kKiB, 3), std::nullopt);

  Image blank(700 * kKiB);
  ASSERT_TRUE(blank.Scan().ok());
  EXPECT_THAT(blank.reads(), ElementsAre(16 * kKiB, 272 * kKiB));

  // 100 KiB: label 0's page fits, label 1 does not.
  Image tiny(100 * kKiB);
  tiny.Write(16 * kKiB, ZfsNvlistHeader(0));
  auto tiny_scan = tiny.Scan();
  ASSERT_TRUE(tiny_scan.ok());
  EXPECT_TRUE(tiny_scan->found);

  // 16 KiB: no label page fits; nothing is read.
  Image none(16 * kKiB);
  auto none_scan = none.Scan();
  ASSERT_TRUE(none_scan.ok());
  EXPECT_FALSE(none_scan->found);
  EXPECT_THAT(none.reads(), IsEmpty());
}

TEST(ZfsLabelTest, ReadErrorIsReported) {
  auto scan = FindZfsLabel(64 * kMiB, [](int64_t, std::span<char>) -> Status {
    return Internal("cannot read: Input/output error");
  });
  ASSERT_FALSE(scan.ok());
  EXPECT_EQ(scan.status().code(), Code::kInternal);
  EXPECT_THAT(scan.status().message(), ::testing::HasSubstr("Input/output error"));
}

}  // namespace
}  // namespace lcsi::node
