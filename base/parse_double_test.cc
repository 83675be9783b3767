#include "base/parse_double.h"

#include <gtest/gtest.h>

#include <cmath>

namespace lcsi {
namespace {

TEST(ParseDoubleTest, Decimals) {
  EXPECT_EQ(ParseDouble("1.5"), 1.5);
  EXPECT_EQ(ParseDouble(".5"), 0.5);
  EXPECT_EQ(ParseDouble("2."), 2.0);
  EXPECT_EQ(ParseDouble("1e3"), 1000.0);
  EXPECT_EQ(ParseDouble("-0.25"), -0.25);
  EXPECT_EQ(ParseDouble("20"), 20.0);
  EXPECT_TRUE(std::isinf(*ParseDouble("inf")));
  EXPECT_TRUE(std::isnan(*ParseDouble("nan")));
}

TEST(ParseDoubleTest, WholeTextOnly) {
  for (const char* text :
       {"", " 1", "1 ", "+1", "1x", "0x10", "1,5", "abc", ".", "1.2.3", "--1", "1e"}) {
    EXPECT_FALSE(ParseDouble(text).has_value()) << '"' << text << '"';
  }
}

TEST(ParseDoubleTest, OutOfRangeIsNoValue) {
  EXPECT_FALSE(ParseDouble("1e400").has_value());
  EXPECT_EQ(ParseDouble("1e308"), 1e308);
}

}  // namespace
}  // namespace lcsi
