#include "controller/volume_list_cache.h"

#include <gtest/gtest.h>

namespace lcsi::controller {
namespace {

using std::chrono::milliseconds;

TEST(VolumeListCacheTest, KeepsTheLastReadUntilTheTtlPasses) {
  FakeClock clock;
  VolumeListCache cache(milliseconds(100), clock);
  EXPECT_EQ(cache.Fresh(), nullptr);
  auto first = std::make_shared<VolumeListCache::Snapshot>();
  first->keys = {"a", "b"};
  first->entries = {"ea", "eb"};
  cache.Put(first);
  clock.Advance(milliseconds(99));
  ASSERT_NE(cache.Fresh(), nullptr);
  EXPECT_EQ(cache.Fresh()->keys, (std::vector<std::string>{"a", "b"}));
  clock.Advance(milliseconds(1));
  EXPECT_EQ(cache.Fresh(), nullptr) << "expired at the TTL";

  auto second = std::make_shared<VolumeListCache::Snapshot>();
  second->keys = {"c"};
  cache.Put(second);
  ASSERT_NE(cache.Fresh(), nullptr);
  EXPECT_EQ(cache.Fresh()->keys, std::vector<std::string>{"c"}) << "a new read replaces the old";
}

TEST(VolumeListCacheTest, DropForgetsTheRead) {
  FakeClock clock;
  VolumeListCache cache(std::chrono::seconds(30), clock);
  cache.Put(std::make_shared<VolumeListCache::Snapshot>());
  ASSERT_NE(cache.Fresh(), nullptr);
  cache.Drop();
  EXPECT_EQ(cache.Fresh(), nullptr);
}

TEST(VolumeListCacheTest, TtlZeroKeepsNothing) {
  FakeClock clock;
  VolumeListCache cache(milliseconds(0), clock);
  cache.Put(std::make_shared<VolumeListCache::Snapshot>());
  EXPECT_EQ(cache.Fresh(), nullptr);
}

}  // namespace
}  // namespace lcsi::controller
