#include "base/flags.h"

#include <gtest/gtest.h>

#include <map>

namespace lcsi {
namespace {

FlagSet MakeFlags() {
  FlagSet f("prog", "summary");
  f.AddString("endpoint", "CSI_ENDPOINT", "unix:///csi/csi.sock", "endpoint");
  f.AddBool("verbose", "VERBOSE", false, "verbose");
  f.AddList("prefix", "PREFIXES", "/var/lib/kubelet", "prefixes");
  f.AddString("timeout", "", "10s", "timeout");
  return f;
}

TEST(Flags, PrecedenceFlagOverEnvOverDefault) {
  FlagSet f = MakeFlags();
  const char* argv[] = {"prog", "--endpoint", "unix:///a.sock"};
  ASSERT_TRUE(f.Parse(3, argv, MapEnv({{"CSI_ENDPOINT", "unix:///env.sock"}})).ok());
  EXPECT_EQ(f.GetString("endpoint"), "unix:///a.sock");

  FlagSet g = MakeFlags();
  const char* argv2[] = {"prog"};
  ASSERT_TRUE(g.Parse(1, argv2, MapEnv({{"CSI_ENDPOINT", "unix:///env.sock"}})).ok());
  EXPECT_EQ(g.GetString("endpoint"), "unix:///env.sock");
  EXPECT_EQ(g.GetList("prefix"), std::vector<std::string>{"/var/lib/kubelet"});
  EXPECT_FALSE(g.GetBool("verbose"));
}

TEST(Flags, FormsAndLists) {
  FlagSet f = MakeFlags();
  const char* argv[] = {"prog", "--verbose", "--prefix=/a,/b", "--prefix", "/c", "--timeout=500ms"};
  ASSERT_TRUE(f.Parse(6, argv, MapEnv({})).ok());
  EXPECT_TRUE(f.GetBool("verbose"));
  EXPECT_EQ(f.GetList("prefix"), (std::vector<std::string>{"/a", "/b", "/c"}));
  auto d = f.GetDuration("timeout");
  ASSERT_TRUE(d.ok());
  EXPECT_EQ(d->count(), 500);
}

TEST(Flags, Errors) {
  FlagSet f = MakeFlags();
  const char* unknown[] = {"prog", "--nope"};
  Status s = f.Parse(2, unknown, MapEnv({}));
  EXPECT_EQ(s.code(), Code::kInvalidArgument);
  EXPECT_NE(s.message().find("--nope"), std::string::npos);
  FlagSet g = MakeFlags();
  const char* missing[] = {"prog", "--endpoint"};
  EXPECT_FALSE(g.Parse(2, missing, MapEnv({})).ok());
  FlagSet h = MakeFlags();
  const char* positional[] = {"prog", "extra"};
  EXPECT_FALSE(h.Parse(2, positional, MapEnv({})).ok());
  FlagSet i = MakeFlags();
  const char* argv[] = {"prog"};
  EXPECT_FALSE(i.Parse(1, argv, MapEnv({{"VERBOSE", "maybe"}})).ok());
}

TEST(Flags, HelpListsEveryFlagWithEnv) {
  FlagSet f = MakeFlags();
  const char* argv[] = {"prog", "--help"};
  ASSERT_TRUE(f.Parse(2, argv, MapEnv({})).ok());
  EXPECT_TRUE(f.help_requested());
  std::string help = f.Help();
  for (const char* s :
       {"--endpoint", "CSI_ENDPOINT", "--verbose", "--prefix", "--timeout", "--version"}) {
    EXPECT_NE(help.find(s), std::string::npos) << s;
  }
}

TEST(Duration, Parse) {
  EXPECT_EQ(ParseDuration("10s")->count(), 10000);
  EXPECT_EQ(ParseDuration("2m")->count(), 120000);
  EXPECT_EQ(ParseDuration("1.5s")->count(), 1500);
  EXPECT_EQ(ParseDuration("3")->count(), 3000);
  EXPECT_FALSE(ParseDuration("abc").ok());
  EXPECT_FALSE(ParseDuration("10x").ok());
  EXPECT_FALSE(ParseDuration("").ok());
}

}  // namespace
}  // namespace lcsi
