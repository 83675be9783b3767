// Placement against the CO's topology on a cluster whose only CSI node is the node plugin's
// (the stack: three satellites, one node plugin on sat-alpha): what Kubernetes sends there for a
// class with two replicas, Immediate or WaitForFirstConsumer alike, is requisite = preferred =
// that node's topology (issue 15 part 1).
#include "test/conformance/conformance.h"

namespace lcsi::conformance {
namespace {

using StatusCode = grpc::StatusCode;

class Topology : public ConformanceTest {
 protected:
  void SetUp() override {
    ConformanceTest::SetUp();
    if (!caps().Plugin(v1::PluginCapability::Service::VOLUME_ACCESSIBILITY_CONSTRAINTS)) {
      GTEST_SKIP() << "VOLUME_ACCESSIBILITY_CONSTRAINTS";
    }
    ASSERT_RPC_OK(RPC(node(), NodeGetInfo, v1::NodeGetInfoRequest(), &info_));
  }

  // The shipped example class's shape (manifests/examples/storageclass.yaml): two replicas from
  // pool1, remote access as given.
  v1::CreateVolumeRequest OnlyThisNode(const std::string& name, bool remote) {
    auto req = CreateRequest(name, kVolumeBytes, MountCap());
    auto& p = *req.mutable_parameters();
    const std::string prefix = stack().options().driver_name + "/";
    p[prefix + "placementCount"] = "2";
    p[prefix + "storagePool"] = "pool1";
    p[prefix + "layerList"] = "drbd storage";
    p[prefix + "allowRemoteVolumeAccess"] = remote ? "true" : "false";
    *req.mutable_accessibility_requirements()->add_requisite() = info_.accessible_topology();
    *req.mutable_accessibility_requirements()->add_preferred() = info_.accessible_topology();
    return req;
  }

  v1::NodeGetInfoResponse info_;
};

TEST_F(Topology, OneCsiNodeTwoReplicasWithRemoteAccess) {
  Spec(
      "one CSI node, placementCount 2, remote access allowed: CreateVolume with requisite = "
      "preferred = that node succeeds (the other replica goes to another storage node), the "
      "volume is accessible from everywhere, and stages and mounts on that node",
      "§TopologyRequirement (requisite: accessible from at least one; preferred: SHOULD), "
      "§Volume.accessible_topology (empty = all nodes)");
  v1::CreateVolumeResponse r;
  ASSERT_RPC_OK(RPC(controller(), CreateVolume, OnlyThisNode(Unique("one-node"), true), &r));
  TrackVolume(r.volume().volume_id());
  EXPECT_TRUE(r.volume().accessible_topology().empty()) << r.volume().ShortDebugString();
  MustPublishToNode(r.volume().volume_id(), MountCap(), StagingDir("one-node"),
                    TargetPath("one-node"));
}

TEST_F(Topology, OneCsiNodeTwoReplicasLocalOnly) {
  Spec(
      "one CSI node, placementCount 2, allowRemoteVolumeAccess=false: every replica must be on a "
      "requisite node, one node cannot hold two -> RESOURCE_EXHAUSTED; one replica -> OK and "
      "accessible_topology is that node",
      "§TopologyRequirement (requisite), §CreateVolume Errors (Unable to provision in "
      "accessible_topology: RESOURCE_EXHAUSTED)");
  auto req = OnlyThisNode(Unique("local2"), false);
  v1::CreateVolumeResponse r;
  grpc::Status s = RPC(controller(), CreateVolume, req, &r);
  if (s.ok()) TrackVolume(r.volume().volume_id());
  EXPECT_CODE(s, StatusCode::RESOURCE_EXHAUSTED);

  req = OnlyThisNode(Unique("local1"), false);
  (*req.mutable_parameters())[stack().options().driver_name + "/placementCount"] = "1";
  ASSERT_RPC_OK(RPC(controller(), CreateVolume, req, &r));
  TrackVolume(r.volume().volume_id());
  ASSERT_EQ(r.volume().accessible_topology_size(), 1);
  const auto& segments = r.volume().accessible_topology(0).segments();
  const std::string node_key = stack().options().driver_name + "/node";
  ASSERT_TRUE(segments.count(node_key));
  EXPECT_EQ(segments.at(node_key), info_.accessible_topology().segments().at(node_key));
}

}  // namespace
}  // namespace lcsi::conformance
