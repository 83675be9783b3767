// CreateVolume's placement against the CO's accessibility requirements, through the real gRPC
// server, the HTTP client and linstor-sim (issue 15 part 1): with remote access the requisite
// topology does not restrict placement and the first replica goes near the consumer; without
// it every replica stays within the requisite topology.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>

#include "controller/controller_integration_fixture.h"

namespace lcsi::controller::testing {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::SizeIs;

using Params = std::map<std::string, std::string>;
using Segments = std::map<std::string, std::string>;

// What Kubernetes' external-provisioner sends for a cluster whose only CSI node is `node`
// (Immediate binding, or WaitForFirstConsumer with that node selected): the node's segments as
// both the requisite and the preferred topology.
csi::v1::CreateVolumeRequest ForOneNode(const std::string& name, const Params& params,
                                        const Segments& node_segments, int64_t bytes = kMiB) {
  auto req = CreateReq(name, bytes, params);
  auto* reqs = req.mutable_accessibility_requirements();
  for (auto* t : {reqs->add_requisite(), reqs->add_preferred()}) {
    for (const auto& [k, v] : node_segments) (*t->mutable_segments())[k] = v;
  }
  return req;
}

Segments NodeSegments(const std::string& node, const std::string& zone) {
  return {{kNodeKey, node}, {"zone", zone}};
}

class ControllerTopologyTest : public ControllerIntegrationTest {
 protected:
  // LINSTOR places on the nodes with the most free space: take space from sat-alpha so that it
  // is LINSTOR's last choice, and a replica there shows the preference at work.
  void FillAlpha() {
    auto filler = ForOneNode("filler", {{"allowRemoteVolumeAccess", "false"}},
                             {{kNodeKey, "sat-alpha"}}, 4096 * kMiB);
    MustCreate(filler);
    ASSERT_THAT(DiskfulNodes("filler"), ElementsAre("sat-alpha"));
    // Without a preference, a two-replica volume avoids sat-alpha.
    MustCreate(CreateReq("probe", kMiB, {{"placementCount", "2"}}));
    ASSERT_THAT(DiskfulNodes("probe"), ElementsAre("sat-bravo", "sat-charlie"));
  }
};

TEST_F(ControllerTopologyTest, RemoteAccessOneCsiNodeTwoReplicas) {
  FillAlpha();
  ASSERT_TRUE(admin_->ResetCounters().ok());
  auto v = MustCreate(
      ForOneNode("pvc-one", {{"placementCount", "2"}}, NodeSegments("sat-alpha", "zone-a")));
  auto c = Counters();  // before this test's own reads
  auto nodes = DiskfulNodes("pvc-one");
  EXPECT_THAT(nodes, SizeIs(2));
  EXPECT_THAT(nodes, Contains("sat-alpha")) << "the first replica goes near the consumer";
  EXPECT_EQ(v.accessible_topology_size(), 0) << "reachable from every node";
  std::printf(
      "[ MEASURED ] LINSTOR requests, CreateVolume with a preferred node, 2 replicas: %lld\n",
      static_cast<long long>(Total(c)));
  EXPECT_EQ(c["POST /v1/resource-groups/{resource_group}/spawn"], 1);
  EXPECT_EQ(c["POST /v1/resource-definitions/{resource}/autoplace"], 1);
  EXPECT_EQ(Total(c), 2) << "no node listing for a topology that names its node";

  MustCreate(CreateReq("warm-1", kMiB));  // the one-replica class's group exists now
  ASSERT_TRUE(admin_->ResetCounters().ok());
  MustCreate(ForOneNode("pvc-one-1", {}, NodeSegments("sat-alpha", "zone-a")));
  EXPECT_EQ(Total(Counters()), 1) << "one replica near the consumer: the spawn alone";
  EXPECT_THAT(DiskfulNodes("pvc-one-1"), ElementsAre("sat-alpha"));
}

TEST_F(ControllerTopologyTest, RemoteAccessDisklessCsiNode) {
  // The only CSI node has no storage: the replicas go elsewhere and it attaches disklessly.
  auto v =
      MustCreate(ForOneNode("pvc-client", {{"placementCount", "2"}}, {{kNodeKey, "sat-delta"}}));
  EXPECT_THAT(DiskfulNodes("pvc-client"), SizeIs(2));
  EXPECT_EQ(v.accessible_topology_size(), 0);
  csi::v1::ControllerPublishVolumeResponse pub;
  grpc::Status s = Publish(PublishReq("pvc-client", "sat-delta"), &pub);
  ASSERT_TRUE(s.ok()) << s.error_message();
  auto here = client_->GetResource("pvc-client", "sat-delta");
  ASSERT_TRUE(here.ok());
  EXPECT_FALSE(here->IsDiskful());
}

TEST_F(ControllerTopologyTest, RemoteAccessPreferredZone) {
  auto req = CreateReq("pvc-zone", kMiB, {{"placementCount", "2"}});
  auto* reqs = req.mutable_accessibility_requirements();
  (*reqs->add_requisite()->mutable_segments())["zone"] = "zone-a";
  (*reqs->add_requisite()->mutable_segments())["zone"] = "zone-c";
  (*reqs->add_preferred()->mutable_segments())["zone"] = "zone-a";
  (*reqs->add_preferred()->mutable_segments())["zone"] = "zone-c";
  FillAlpha();
  MustCreate(req);
  EXPECT_THAT(DiskfulNodes("pvc-zone"), Contains("sat-alpha"));
}

TEST_F(ControllerTopologyTest, RemoteAccessRequisiteMustNameALinstorNode) {
  auto req = CreateReq("pvc-nowhere", kMiB, {{"placementCount", "2"}});
  (*req.mutable_accessibility_requirements()->add_requisite()->mutable_segments())[kNodeKey] =
      "no-such-satellite";
  csi::v1::CreateVolumeResponse resp;
  grpc::Status s = CreateVolume(req, &resp);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED) << s.error_message();
  EXPECT_THAT(s.error_message(), HasSubstr("requisite"));
  // Also when the CO prefers that node: no replica fits there, and no node could use the volume.
  *req.mutable_accessibility_requirements()->add_preferred() =
      req.accessibility_requirements().requisite(0);
  s = CreateVolume(req, &resp);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED) << s.error_message();
  EXPECT_TRUE(client_->GetResourceDefinition("pvc-nowhere").IsNotFound());
}

