#include "base/flags.h"

#include <gtest/gtest.h>

#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

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

TEST(Flags, ArgvFormWithoutProgramName) {
  FlagSet f = MakeFlags();
  const std::vector<std::string> args = {"--endpoint=unix:///b.sock", "--verbose=false"};
  ASSERT_TRUE(f.Parse(args, MapEnv({{"VERBOSE", "true"}})).ok());
  EXPECT_EQ(f.GetString("endpoint"), "unix:///b.sock");
  EXPECT_FALSE(f.GetBool("verbose"));
  EXPECT_TRUE(f.IsSet("verbose"));  // set to false is still set
}

TEST(Flags, ParseKnownLeavesOtherArgumentsInOrder) {
  FlagSet f = MakeFlags();
  const std::vector<std::string> args = {
      "svc", "--verbose", "cmd",      "--name", "x", "--endpoint=unix:///e",
      "-n",  "--",        "--prefix", "/p"};
  std::vector<std::string> rest;
  ASSERT_TRUE(f.ParseKnown(args, &rest, MapEnv({})).ok());
  // An unknown flag does not take the next argument: "x" stays in place after "--name".
  EXPECT_EQ(rest, (std::vector<std::string>{"svc", "cmd", "--name", "x", "-n", "--"}));
  EXPECT_TRUE(f.GetBool("verbose"));
  EXPECT_EQ(f.GetString("endpoint"), "unix:///e");
  EXPECT_EQ(f.GetList("prefix"), std::vector<std::string>{"/p"});

  FlagSet g = MakeFlags();
  std::vector<std::string> ignored;
  const std::vector<std::string> bad = {"cmd", "--verbose=perhaps"};
  EXPECT_EQ(g.ParseKnown(bad, &ignored, MapEnv({})).message(),
            "--verbose: expected true or false, got 'perhaps'");
  const std::vector<std::string> missing = {"cmd", "--endpoint"};
  EXPECT_EQ(g.ParseKnown(missing, &ignored, MapEnv({})).message(), "flag --endpoint needs a value");
}

TEST(Flags, LastValueWinsUnlessRepeatsAreRejected) {
  FlagSet f = MakeFlags();
  const std::vector<std::string> args = {"--endpoint", "unix:///a", "--endpoint", "unix:///b"};
  ASSERT_TRUE(f.Parse(args, MapEnv({})).ok());
  EXPECT_EQ(f.GetString("endpoint"), "unix:///b");

  FlagSet strict = MakeFlags();
  strict.RejectRepeatedValues();
  Status s = strict.Parse(args, MapEnv({}));
  EXPECT_EQ(s.code(), Code::kInvalidArgument);
  EXPECT_EQ(s.message(), "flag --endpoint given more than once");
}

// The flag kinds csictl uses: required strings with value names, repeatable whole values and
// KEY=VALUE pairs.
FlagSet MakeCommandFlags() {
  FlagSet f("cmd", "a command");
  f.Add({.name = "name", .help = "the name", .value_name = "NAME", .required = true});
  f.Add({.name = "verbose", .kind = FlagKind::kBool, .help = "more output"});
  f.Add({.name = "tag", .kind = FlagKind::kRepeated, .help = "a tag", .value_name = "TAG"});
  f.Add({.name = "param", .kind = FlagKind::kKeyValue, .help = "a parameter"});
  f.Add({.name = "size", .help = "a size", .value_name = "SIZE"});
  return f;
}

Status ParseCommand(FlagSet& f, std::vector<std::string> args) { return f.Parse(args, MapEnv({})); }

TEST(Flags, RepeatedKeepsEachValueWholeAndKeyValuesFormAMap) {
  FlagSet f = MakeCommandFlags();
  ASSERT_TRUE(ParseCommand(f, {"--name", "a", "--tag=x,y", "--tag", "z", "--param", "k=v=w",
                               "--param", "e=", "--verbose"})
                  .ok());
  EXPECT_EQ(f.GetString("name"), "a");
  EXPECT_EQ(f.GetList("tag"), (std::vector<std::string>{"x,y", "z"}));
  EXPECT_EQ(f.GetMap("param"),
            (std::map<std::string, std::string>{{"k", "v=w"}, {"e", ""}}));  // first '=' splits
  EXPECT_TRUE(f.GetBool("verbose"));
  EXPECT_FALSE(f.IsSet("size"));
  EXPECT_EQ(f.GetIfSet("size"), std::nullopt);
  EXPECT_EQ(f.GetIfSet("name"), "a");
}

TEST(Flags, LaterKeyOverridesEarlier) {
  FlagSet f = MakeCommandFlags();
  ASSERT_TRUE(ParseCommand(f, {"--name", "a", "--param", "k=1", "--param", "k=2"}).ok());
  EXPECT_EQ(f.GetMap("param"), (std::map<std::string, std::string>{{"k", "2"}}));
}

