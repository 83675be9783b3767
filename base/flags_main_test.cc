#include "base/flags_main.h"

#include <gtest/gtest.h>

#include <vector>

namespace lcsi {
namespace {

FlagSet MakeToolFlags() {
  FlagSet f("tool", "summary");
  f.Add({.name = "runs", .value_name = "N", .def = "10"});
  f.Add({.name = "rate", .value_name = "R", .def = "0.5"});
  return f;
}

void Parse(FlagSet& flags, std::vector<const char*> args) {
  args.insert(args.begin(), "tool");
  ParseFlagsOrExit(flags, static_cast<int>(args.size()), args.data());
}

TEST(FlagsMainDeathTest, HelpAndVersionExitZero) {
  FlagSet f = MakeToolFlags();
  EXPECT_EXIT(Parse(f, {"--help"}), ::testing::ExitedWithCode(0), "");
  EXPECT_EXIT(Parse(f, {"--version"}), ::testing::ExitedWithCode(0), "");
}

TEST(FlagsMainDeathTest, BadFlagsExitTwoNamingTheFlag) {
  FlagSet f = MakeToolFlags();
  EXPECT_EXIT(Parse(f, {"--nope"}), ::testing::ExitedWithCode(2),
              "^tool: unknown flag --nope \\(see --help\\)\n$");
  EXPECT_EXIT(Parse(f, {"--runs"}), ::testing::ExitedWithCode(2),
              "^tool: flag --runs needs a value\n$");
  EXPECT_EXIT(Parse(f, {"extra"}), ::testing::ExitedWithCode(2), "^tool: unexpected argument");
}

TEST(FlagsMainDeathTest, BadNumbersExitTwoNamingTheFlag) {
  FlagSet f = MakeToolFlags();
  Parse(f, {"--runs", "1x", "--rate=fast"});
  EXPECT_EXIT(IntFlagOrExit(f, "runs"), ::testing::ExitedWithCode(2),
              "^tool: --runs: expected an integer, got '1x'\n$");
  EXPECT_EXIT(NumberFlagOrExit(f, "rate"), ::testing::ExitedWithCode(2),
              "^tool: --rate: expected a number, got 'fast'\n$");
}

TEST(FlagsMain, GoodValuesAndDefaultsAreReturned) {
  FlagSet f = MakeToolFlags();
  Parse(f, {"--runs=7"});
  EXPECT_EQ(IntFlagOrExit(f, "runs"), 7);
  EXPECT_EQ(NumberFlagOrExit(f, "rate"), 0.5);
}

}  // namespace
}  // namespace lcsi
