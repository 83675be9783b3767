#include "nodeplugin/closest_names.h"

#include <gtest/gtest.h>

namespace lcsi::node {
namespace {

TEST(ClosestNamesTest, EditDistance) {
  EXPECT_EQ(EditDistance("", ""), 0u);
  EXPECT_EQ(EditDistance("abc", ""), 3u);
  EXPECT_EQ(EditDistance("kitten", "sitting"), 3u);
  EXPECT_EQ(EditDistance("Node-A", "node-a"), 0u);
  EXPECT_EQ(EditDistance("node-a", "node-b"), 1u);
}

TEST(ClosestNamesTest, RanksCaseThenShortNameThenDistance) {
  std::vector<std::string> known = {"worker-17", "node1",  "NODE1.example.com",
                                    "node2",     "node12", "storage-a"};
  EXPECT_EQ(ClosestNames("node1.example.com", known),
            (std::vector<std::string>{"NODE1.example.com", "node1", "node12"}));
  EXPECT_EQ(ClosestNames("node3", known, 2), (std::vector<std::string>{"node1", "node2"}));
}

TEST(ClosestNamesTest, FqdnFindsShortName) {
  EXPECT_EQ(ClosestNames("alpha.cluster.local", {"beta", "alpha", "gamma"}),
            (std::vector<std::string>{"alpha"}));
  EXPECT_EQ(ClosestNames("alpha", {"alpha.cluster.local", "zzz"}),
            (std::vector<std::string>{"alpha.cluster.local"}));
}

TEST(ClosestNamesTest, ComparesHostPartsOnTheirOwn) {
  EXPECT_EQ(ClosestNames("k8s-bravo.example.com", {"sat-alpha", "sat-bravo", "sat-charlie"}),
            (std::vector<std::string>{"sat-bravo"}));
}

TEST(ClosestNamesTest, UnrelatedNamesAreNotSuggested) {
  EXPECT_TRUE(ClosestNames("k8s-worker-1", {"storage-a", "storage-b"}).empty());
  EXPECT_TRUE(ClosestNames("x", {}).empty());
  // IP addresses do not match by their first octet.
  EXPECT_EQ(ClosestNames("10.0.0.1", {"10.9.9.9", "10.0.0.2", "192.168.7.7"}),
            (std::vector<std::string>{"10.0.0.2", "10.9.9.9"}));
}

}  // namespace
}  // namespace lcsi::node
