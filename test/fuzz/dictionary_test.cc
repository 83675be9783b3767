#include "test/fuzz/dictionary.h"

#include <gtest/gtest.h>

namespace lcsi::fuzz {
namespace {

TEST(DictionaryTest, ParsesNamedAndBareTokensWithEscapes) {
  auto tokens = ParseDictionary(
      "# comment\n"
      "kw1=\"unix://\"\n"
      "\n"
      "  \"a\\\"b\"\n"
      "nul=\"\\x00\\x7f\"\n"
      "bs=\"\\\\\"\n");
  ASSERT_TRUE(tokens.ok()) << tokens.status().ToString();
  ASSERT_EQ(tokens->size(), 4u);
  EXPECT_EQ((*tokens)[0], "unix://");
  EXPECT_EQ((*tokens)[1], "a\"b");
  EXPECT_EQ((*tokens)[2], std::string("\0\x7f", 2));
  EXPECT_EQ((*tokens)[3], "\\");
}

TEST(DictionaryTest, RejectsMalformedLinesNamingTheLine) {
  auto unquoted = ParseDictionary("ok=\"x\"\nnot quoted\n");
  ASSERT_FALSE(unquoted.ok());
  EXPECT_NE(unquoted.status().message().find("line 2"), std::string::npos);
  EXPECT_FALSE(ParseDictionary("x=\"\\xZZ\"\n").ok());
  EXPECT_FALSE(ParseDictionary("x=\"\n").ok());
}

}  // namespace
}  // namespace lcsi::fuzz