TEST(Flags, SeparateValueMayLookLikeAFlag) {
  FlagSet f = MakeCommandFlags();
  ASSERT_TRUE(ParseCommand(f, {"--name", "--verbose"}).ok());
  EXPECT_EQ(f.GetString("name"), "--verbose");
  EXPECT_FALSE(f.GetBool("verbose"));
}

TEST(Flags, KeyValuesFromEnvironmentAndDefault) {
  FlagSet f("prog", "summary");
  f.Add({.name = "label", .kind = FlagKind::kKeyValue, .env = "LABELS", .def = "a=1"});
  f.Add({.name = "extra", .kind = FlagKind::kKeyValue, .def = "x=1, y=2"});
  const char* argv[] = {"prog"};
  ASSERT_TRUE(f.Parse(1, argv, MapEnv({{"LABELS", "b=2,c=3"}})).ok());
  EXPECT_EQ(f.GetMap("label"), (std::map<std::string, std::string>{{"b", "2"}, {"c", "3"}}));
  EXPECT_EQ(f.GetMap("extra"), (std::map<std::string, std::string>{{"x", "1"}, {"y", "2"}}));
  EXPECT_TRUE(f.IsSet("label"));
  EXPECT_FALSE(f.IsSet("extra"));

  Status bad = f.Parse(1, argv, MapEnv({{"LABELS", "b=2,oops"}}));
  EXPECT_EQ(bad.code(), Code::kInvalidArgument);
  EXPECT_EQ(bad.message(), "environment LABELS: --label: expected key=value, got 'oops'");
}

TEST(Flags, RepeatedFromEnvironmentIsOneValue) {
  FlagSet f("prog", "summary");
  f.Add({.name = "topology", .kind = FlagKind::kRepeated, .env = "TOPOLOGY"});
  const char* argv[] = {"prog"};
  ASSERT_TRUE(f.Parse(1, argv, MapEnv({{"TOPOLOGY", "zone=a,rack=1"}})).ok());
  EXPECT_EQ(f.GetList("topology"), std::vector<std::string>{"zone=a,rack=1"});
  ASSERT_TRUE(f.Parse(1, argv, MapEnv({})).ok());
  EXPECT_TRUE(f.GetList("topology").empty());
}

TEST(Flags, RequiredFlagMaySetByEnvironment) {
  FlagSet f("prog", "summary");
  f.Add({.name = "node", .required = true, .env = "NODE"});
  const char* argv[] = {"prog"};
  Status missing = f.Parse(1, argv, MapEnv({}));
  EXPECT_EQ(missing.message(), "missing required flag --node (or environment NODE)");
  ASSERT_TRUE(f.Parse(1, argv, MapEnv({{"NODE", "n1"}})).ok());
  EXPECT_EQ(f.GetString("node"), "n1");
  const char* help[] = {"prog", "--help"};
  EXPECT_TRUE(f.Parse(2, help, MapEnv({})).ok()) << "--help needs no required flag";
}

TEST(Flags, ErrorMessagesNameTheFlag) {
  struct Case {
    std::vector<std::string> args;
    std::string message;
  };
  for (const Case& c : std::vector<Case>{
           {{}, "missing required flag --name"},
           {{"--name", "a", "--nope"}, "unknown flag --nope (see --help)"},
           {{"--name", "a", "--nope=1"}, "unknown flag --nope (see --help)"},
           {{"--name"}, "flag --name needs a value"},
           {{"--name", "a", "--param", "=v"}, "--param: expected key=value, got '=v'"},
           {{"--name", "a", "--param", "kv"}, "--param: expected key=value, got 'kv'"},
           {{"--name", "a", "--verbose=perhaps"},
            "--verbose: expected true or false, got 'perhaps'"},
           {{"--name", "a", "positional"},
            "unexpected argument 'positional' (flags start with --; see --help)"},
           {{"-n", "a"}, "unexpected argument '-n' (flags start with --; see --help)"},
           {{"--"}, "unexpected argument '--' (flags start with --; see --help)"},
       }) {
    FlagSet f = MakeCommandFlags();
    Status s = ParseCommand(f, c.args);
    EXPECT_EQ(s.code(), Code::kInvalidArgument) << c.message;
    EXPECT_EQ(s.message(), c.message);
  }
}

TEST(Flags, BadNumbersAndDurations) {
  FlagSet f("prog", "summary");
  f.AddString("count", "", "12", "count");
  f.AddString("wait", "", "1s", "wait");
  const std::vector<std::string> args = {"--count", "12x", "--wait", "soon"};
  ASSERT_TRUE(f.Parse(args, MapEnv({})).ok());  // kinds are checked when read
  EXPECT_EQ(f.GetInt("count").status().message(), "--count: expected an integer, got '12x'");
  EXPECT_EQ(f.GetDuration("wait").status().code(), Code::kInvalidArgument);
  EXPECT_EQ(f.GetDuration("wait").status().message().rfind("--wait: ", 0), 0u);
  FlagSet g("prog", "summary");
  g.AddString("count", "", "12", "count");
  const char* argv[] = {"prog"};
  ASSERT_TRUE(g.Parse(1, argv, MapEnv({})).ok());
  EXPECT_EQ(*g.GetInt("count"), 12);
}

