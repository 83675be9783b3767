#include "base/parse_int.h"

#include <gtest/gtest.h>

#include <cstdint>

namespace lcsi {
namespace {

TEST(ParseIntTest, WholeTextOnly) {
  EXPECT_EQ(ParseInt<int>("42"), 42);
  EXPECT_EQ(ParseInt<int64_t>("-7"), -7);
  EXPECT_EQ(ParseInt<uint64_t>("ff", 16), 0xffu);
  EXPECT_EQ(ParseInt<int>("0"), 0);
  for (const char* text : {"", " 1", "1 ", "+1", "1x", "0x10", "1.5", "abc"}) {
    EXPECT_FALSE(ParseInt<int>(text).has_value()) << '"' << text << '"';
  }
}

TEST(ParseIntTest, OutOfRangeIsNoValue) {
  EXPECT_FALSE(ParseInt<int32_t>("2147483648").has_value());
  EXPECT_EQ(ParseInt<int32_t>("2147483647"), 2147483647);
  EXPECT_FALSE(ParseInt<uint32_t>("-1").has_value());
}

}  // namespace
}  // namespace lcsi