TEST_F(ControllerTopologyTest, LocalAccessRequisiteRestrictsPlacement) {
  const Params local2 = {{"placementCount", "2"}, {"allowRemoteVolumeAccess", "false"}};
  csi::v1::CreateVolumeResponse resp;
  grpc::Status s =
      CreateVolume(ForOneNode("pvc-local2", local2, NodeSegments("sat-alpha", "zone-a")), &resp);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED) << s.error_message();
  EXPECT_TRUE(client_->GetResourceDefinition("pvc-local2").IsNotFound()) << "nothing left behind";

  FillAlpha();
  auto v = MustCreate(ForOneNode("pvc-local1", {{"allowRemoteVolumeAccess", "false"}},
                                 NodeSegments("sat-alpha", "zone-a")));
  EXPECT_THAT(DiskfulNodes("pvc-local1"), ElementsAre("sat-alpha"));
  ASSERT_EQ(v.accessible_topology_size(), 1);
  EXPECT_EQ(v.accessible_topology(0).segments().at(kNodeKey), "sat-alpha");

  // Two requisite nodes, the less free one preferred: one replica on each.
  auto two = CreateReq("pvc-local-two", kMiB, local2);
  auto* reqs = two.mutable_accessibility_requirements();
  for (const char* n : {"sat-alpha", "sat-charlie"}) {
    (*reqs->add_requisite()->mutable_segments())[kNodeKey] = n;
  }
  (*reqs->add_preferred()->mutable_segments())[kNodeKey] = "sat-alpha";
  ASSERT_TRUE(admin_->ResetCounters().ok());
  v = MustCreate(two);
  const int64_t requests = Total(Counters());
  std::printf(
      "[ MEASURED ] LINSTOR requests, CreateVolume local access, preferred node, 2 "
      "replicas: %lld\n",
      static_cast<long long>(requests));
  EXPECT_EQ(requests, 3) << "spawn on the preferred node, autoplace, read of the replicas";
  EXPECT_THAT(DiskfulNodes("pvc-local-two"), ElementsAre("sat-alpha", "sat-charlie"));
  EXPECT_EQ(v.accessible_topology_size(), 2);
}

// manifests/examples/storageclass.yaml's parameters, read from the shipped file.
Params ShippedExampleParameters() {
  std::ifstream in(std::string(LCSI_SOURCE_DIR) + "/manifests/examples/storageclass.yaml");
  Params out;
  bool in_params = false;
  for (std::string line; std::getline(in, line);) {
    if (line.rfind("parameters:", 0) == 0) {
      in_params = true;
      continue;
    }
    if (!in_params) continue;
    if (line.rfind("  ", 0) != 0) break;
    const size_t colon = line.find(": ");
    if (colon == std::string::npos) continue;
    std::string key = line.substr(2, colon - 2), value = line.substr(colon + 2);
    if (value.size() >= 2 && value.front() == '"') value = value.substr(1, value.size() - 2);
    out[key] = value;
  }
  return out;
}

TEST_F(ControllerTopologyTest, ShippedExampleClassOnOneCsiNode) {
  const Params params = ShippedExampleParameters();
  ASSERT_EQ(params.at("linstor-cpp.csi.io/placementCount"), "2");
  for (const char* node : {"sat-bravo", "sat-delta"}) {
    const std::string name = std::string("pvc-example-") + node;
    auto v = MustCreate(ForOneNode(name, params, {{kNodeKey, node}}));
    EXPECT_THAT(DiskfulNodes(name), SizeIs(2)) << node;
    if (std::string(node) == "sat-bravo") {
      EXPECT_THAT(DiskfulNodes(name), Contains("sat-bravo"));
    }
    csi::v1::ControllerPublishVolumeResponse pub;
    grpc::Status s = Publish(PublishReq(name, node), &pub);
    EXPECT_TRUE(s.ok()) << node << ": " << s.error_message();
  }
}

}  // namespace
}  // namespace lcsi::controller::testing
