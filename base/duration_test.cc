#include "base/duration.h"

#include <gtest/gtest.h>

namespace lcsi {
namespace {

using std::chrono::milliseconds;

TEST(ParseDurationTest, UnitsSumsFractionsAndBareSeconds) {
  EXPECT_EQ(*ParseDuration("500ms"), milliseconds(500));
  EXPECT_EQ(*ParseDuration("10s"), milliseconds(10'000));
  EXPECT_EQ(*ParseDuration("2m"), milliseconds(120'000));
  EXPECT_EQ(*ParseDuration("1h"), milliseconds(3'600'000));
  EXPECT_EQ(*ParseDuration("1m30s"), milliseconds(90'000));
  EXPECT_EQ(*ParseDuration("1h2m3s4ms"), milliseconds(3'723'004));
  EXPECT_EQ(*ParseDuration("1.5s"), milliseconds(1500));
  EXPECT_EQ(*ParseDuration("3"), milliseconds(3000));
  EXPECT_EQ(*ParseDuration("0.25"), milliseconds(250));
  EXPECT_EQ(*ParseDuration("0s"), milliseconds(0));
}

TEST(ParseDurationTest, RefusesWhatIsNotADuration) {
  for (const char* text : {"", "s", "ms", "abc", "10x", "5d", "-1s", "+1s", "1e3s", "1m30", " 1s",
                           "1s ", "1..5s", "99999999999999999h"}) {
    auto parsed = ParseDuration(text);
    EXPECT_FALSE(parsed.ok()) << '"' << text << '"';
    if (!parsed.ok()) {
      EXPECT_NE(parsed.status().message().find("bad duration"), std::string::npos);
    }
  }
}

}  // namespace
}  // namespace lcsi
