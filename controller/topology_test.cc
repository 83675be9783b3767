#include "controller/topology.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace lcsi::controller {
namespace {

using ::testing::ElementsAre;

std::vector<linstor::Node> Nodes() {
  std::vector<linstor::Node> out(3);
  out[0].name = "n1";
  out[0].props = {{"Aux/topology/topology.kubernetes.io/zone", "a"}, {"Aux/topology/rack", "r1"}};
  out[1].name = "n2";
  out[1].props = {{"Aux/topology/topology.kubernetes.io/zone", "b"}, {"Aux/topology/rack", "r1"}};
  out[2].name = "n3";
  out[2].props = {{"Aux/topology/topology.kubernetes.io/zone", "a"}};
  return out;
}

// Lists Nodes() and counts the calls in `*listed`.
TopologyMapper::NodeLister CountingLister(int* listed) {
  return [listed]() -> Result<std::vector<linstor::Node>> {
    ++*listed;
    return Nodes();
  };
}

csi::v1::Topology T(std::map<std::string, std::string> segments) {
  csi::v1::Topology t;
  for (auto& [k, v] : segments) (*t.mutable_segments())[k] = v;
  return t;
}

TEST(TopologyTest, NodeKeyNeedsNoListing) {
  TopologyMapper m("drv");
  int listed = 0;
  auto lister = CountingLister(&listed);
  google::protobuf::RepeatedPtrField<csi::v1::Topology> req;
  *req.Add() = T({{"drv/node", "n2"}});
  *req.Add() = T({{"drv/node", "n1"}});
  auto nodes = m.NodesFor(req, lister);
  ASSERT_TRUE(nodes.ok());
  ASSERT_TRUE(nodes->has_value());
  EXPECT_THAT(**nodes, ElementsAre("n2", "n1")) << "order of preference kept";
  EXPECT_EQ(listed, 0);
}

TEST(TopologyTest, SegmentsMatchAuxTopologyProperties) {
  TopologyMapper m("drv");
  int listed = 0;
  auto lister = CountingLister(&listed);
  google::protobuf::RepeatedPtrField<csi::v1::Topology> req;
  *req.Add() = T({{"topology.kubernetes.io/zone", "a"}});
  *req.Add() = T({{"drv/rack", "r1"}, {"topology.kubernetes.io/zone", "b"}});
  *req.Add() = T({{"drv/node", "n3"}, {"topology.kubernetes.io/zone", "a"}});
  auto nodes = m.NodesFor(req, lister);
  ASSERT_TRUE(nodes.ok());
  EXPECT_THAT(**nodes, ElementsAre("n1", "n3", "n2"));
  EXPECT_EQ(listed, 1) << "nodes are listed once per requirement";
  google::protobuf::RepeatedPtrField<csi::v1::Topology> none;
  *none.Add() = T({{"topology.kubernetes.io/zone", "c"}});
  EXPECT_TRUE((*m.NodesFor(none, lister))->empty());
  google::protobuf::RepeatedPtrField<csi::v1::Topology> empty;
  EXPECT_FALSE(m.NodesFor(empty, lister)->has_value()) << "no requirement: no restriction";
}

TEST(TopologyTest, NodeKeyWithOtherSegmentsNamesTheNode) {
  // What Kubernetes sends for a node that reports zone segments too: no listing needed.
  TopologyMapper m("drv");
  int listed = 0;
  auto lister = CountingLister(&listed);
  auto nodes = m.NodesFor(T({{"drv/node", "n3"}, {"topology.kubernetes.io/zone", "a"}}), lister);
  ASSERT_TRUE(nodes.ok());
  EXPECT_THAT(*nodes, ElementsAre("n3"));
  EXPECT_EQ(listed, 0);
}

TEST(TopologyTest, AnyNodeMatchesChecksEverySegment) {
  TopologyMapper m("drv");
  auto lister = []() -> Result<std::vector<linstor::Node>> { return Nodes(); };
  google::protobuf::RepeatedPtrField<csi::v1::Topology> req;
  *req.Add() = T({{"drv/node", "n3"}, {"topology.kubernetes.io/zone", "b"}});
  *req.Add() = T({{"drv/node", "n9"}});
  EXPECT_FALSE(*m.AnyNodeMatches(req, lister)) << "n3 is in zone a; n9 does not exist";
  *req.Add() = T({{"drv/rack", "r1"}, {"topology.kubernetes.io/zone", "b"}});
  EXPECT_TRUE(*m.AnyNodeMatches(req, lister));
  google::protobuf::RepeatedPtrField<csi::v1::Topology> empty;
  EXPECT_TRUE(*m.AnyNodeMatches(empty, lister));
}

TEST(TopologyTest, ListingErrorsPropagate) {
  TopologyMapper m("drv");
  google::protobuf::RepeatedPtrField<csi::v1::Topology> req;
  *req.Add() = T({{"zone", "a"}});
  auto r =
      m.NodesFor(req, []() -> Result<std::vector<linstor::Node>> { return Unavailable("down"); });
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), Code::kUnavailable);
  EXPECT_EQ(m.ForNode("n1").segments().at("drv/node"), "n1");
}

}  // namespace
}  // namespace lcsi::controller
