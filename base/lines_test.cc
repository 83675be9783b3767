#include "base/lines.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace lcsi {
namespace {

std::vector<std::string> All(std::string_view text) {
  std::vector<std::string> out;
  Lines lines(text);
  while (auto line = lines.Next()) out.emplace_back(*line);
  return out;
}

TEST(LinesTest, SplitsAtNewlines) {
  EXPECT_EQ(All(""), std::vector<std::string>{});
  EXPECT_EQ(All("a"), std::vector<std::string>{"a"});
  EXPECT_EQ(All("a\n"), std::vector<std::string>{"a"});
  EXPECT_EQ(All("a\n\nb"), (std::vector<std::string>{"a", "", "b"}));
  EXPECT_EQ(All("a\r\nb\n"), (std::vector<std::string>{"a\r", "b"}));
}

TEST(LinesTest, CountsLines) {
  Lines lines("x\ny\n");
  EXPECT_EQ(lines.number(), 0);
  lines.Next();
  lines.Next();
  EXPECT_EQ(lines.number(), 2);
  EXPECT_FALSE(lines.Next().has_value());
  EXPECT_EQ(lines.number(), 2);
}

}  // namespace
}  // namespace lcsi
