#include "nodeplugin/satellite_name.h"

#include <gtest/gtest.h>

#include "nodeplugin/test_support.h"

namespace lcsi::node {
namespace {

TEST(SatelliteMapTest, WhitespaceAndYamlFormsWithComments) {
  auto map = ParseSatelliteMap(
      "# node-name satellite-name\n"
      "k8s-a.example.com   sat-a\n"
      "\tk8s-b\tsat-b   # trailing comment\n"
      "---\n"
      "k8s-c: sat-c\n"
      "\"k8s-d\": 'sat-d'\n"
      "10.0.0.5 sat-e\n"
      "k8s-f#1 sat-f\n"
      "\n");
  ASSERT_TRUE(map.ok()) << map.status().ToString();
  EXPECT_EQ(*map, (SatelliteMap{{"k8s-a.example.com", "sat-a"},
                                {"k8s-b", "sat-b"},
                                {"k8s-c", "sat-c"},
                                {"k8s-d", "sat-d"},
                                {"10.0.0.5", "sat-e"},
                                {"k8s-f#1", "sat-f"}}));
}

TEST(SatelliteMapTest, ErrorsNameTheLine) {
  struct Case {
    const char* text;
    const char* expected;
  };
  for (const Case& c : std::initializer_list<Case>{
           {"a b\nlonely\n", "line 2: expected 'node-name satellite-name', got 'lonely' (a single"},
           {"a b c\n", "line 1: expected exactly two names"},
           {"a:b\n", "YAML needs a space after ':'"},
           {"data:\n", "line 1: expected 'node-name: satellite-name'"},
           {"x: \"unterminated\n", "line 1: unterminated quote"},
           {"n1 s1\n# c\nn1 s2\n",
            "line 3: node 'n1' is mapped to 's2' but line 1 maps it to 's1'"},
       }) {
    auto map = ParseSatelliteMap(c.text);
    ASSERT_FALSE(map.ok()) << c.text;
    EXPECT_EQ(map.status().code(), Code::kInvalidArgument);
    EXPECT_NE(map.status().message().find(c.expected), std::string::npos)
        << "got: " << map.status().message();
  }
}

TEST(SatelliteMapTest, SameMappingTwiceIsFine) {
  auto map = ParseSatelliteMap("n1 s1\nn1: s1\n");
  ASSERT_TRUE(map.ok());
  EXPECT_EQ(map->size(), 1u);
}

TEST(ResolveSatelliteNameTest, ResolutionOrder) {
  SatelliteNameSources all;
  all.explicit_name = "explicit";
  all.map_file = "/etc/map";
  all.map_file_text = "node-1 mapped\nhost-1 mapped-host\n";
  all.node_name = "node-1";
  all.host_name = "host-1";

  auto r = ResolveSatelliteName(all);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->name, "explicit");
  EXPECT_EQ(r->source, "--satellite-name");

  all.explicit_name.clear();
  r = ResolveSatelliteName(all);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->name, "mapped");
  EXPECT_EQ(r->source, "satellite map /etc/map (entry for node node-1)");

  all.map_file_text = "other x\n";
  r = ResolveSatelliteName(all);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->name, "node-1");
  EXPECT_EQ(r->source, "node name");

  all.node_name.clear();
  all.map_file_text = "host-1 mapped-host\n";
  r = ResolveSatelliteName(all);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->name, "mapped-host") << "without a node name the host name is the map key";

  all.map_file.clear();
  r = ResolveSatelliteName(all);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r->name, "host-1");
  EXPECT_EQ(r->source, "host name");

  all.host_name.clear();
  r = ResolveSatelliteName(all);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kInvalidArgument);
}

TEST(ResolveSatelliteNameTest, BadMapFileIsAnErrorEvenIfTheNodeIsNotInIt) {
  SatelliteNameSources s;
  s.map_file = "/etc/map";
  s.map_file_text = "ok ok\nbroken\n";
  s.node_name = "n";
  auto r = ResolveSatelliteName(s);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.status().message().find("satellite map /etc/map: line 2"), std::string::npos)
      << r.status().message();
}

TEST(ResolveSatelliteNameTest, FromFlagsReadsTheFile) {
  testing::TempDir dir;
  std::string file = dir.Sub("map");
  ASSERT_TRUE(testing::WriteFile(file, "k8s-node-7: linstor-sat-7\n"));
  auto r = ResolveSatelliteNameFromFlags("", file, "k8s-node-7");
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_EQ(r->name, "linstor-sat-7");

  auto missing = ResolveSatelliteNameFromFlags("", dir.Sub("nope"), "k8s-node-7");
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("cannot read satellite map"), std::string::npos);

  auto explicit_wins = ResolveSatelliteNameFromFlags("sat", dir.Sub("nope"), "n");
  ASSERT_TRUE(explicit_wins.ok()) << "the map file is not read when a name is explicit";
  EXPECT_EQ(explicit_wins->name, "sat");

  auto host = ResolveSatelliteNameFromFlags("", "", "");
  ASSERT_TRUE(host.ok());
  EXPECT_EQ(host->name, HostName());
}

}  // namespace
}  // namespace lcsi::node
