#include "linstor-sim/number_pool.h"

#include <gtest/gtest.h>

namespace lcsi::sim {
namespace {

TEST(NumberPoolTest, HandsOutReleasedNumbersLowestFirstBeforeGrowing) {
  NumberPool pool(1000);
  EXPECT_EQ(pool.Take(), 1000);
  EXPECT_EQ(pool.Take(), 1001);
  EXPECT_EQ(pool.Take(), 1002);
  pool.Release(1002);
  pool.Release(1000);
  EXPECT_EQ(pool.Take(), 1000);
  EXPECT_EQ(pool.Take(), 1002);
  EXPECT_EQ(pool.Take(), 1003);
}

TEST(NumberPoolTest, RestoreContinuesAfterTheHighestAndFillsTheGapsFirst) {
  NumberPool pool(7000);
  pool.Take();
  pool.Release(7000);
  pool.Restore({7001, 7003});
  EXPECT_EQ(pool.Take(), 7000);
  EXPECT_EQ(pool.Take(), 7002);
  EXPECT_EQ(pool.Take(), 7004);

  NumberPool empty(1000);
  empty.Restore({});
  EXPECT_EQ(empty.Take(), 1000);
}

}  // namespace
}  // namespace lcsi::sim
