#include "controller/capacity.h"

#include <gtest/gtest.h>

namespace lcsi::controller {
namespace {

csi::v1::CapacityRange Range(int64_t required, int64_t limit) {
  csi::v1::CapacityRange r;
  r.set_required_bytes(required);
  r.set_limit_bytes(limit);
  return r;
}

TEST(CapacityTest, TableOfRanges) {
  struct Case {
    int64_t required, limit, minimum_kib;
    int64_t want_kib;  // -1: expect an error
    Code want_code;
  };
  const int64_t def = 1024;  // 1 MiB default for the table
  const Case cases[] = {
      {0, 0, 0, def, Code::kOk},                    // nothing asked: default
      {1, 0, 0, 1, Code::kOk},                      // rounds up to 1 KiB
      {1024, 0, 0, 1, Code::kOk},                   // exact KiB
      {1025, 0, 0, 2, Code::kOk},                   // rounds up
      {1025, 2048, 0, 2, Code::kOk},                // rounded size fits the limit
      {1025, 1500, 0, -1, Code::kOutOfRange},       // rounding would pass the limit
      {0, 512 * 1024, 0, 512, Code::kOk},           // only limit: min(default, limit)
      {0, 4096 * 1024, 0, def, Code::kOk},          // limit above default: default
      {0, 100, 0, -1, Code::kOutOfRange},           // limit below granularity
      {2048, 1024, 0, -1, Code::kOutOfRange},       // required > limit
      {-1, 0, 0, -1, Code::kInvalidArgument},       // negative
      {0, -5, 0, -1, Code::kInvalidArgument},       // negative
      {1024, 0, 10, 10, Code::kOk},                 // minimum (source size) wins
      {0, 0, 4096, 4096, Code::kOk},                // default below minimum
      {1024, 5 * 1024, 10, -1, Code::kOutOfRange},  // source larger than limit
      {20 * 1024, 0, 10, 20, Code::kOk},            // larger than source: grow
  };
  for (const auto& c : cases) {
    auto r = Range(c.required, c.limit);
    auto got = SizeKibForRange(&r, def, c.minimum_kib);
    SCOPED_TRACE(std::to_string(c.required) + "/" + std::to_string(c.limit) + "/" +
                 std::to_string(c.minimum_kib));
    if (c.want_kib < 0) {
      ASSERT_FALSE(got.ok());
      EXPECT_EQ(got.status().code(), c.want_code) << got.status().ToString();
    } else {
      ASSERT_TRUE(got.ok()) << got.status().ToString();
      EXPECT_EQ(*got, c.want_kib);
    }
  }
}

TEST(CapacityTest, NoRangeMeansDefault) {
  auto got = SizeKibForRange(nullptr, kDefaultVolumeSizeKib);
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(*got, kDefaultVolumeSizeKib);
}

TEST(CapacityTest, SizeSatisfies) {
  auto r = Range(1000, 4096);
  EXPECT_TRUE(SizeSatisfies(&r, 1));
  EXPECT_TRUE(SizeSatisfies(&r, 4));
  EXPECT_FALSE(SizeSatisfies(&r, 5));
  auto req_only = Range(3000, 0);
  EXPECT_FALSE(SizeSatisfies(&req_only, 2));
  EXPECT_TRUE(SizeSatisfies(&req_only, 3));
  EXPECT_TRUE(SizeSatisfies(nullptr, 123));
}

TEST(CapacityTest, FilesystemMinimumRoundsUpWithinTheRange) {
  constexpr int64_t kMiB = 1024 * 1024;
  constexpr int64_t kXfsMinKib = 300 * 1024;
  auto small = Range(256 * kMiB, 0);
  auto got = SizeKibForFilesystem(&small, kDefaultVolumeSizeKib, "xfs", kXfsMinKib);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  EXPECT_EQ(*got, kXfsMinKib) << "256 MiB rounds up to xfs's 300 MiB";
  auto roomy = Range(256 * kMiB, 400 * kMiB);
  EXPECT_EQ(*SizeKibForFilesystem(&roomy, kDefaultVolumeSizeKib, "xfs", kXfsMinKib), kXfsMinKib);
  auto big = Range(512 * kMiB, 0);
  EXPECT_EQ(*SizeKibForFilesystem(&big, kDefaultVolumeSizeKib, "xfs", kXfsMinKib), 512 * 1024);
  auto limit_only = Range(0, 200 * kMiB);
  auto refused = SizeKibForFilesystem(&limit_only, kDefaultVolumeSizeKib, "xfs", kXfsMinKib);
  ASSERT_FALSE(refused.ok());
  EXPECT_EQ(refused.status().code(), Code::kOutOfRange);
  EXPECT_NE(refused.status().message().find("314572800 bytes"), std::string::npos)
      << refused.status().message();
  EXPECT_NE(refused.status().message().find("xfs"), std::string::npos);
  auto tight = Range(256 * kMiB, 256 * kMiB);
  EXPECT_EQ(SizeKibForFilesystem(&tight, kDefaultVolumeSizeKib, "xfs", kXfsMinKib).status().code(),
            Code::kOutOfRange);
  // No filesystem (block): the range alone decides.
  EXPECT_EQ(*SizeKibForFilesystem(&tight, kDefaultVolumeSizeKib, "", 0), 256 * 1024);
}

}  // namespace
}  // namespace lcsi::controller
