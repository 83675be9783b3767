#include "tools/csictl/cli_flags.h"

#include <gtest/gtest.h>

namespace lcsi::csictl {
namespace {

const std::vector<FlagSpec> kSpecs = {
    {"name", FlagKind::kString, "the name", true, "NAME"},
    {"verbose", FlagKind::kBool, "more output", false, ""},
    {"tag", FlagKind::kList, "a tag", false, "TAG"},
    {"param", FlagKind::kKeyValue, "a parameter", false, "KEY=VALUE"},
};

Result<ParsedFlags> Parse(std::vector<std::string> args) { return ParseFlags(args, kSpecs); }

TEST(ParseFlagsTest, SeparateAndInlineValues) {
  auto flags = Parse({"--name", "a", "--tag=x", "--tag", "y", "--param", "k=v=w", "--verbose"});
  ASSERT_TRUE(flags.ok()) << flags.status().ToString();
  EXPECT_EQ(flags->Get("name"), "a");
  EXPECT_EQ(flags->List("tag"), (std::vector<std::string>{"x", "y"}));
  EXPECT_EQ(flags->Map("param").at("k"), "v=w");  // only the first '=' splits
  EXPECT_TRUE(flags->GetBool("verbose"));
  EXPECT_FALSE(flags->Has("missing"));
  EXPECT_EQ(flags->GetOr("missing", "fallback"), "fallback");
}

TEST(ParseFlagsTest, BoolAcceptsExplicitValues) {
  auto off = Parse({"--name", "a", "--verbose=false"});
  ASSERT_TRUE(off.ok());
  EXPECT_FALSE(off->GetBool("verbose"));
  EXPECT_TRUE(off->Has("verbose"));
  EXPECT_FALSE(Parse({"--name", "a", "--verbose=perhaps"}).ok());
}

TEST(ParseFlagsTest, LaterKeyValueOverridesEarlier) {
  auto flags = Parse({"--name", "a", "--param", "k=1", "--param", "k=2", "--param", "e="});
  ASSERT_TRUE(flags.ok());
  EXPECT_EQ(flags->Map("param").at("k"), "2");
  EXPECT_EQ(flags->Map("param").at("e"), "");
}

TEST(ParseFlagsTest, ValueMayLookLikeAFlagWhenSeparate) {
  auto flags = Parse({"--name", "--verbose"});
  ASSERT_TRUE(flags.ok());
  EXPECT_EQ(flags->Get("name"), "--verbose");
}

TEST(ParseFlagsTest, Errors) {
  struct Case {
    std::vector<std::string> args;
    std::string message;
  };
  for (const Case& c : std::vector<Case>{
           {{}, "missing required flag --name"},
           {{"--name", "a", "--nope"}, "unknown flag --nope"},
           {{"--name"}, "--name needs a value"},
           {{"--name", "a", "--name", "b"}, "more than once"},
           {{"--name", "a", "--param", "=v"}, "--param: expected key=value"},
           {{"--name", "a", "--param", "kv"}, "--param: expected key=value"},
           {{"--name", "a", "positional"}, "unexpected argument 'positional'"},
           {{"-n", "a"}, "unexpected argument '-n'"},
       }) {
    auto flags = Parse(c.args);
    ASSERT_FALSE(flags.ok()) << c.message;
    EXPECT_EQ(flags.status().code(), Code::kInvalidArgument);
    EXPECT_NE(flags.status().message().find(c.message), std::string::npos)
        << flags.status().message();
  }
}

TEST(FlagsHelpTest, ShowsKindsAndMarks) {
  std::string help = FlagsHelp(kSpecs);
  EXPECT_NE(help.find("--name NAME"), std::string::npos) << help;
  EXPECT_NE(help.find("the name (required)"), std::string::npos) << help;
  EXPECT_NE(help.find("--param KEY=VALUE"), std::string::npos) << help;
  EXPECT_NE(help.find("a tag (repeatable)"), std::string::npos) << help;
  EXPECT_NE(help.find("--verbose "), std::string::npos) << help;
}

TEST(FlagsHelpTest, WrapsLongHelp) {
  std::vector<FlagSpec> specs = {
      {"x", FlagKind::kString, std::string(150, 'a') + " end", false, "V"}};
  std::string help = FlagsHelp(specs);
  for (size_t start = 0, end; start < help.size(); start = end + 1) {
    end = help.find('\n', start);
    EXPECT_LE(end - start, 100u) << help;
  }
  EXPECT_NE(help.find(" end"), std::string::npos);
}

}  // namespace
}  // namespace lcsi::csictl