TEST(Flags, DoublesAreReadLikeIntegers) {
  FlagSet f("prog", "summary");
  f.Add({.name = "rate", .def = "0.025"});
  f.Add({.name = "seconds", .def = "90"});
  const std::vector<std::string> args = {"--rate", "0.5x"};
  ASSERT_TRUE(f.Parse(args, MapEnv({})).ok());
  EXPECT_EQ(f.GetDouble("rate").status().message(), "--rate: expected a number, got '0.5x'");
  EXPECT_EQ(*f.GetDouble("seconds"), 90.0);
  const std::vector<std::string> good = {"--rate=1e-2"};
  ASSERT_TRUE(f.Parse(good, MapEnv({})).ok());
  EXPECT_EQ(*f.GetDouble("rate"), 0.01);
}

TEST(Flags, PositionalArgumentsOnlyWhenAccepted) {
  FlagSet f = MakeFlags();
  f.AcceptPositional("DIR...");
  const std::vector<std::string> args = {"a", "--verbose", "-", "--timeout", "2s", "b"};
  ASSERT_TRUE(f.Parse(args, MapEnv({})).ok());
  EXPECT_EQ(f.positional(), (std::vector<std::string>{"a", "-", "b"}));
  EXPECT_EQ(f.GetString("timeout"), "2s");
  const std::vector<std::string> unknown = {"a", "--nope"};
  EXPECT_EQ(f.Parse(unknown, MapEnv({})).message(), "unknown flag --nope (see --help)");
  const std::vector<std::string> none = {"--verbose"};
  ASSERT_TRUE(f.Parse(none, MapEnv({})).ok());
  EXPECT_TRUE(f.positional().empty()) << "a second Parse starts afresh";
  EXPECT_EQ(f.Help().rfind("Usage: prog [flags] DIR...\n", 0), 0u) << f.Help();
  EXPECT_EQ(MakeFlags().Help().rfind("Usage: prog [flags]\n", 0), 0u);
}

TEST(Flags, RegisteringANameTwiceIsAProgrammingError) {
  FlagSet f = MakeCommandFlags();
  EXPECT_THROW(f.Add({.name = "name"}), std::logic_error);
}

TEST(FlagsHelp, ShowsValueNamesAndMarks) {
  const std::string table = MakeCommandFlags().FlagTable();
  for (const char* part :
       {"--name NAME", "the name (required)", "--param KEY=VALUE", "a parameter (repeatable)",
        "--tag TAG", "a tag (repeatable)", "  --verbose  "}) {
    EXPECT_NE(table.find(part), std::string::npos) << part << "\n" << table;
  }
  EXPECT_EQ(table.find("--help"), std::string::npos) << "the table lists only the added flags";
  const std::string help = MakeFlags().Help();
  EXPECT_NE(help.find("(default: unix:///csi/csi.sock) [env CSI_ENDPOINT]"), std::string::npos)
      << help;
  EXPECT_NE(help.find("--prefix VALUE"), std::string::npos) << help;
}

TEST(FlagsHelp, WrapsBeforeDefaultAndEnvRatherThanInside) {
  FlagSet f("prog", "summary");
  f.AddString("level", "LOG_LEVEL", "info", std::string(80, 'h'));
  const std::string table = f.FlagTable();
  EXPECT_NE(table.find("(default: info) [env LOG_LEVEL]"), std::string::npos) << table;
  EXPECT_EQ(table.find('\x1f'), std::string::npos) << table;
}

TEST(FlagsHelp, AlignsAndWrapsLongHelp) {
  FlagSet f("prog", "summary");
  f.Add({.name = "x", .help = std::string(150, 'a') + " end", .value_name = "V"});
  f.Add({.name = "longer-name", .help = "short"});
  const std::string table = f.FlagTable();
  for (size_t start = 0, end; start < table.size(); start = end + 1) {
    end = table.find('\n', start);
    EXPECT_LE(end - start, 100u) << table;
  }
  // The help column starts after the longest "--longer-name VALUE" and two spaces.
  EXPECT_EQ(table.rfind("  --x V" + std::string(16, ' ') + "aaa", 0), 0u) << table;
  EXPECT_NE(table.find("\n" + std::string(23, ' ') + "aaa"), std::string::npos) << table;
  EXPECT_NE(table.find(" end\n  --longer-name VALUE  short\n"), std::string::npos) << table;
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
