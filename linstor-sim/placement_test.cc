// Unit tests of the autoplacer (placement.h) on hand-made clusters.
#include "linstor-sim/placement.h"

#include <gtest/gtest.h>

#include <set>

#include "linstor-sim/names.h"

namespace lcsi::sim {
namespace {

struct NodeSpec {
  std::string name;
  std::string zone;
  int64_t pool1_free;  // KiB; <0: no pool1
  int64_t fast_free = -1;
  bool online = true;
  std::string rack = "";
};

std::map<std::string, Node> MakeCluster(const std::vector<NodeSpec>& specs) {
  std::map<std::string, Node> nodes;
  for (const auto& s : specs) {
    Node n;
    n.name = s.name;
    n.online = s.online;
    if (!s.zone.empty()) n.props["Aux/topology/zone"] = s.zone;
    if (!s.rack.empty()) n.props["Aux/rack"] = s.rack;
    auto add_pool = [&](const std::string& name, int64_t free, const std::string& kind) {
      StoragePool p;
      p.name = name;
      p.provider_kind = kind;
      p.total_kib = 1 << 30;
      p.used_kib = p.total_kib - free;
      n.pools[NameKey(name)] = p;
    };
    if (s.pool1_free >= 0) add_pool("pool1", s.pool1_free, "LVM_THIN");
    if (s.fast_free >= 0) add_pool("fast", s.fast_free, "ZFS_THIN");
    add_pool(kDisklessPoolName, 0, "DISKLESS");
    nodes[NameKey(n.name)] = n;
  }
  return nodes;
}

std::set<std::string> Chosen(const PlacementResult& r) {
  std::set<std::string> out;
  for (const auto& c : r.chosen) out.insert(c.node_key);
  return out;
}

PlacementRequest Request(const std::map<std::string, Node>& nodes, int32_t count,
                         int64_t size = 100) {
  PlacementRequest r;
  r.nodes = &nodes;
  r.count = count;
  r.size_kib = size;
  r.seed = 1;
  return r;
}

TEST(PlacementTest, PrefersMostFreeSpace) {
  auto nodes = MakeCluster({{"a", "z1", 1000000}, {"b", "z2", 3000000}, {"c", "z3", 2000000}});
  auto r = Place(Request(nodes, 2));
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(Chosen(r), (std::set<std::string>{"B", "C"}));
  EXPECT_EQ(r.chosen[0].node_key, "B");
}

TEST(PlacementTest, NotEnoughNodes) {
  auto nodes = MakeCluster({{"a", "z1", 10000}, {"b", "z2", 10000}});
  auto r = Place(Request(nodes, 3));
  EXPECT_FALSE(r.ok);
  EXPECT_EQ(r.chosen.size(), 2u);
}

TEST(PlacementTest, FreeCapacityIsRequired) {
  auto nodes = MakeCluster({{"a", "z1", 500}, {"b", "z2", 5000}, {"c", "z3", 5000}});
  auto r = Place(Request(nodes, 2, 1000));
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(Chosen(r), (std::set<std::string>{"B", "C"}));
  EXPECT_FALSE(Place(Request(nodes, 3, 1000)).ok);
}

TEST(PlacementTest, OfflineNodesAreSkipped) {
  auto nodes = MakeCluster({{"a", "z1", 9000, -1, false}, {"b", "z2", 5000}, {"c", "z3", 4000}});
  auto r = Place(Request(nodes, 2));
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(Chosen(r), (std::set<std::string>{"B", "C"}));
}

TEST(PlacementTest, StoragePoolListAndProvider) {
  auto nodes = MakeCluster({{"a", "z1", 9000, 100}, {"b", "z2", 9000}, {"c", "z3", 9000, 200}});
  auto req = Request(nodes, 2, 50);
  req.filter.storage_pool_list = std::vector<std::string>{"fast"};
  auto r = Place(req);
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(Chosen(r), (std::set<std::string>{"A", "C"}));
  for (const auto& c : r.chosen) EXPECT_EQ(c.pool, "fast");

  req.filter.storage_pool_list.reset();
  req.filter.storage_pool = "FAST";  // names are case-insensitive
  EXPECT_TRUE(Place(req).ok);

  req.filter.storage_pool.reset();
  req.filter.provider_list = std::vector<std::string>{"ZFS_THIN"};
  r = Place(req);
  ASSERT_TRUE(r.ok);
  for (const auto& c : r.chosen) EXPECT_EQ(c.pool, "fast");
  req.count = 3;
  EXPECT_FALSE(Place(req).ok);
}

TEST(PlacementTest, NodeNameList) {
  auto nodes = MakeCluster({{"a", "z1", 1000}, {"b", "z2", 9000}, {"c", "z3", 8000}});
  auto req = Request(nodes, 1);
  req.filter.node_name_list = std::vector<std::string>{"a"};
  auto r = Place(req);
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(Chosen(r), (std::set<std::string>{"A"}));
  req.count = 2;
  EXPECT_FALSE(Place(req).ok);
}

TEST(PlacementTest, ReplicasOnSameGroupsByPropertyValue) {
  auto nodes = MakeCluster({{"a", "z1", 1000},
                            {"b", "z1", 1000},
                            {"c", "z2", 9000},
                            {"d", "z2", 8000},
                            {"e", "z3", 99999}});
  auto req = Request(nodes, 2);
  req.filter.replicas_on_same = std::vector<std::string>{"Aux/topology/zone"};
  auto r = Place(req);
  ASSERT_TRUE(r.ok);
  // z2 has the most free space among zones that can hold two replicas.
  EXPECT_EQ(Chosen(r), (std::set<std::string>{"C", "D"}));

  req.filter.replicas_on_same = std::vector<std::string>{"Aux/topology/zone=z1"};
  r = Place(req);
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(Chosen(r), (std::set<std::string>{"A", "B"}));

  req.count = 3;
  EXPECT_FALSE(Place(req).ok);
}

TEST(PlacementTest, ReplicasOnSameFollowsExistingReplicas) {
  auto nodes = MakeCluster({{"a", "z1", 1000}, {"b", "z1", 500}, {"c", "z2", 9000}});
  ResourceDefinition rd;
  rd.name = "r1";
  Resource existing;
  existing.node = "a";
  rd.resources["A"] = existing;
  auto req = Request(nodes, 1, 100);
  req.rd = &rd;
  req.filter.replicas_on_same = std::vector<std::string>{"Aux/topology/zone"};
  auto r = Place(req);
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(Chosen(r), (std::set<std::string>{"B"}));
}

TEST(PlacementTest, ReplicasOnDifferent) {
  auto nodes =
      MakeCluster({{"a", "z1", 9000}, {"b", "z1", 8000}, {"c", "z2", 1000}, {"d", "", 99999}});
  auto req = Request(nodes, 2);
  req.filter.replicas_on_different = std::vector<std::string>{"Aux/topology/zone"};
  auto r = Place(req);
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(Chosen(r), (std::set<std::string>{"A", "C"}));  // d lacks the key
  req.count = 3;
  EXPECT_FALSE(Place(req).ok);
}

TEST(PlacementTest, XReplicasOnDifferentMap) {
  auto nodes =
      MakeCluster({{"a", "z1", 9000}, {"b", "z1", 8000}, {"c", "z1", 7000}, {"d", "z2", 100}});
  auto req = Request(nodes, 3, 10);
  req.filter.x_replicas_on_different_map = std::map<std::string, int64_t>{{"Aux/topology/zone", 2}};
  auto r = Place(req);
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(Chosen(r), (std::set<std::string>{"A", "B", "D"}));
}

TEST(PlacementTest, ExcludedByResource) {
  auto nodes = MakeCluster({{"a", "z1", 9000}, {"b", "z2", 8000}, {"c", "z3", 7000}});
  auto req = Request(nodes, 2);
  req.excluded_by_rsc = [](const std::string& key) { return key == "A"; };
  auto r = Place(req);
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(Chosen(r), (std::set<std::string>{"B", "C"}));
}

TEST(PlacementTest, SkipsNodesWithTheResourceButMayTakeOverTieBreaker) {
  auto nodes = MakeCluster({{"a", "z1", 9000}, {"b", "z2", 8000}, {"c", "z3", 7000}});
  ResourceDefinition rd;
  Resource diskful;
  diskful.node = "a";
  Resource tb;
  tb.node = "c";
  tb.diskless = true;
  tb.tie_breaker = true;
  rd.resources["A"] = diskful;
  rd.resources["C"] = tb;
  auto req = Request(nodes, 2);
  req.rd = &rd;
  auto r = Place(req);
  ASSERT_TRUE(r.ok);
  EXPECT_EQ(Chosen(r), (std::set<std::string>{"B", "C"}));
}

TEST(PlacementTest, DeterministicTieBreakDependsOnSeed) {
  std::vector<NodeSpec> specs;
  for (int i = 0; i < 8; ++i) specs.push_back({"n" + std::to_string(i), "z", 5000});
  auto nodes = MakeCluster(specs);
  std::set<std::set<std::string>> outcomes;
  for (uint64_t seed = 1; seed <= 8; ++seed) {
    auto req = Request(nodes, 2);
    req.seed = seed;
    auto first = Chosen(Place(req));
    EXPECT_EQ(first, Chosen(Place(req))) << "same seed, same answer";
    outcomes.insert(first);
  }
  EXPECT_GT(outcomes.size(), 1u) << "equal nodes should be spread by the seed";
}

}  // namespace
}  // namespace lcsi::sim
