// StorageClasses written for linstor-csi (v1.12) provision the same placement here (issue 12
// part 3): the classes of linstor-csi's examples/k8s/class.yaml, copied verbatim, and its other
// keys (nodeList/clientList, usePvcName, placementPolicy, xReplicasOnDifferent, sizeKiB, the
// rule form of allowRemoteVolumeAccess), each through the real gRPC server, the HTTP client
// and linstor-sim, checked by reading the LINSTOR objects the simulator holds.
//
// The cluster is labelled as piraeus-operator labels satellites: Aux/topology/<Kubernetes
// label> properties (piraeus' --property-namespace=Aux/topology).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <set>

#include "controller/controller_integration_fixture.h"

namespace lcsi::controller::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::SizeIs;

using Params = std::map<std::string, std::string>;

constexpr char kZone[] = "topology.kubernetes.io/zone";
constexpr char kRegion[] = "topology.kubernetes.io/region";

// Two nodes per zone; zones z1, z2 in region r1, z3 in region r2; n7 has no storage.
std::string PiraeusCluster() {
  std::string nodes;
  const std::vector<std::pair<std::string, std::string>> zones = {
      {"z1", "r1"}, {"z1", "r1"}, {"z2", "r1"}, {"z2", "r1"}, {"z3", "r2"}, {"z3", "r2"}};
  for (size_t i = 0; i < zones.size(); ++i) {
    const std::string n = "n" + std::to_string(i + 1);
    nodes += R"({"name": ")" + n + R"(", "props": {"Aux/topology/linbit.com/hostname": ")" + n +
             R"(", "Aux/topology/topology.kubernetes.io/zone": ")" + zones[i].first +
             R"(", "Aux/topology/topology.kubernetes.io/region": ")" + zones[i].second +
             R"("}, "pools": [{"name": "my-storage-pool", "provider_kind": "LVM_THIN",)" +
             R"( "capacity_kib": 10485760}]},)";
  }
  nodes += R"({"name": "n7", "diskless_only": true, "props": {)"
           R"("Aux/topology/topology.kubernetes.io/zone": "z9"}})";
  return R"({"nodes": [)" + nodes + "]}";
}

class LinstorCsiClassesTest : public ControllerIntegrationTest {
 protected:
  // The fixture's Start with this file's cluster.
  void SetUp() override {
    dir_ = std::make_unique<TempDir>();
    const std::string cluster = dir_->path() + "/cluster.json";
    std::ofstream(cluster) << PiraeusCluster();
    sim::ScopedSimOptions so;
    so.cluster_file = cluster;
    sim_ = std::make_unique<sim::ScopedSimServer>(so);
    ASSERT_TRUE(sim_->status().ok()) << sim_->status().ToString();
    admin_ = std::make_unique<sim::SimAdminClient>(sim_->url());
    linstor::ClientConfig config;
    config.controllers = {sim_->url()};
    config.max_retries = 1;
    auto client = linstor::HttpLinstorClient::Create(config, nullptr, clock_);
    ASSERT_TRUE(client.ok()) << client.status().ToString();
    client_ = std::move(*client);
    ControllerOptions co;
    co.driver_name = kDriver;
    co.owner_id = "it-owner";
    co.poll_interval = std::chrono::milliseconds(5);
    co.clock = &clock_;
    controller_ = std::make_unique<Controller>(co, client_.get());
    service_ = std::make_unique<ControllerService>(controller_.get());
    auto ep = ParseEndpoint("unix://" + dir_->path() + "/csi.sock");
    ASSERT_TRUE(ep.ok());
    server_ = std::make_unique<CsiServer>();
    ASSERT_TRUE(server_->Start(*ep, {service_.get()}).ok());
    ctl_ = csi::v1::Controller::NewStub(
        grpc::CreateChannel(ep->GrpcUri(), grpc::InsecureChannelCredentials()));
  }

  std::map<std::string, std::string> NodeProp(const std::string& key) {
    std::map<std::string, std::string> out;
    auto nodes = client_->ListNodes({});
    EXPECT_TRUE(nodes.ok());
    if (!nodes.ok()) return out;
    for (const auto& n : *nodes) {
      auto it = n.props.find("Aux/topology/" + std::string(key));
      if (it != n.props.end()) out[n.name] = it->second;
    }
    return out;
  }
  std::set<std::string> ValuesOf(const std::string& key, const std::vector<std::string>& nodes) {
    auto values = NodeProp(key);
    std::set<std::string> out;
    for (const auto& n : nodes) out.insert(values[n]);
    return out;
  }
  std::vector<std::string> DisklessNodes(const std::string& rd) {
    std::vector<std::string> out;
    auto rs = client_->ListResources(rd);
    if (!rs.ok()) return out;
    for (const auto& r : *rs)
      if (!r.IsDiskful()) out.push_back(r.node_name);
    std::sort(out.begin(), out.end());
    return out;
  }
};

// examples/k8s/class.yaml: linstor-basic-storage.
TEST_F(LinstorCsiClassesTest, BasicStorage) {
  const Params params = {{"linstor.csi.linbit.com/placementCount", "2"},
                         {"linstor.csi.linbit.com/storagePool", "my-storage-pool"},
                         {"linstor.csi.linbit.com/resourceGroup", "linstor-basic-storage"}};
  auto v = MustCreate(CreateReq("pvc-basic", kMiB, params));
  EXPECT_THAT(DiskfulNodes(v.volume_id()), SizeIs(2));
  auto rg = client_->GetResourceGroup("linstor-basic-storage");
  ASSERT_TRUE(rg.ok());
  EXPECT_EQ(rg->select_filter.place_count, 2);
  EXPECT_EQ(rg->select_filter.storage_pool_list, std::vector<std::string>{"my-storage-pool"});
  EXPECT_THAT(v.accessible_topology(), IsEmpty()) << "remote access from anywhere by default";
}

// examples/k8s/class.yaml: linstor-spread-zone and linstor-spread-zone-same-region.
TEST_F(LinstorCsiClassesTest, SpreadZoneAndSameRegion) {
  for (int i = 0; i < 3; ++i) {
    auto v = MustCreate(
        CreateReq("pvc-spread-" + std::to_string(i), kMiB,
                  {{"linstor.csi.linbit.com/placementCount", "2"},
                   {"linstor.csi.linbit.com/storagePool", "my-storage-pool"},
                   {"linstor.csi.linbit.com/resourceGroup", "linstor-spread-zone"},
                   {"linstor.csi.linbit.com/replicasOnDifferent", "topology.kubernetes.io/zone"}}));
    auto nodes = DiskfulNodes(v.volume_id());
    ASSERT_THAT(nodes, SizeIs(2));
    EXPECT_THAT(ValuesOf(kZone, nodes), SizeIs(2)) << "two zones";
  }
  auto rg = client_->GetResourceGroup("linstor-spread-zone");
  ASSERT_TRUE(rg.ok());
  EXPECT_EQ(rg->select_filter.replicas_on_different,
            std::vector<std::string>{"Aux/topology/topology.kubernetes.io/zone"});

  for (int i = 0; i < 3; ++i) {
    auto v = MustCreate(
        CreateReq("pvc-region-" + std::to_string(i), kMiB,
                  {{"linstor.csi.linbit.com/placementCount", "2"},
                   {"linstor.csi.linbit.com/storagePool", "my-storage-pool"},
                   {"linstor.csi.linbit.com/resourceGroup", "linstor-spread-zone-same-region"},
                   {"linstor.csi.linbit.com/replicasOnSame", "topology.kubernetes.io/region"},
                   {"linstor.csi.linbit.com/replicasOnDifferent", "topology.kubernetes.io/zone"}}));
    auto nodes = DiskfulNodes(v.volume_id());
    ASSERT_THAT(nodes, SizeIs(2));
    EXPECT_THAT(ValuesOf(kZone, nodes), SizeIs(2));
    // Only region r1 has two zones.
    EXPECT_THAT(ValuesOf(kRegion, nodes), ElementsAre("r1"));
  }
}

// examples/k8s/class.yaml: linstor-spread-zone-access-any-node (the rule form of
// allowRemoteVolumeAccess, as its YAML block scalar arrives).
TEST_F(LinstorCsiClassesTest, SpreadZoneAccessAnyNodeInZone) {
  const Params params = {
      {"linstor.csi.linbit.com/placementCount", "2"},
      {"linstor.csi.linbit.com/storagePool", "my-storage-pool"},
      {"linstor.csi.linbit.com/resourceGroup", "linstor-spread-zone-access-any-node"},
      {"linstor.csi.linbit.com/replicasOnDifferent", "topology.kubernetes.io/zone"},
      {"linstor.csi.linbit.com/allowRemoteVolumeAccess",
       "- fromSame:\n  - topology.kubernetes.io/zone\n"}};
  auto v = MustCreate(CreateReq("pvc-any-node", kMiB, params));
  auto diskful = DiskfulNodes(v.volume_id());
  ASSERT_THAT(diskful, SizeIs(2));
  const auto zones = ValuesOf(kZone, diskful);
  // The volume serves the two zones of its replicas, not single nodes.
  std::set<std::string> served;
  for (const auto& t : v.accessible_topology()) {
    ASSERT_EQ(t.segments().size(), 1u) << t.DebugString();
    served.insert(t.segments().at(kZone));
  }
  EXPECT_EQ(served, zones);

  // A node without a replica in a replica's zone attaches disklessly; a node of the third zone
  // is refused.
  auto zone_of = NodeProp(kZone);
  std::string same_zone, other_zone;
  for (const auto& [node, zone] : zone_of) {
    const bool has_replica = std::find(diskful.begin(), diskful.end(), node) != diskful.end();
    if (!has_replica && zones.count(zone) && node != "n7") same_zone = node;
    if (!zones.count(zone) && node != "n7") other_zone = node;
  }
  ASSERT_FALSE(same_zone.empty());
  ASSERT_FALSE(other_zone.empty());
  csi::v1::ControllerPublishVolumeResponse resp;
  auto ok = Publish(PublishReq(v.volume_id(), same_zone), &resp);
  EXPECT_TRUE(ok.ok()) << ok.error_message();
  EXPECT_THAT(DisklessNodes(v.volume_id()), ElementsAre(same_zone));
  ASSERT_TRUE(Unpublish(v.volume_id(), same_zone).ok());
  auto refused = Publish(PublishReq(v.volume_id(), other_zone), &resp);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::FAILED_PRECONDITION);
  EXPECT_THAT(refused.error_message(), HasSubstr("fromSame=topology.kubernetes.io/zone"));

  // ControllerGetVolume reports the same zones.
  csi::v1::ControllerGetVolumeRequest get;
  get.set_volume_id(v.volume_id());
  csi::v1::ControllerGetVolumeResponse got;
  ASSERT_TRUE(Call(ctl_.get(), &csi::v1::Controller::Stub::ControllerGetVolume, get, &got).ok());
  EXPECT_EQ(got.volume().accessible_topology_size(), 2);
}

// A rule list restricts where CreateVolume may put replicas: only nodes that can serve the
// requisite topology (here: the zone of the only CSI node).
TEST_F(LinstorCsiClassesTest, RemoteAccessRulesKeepReplicasWhereTheyServeTheRequisite) {
  auto req = CreateReq("pvc-zone-bound", kMiB,
                       {{"linstor.csi.linbit.com/placementCount", "2"},
                        {"linstor.csi.linbit.com/allowRemoteVolumeAccess",
                         "[{fromSame: [topology.kubernetes.io/zone]}]"}});
  auto* t = req.mutable_accessibility_requirements()->add_requisite();
  (*t->mutable_segments())[kNodeKey] = "n3";
  (*t->mutable_segments())[kZone] = "z2";
  *req.mutable_accessibility_requirements()->add_preferred() = *t;
  auto v = MustCreate(req);
  EXPECT_THAT(DiskfulNodes(v.volume_id()), ElementsAre("n3", "n4")) << "both nodes of zone z2";
}

// nodeList/clientList: manual placement, placementCount ignored, as linstor-csi does.
TEST_F(LinstorCsiClassesTest, NodeListAndClientList) {
  auto v = MustCreate(CreateReq("pvc-manual", kMiB,
                                {{"linstor.csi.linbit.com/nodeList", "n1 n5"},
                                 {"linstor.csi.linbit.com/clientList", "n3"},
                                 {"linstor.csi.linbit.com/placementCount", "3"}}));
  EXPECT_THAT(DiskfulNodes(v.volume_id()), ElementsAre("n1", "n5"));
  EXPECT_THAT(DisklessNodes(v.volume_id()), ElementsAre("n3"));
  // A repeat is answered from the existing volume.
  auto again = MustCreate(CreateReq("pvc-manual", kMiB,
                                    {{"linstor.csi.linbit.com/nodeList", "n1 n5"},
                                     {"linstor.csi.linbit.com/clientList", "n3"},
                                     {"linstor.csi.linbit.com/placementCount", "3"}}));
  EXPECT_EQ(again.volume_id(), v.volume_id());

  // A nodeList node without storage: nothing is left behind.
  csi::v1::CreateVolumeResponse resp;
  auto failed = CreateVolume(
      CreateReq("pvc-manual-bad", kMiB, {{"linstor.csi.linbit.com/nodeList", "n1 n7"}}), &resp);
  EXPECT_EQ(failed.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED) << failed.error_message();
  EXPECT_TRUE(client_->GetResourceDefinition("pvc-manual-bad").IsNotFound());
}

// usePvcName: the volume is named after the PVC (external-provisioner's
// --extra-create-metadata passes its namespace and name).
TEST_F(LinstorCsiClassesTest, UsePvcName) {
  Params params = {{"linstor.csi.linbit.com/usePvcName", "true"},
                   {"csi.storage.k8s.io/pvc/name", "data"},
                   {"csi.storage.k8s.io/pvc/namespace", "shop"}};
  auto v = MustCreate(CreateReq("pvc-0a1b2c3d", kMiB, params));
  EXPECT_EQ(v.volume_id(), "shop-data");
  EXPECT_TRUE(client_->GetResourceDefinition("shop-data").ok());
  EXPECT_TRUE(client_->GetResourceDefinition("pvc-0a1b2c3d").IsNotFound());
  EXPECT_EQ(MustCreate(CreateReq("pvc-0a1b2c3d", kMiB, params)).volume_id(), "shop-data");
  // Another PV for a PVC of the same name (the old one retained) does not take it over.
  csi::v1::CreateVolumeResponse resp;
  EXPECT_EQ(CreateVolume(CreateReq("pvc-ffff", kMiB, params), &resp).error_code(),
            grpc::StatusCode::ALREADY_EXISTS);
  EXPECT_TRUE(DeleteVolume("shop-data").ok());
  EXPECT_TRUE(client_->GetResourceDefinition("shop-data").IsNotFound());
}

// placementPolicy AutoPlace does not consult the CO's topology: a requisite naming a node
// without storage does not stop it (AutoPlaceTopology with local access would refuse).
TEST_F(LinstorCsiClassesTest, PlacementPolicyAutoPlaceIgnoresTopology) {
  auto req = [](const std::string& name, const std::string& policy) {
    auto r = CreateReq(name, kMiB,
                       {{"linstor.csi.linbit.com/placementPolicy", policy},
                        {"linstor.csi.linbit.com/allowRemoteVolumeAccess", "false"}});
    auto* t = r.mutable_accessibility_requirements()->add_requisite();
    (*t->mutable_segments())[kNodeKey] = "n7";
    return r;
  };
  csi::v1::CreateVolumeResponse resp;
  EXPECT_EQ(CreateVolume(req("pvc-apt", "AutoPlaceTopology"), &resp).error_code(),
            grpc::StatusCode::RESOURCE_EXHAUSTED);
  auto v = MustCreate(req("pvc-ap", "AutoPlace"));
  EXPECT_THAT(DiskfulNodes(v.volume_id()), SizeIs(1));
  auto refused = CreateVolume(req("pvc-bal", "Balanced"), &resp);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::INVALID_ARGUMENT);
  EXPECT_THAT(refused.error_message(), HasSubstr("Kubernetes API"));
}

// placementPolicy FollowTopology: a replica on each preferred node in order (n7 has no storage
// and is skipped), the rest by LINSTOR; a requisite no node of which can take one is refused.
TEST_F(LinstorCsiClassesTest, PlacementPolicyFollowTopology) {
  auto req = CreateReq("pvc-follow", kMiB,
                       {{"linstor.csi.linbit.com/placementPolicy", "FollowTopology"},
                        {"linstor.csi.linbit.com/placementCount", "3"}});
  for (const char* node : {"n7", "n6", "n2"}) {
    auto* t = req.mutable_accessibility_requirements()->add_preferred();
    (*t->mutable_segments())[kNodeKey] = node;
    (*t->mutable_segments())[kZone] = "any";
    *req.mutable_accessibility_requirements()->add_requisite() = *t;
  }
  auto v = MustCreate(req);
  auto nodes = DiskfulNodes(v.volume_id());
  ASSERT_THAT(nodes, SizeIs(3));
  EXPECT_THAT(nodes, ::testing::IsSupersetOf({"n2", "n6"}));
  EXPECT_EQ(MustCreate(req).volume_id(), v.volume_id()) << "a repeat";

  auto none = CreateReq("pvc-follow-none", kMiB,
                        {{"linstor.csi.linbit.com/placementPolicy", "FollowTopology"}});
  auto* t = none.mutable_accessibility_requirements()->add_requisite();
  (*t->mutable_segments())[kNodeKey] = "n7";
  csi::v1::CreateVolumeResponse resp;
  auto refused = CreateVolume(none, &resp);
  EXPECT_EQ(refused.error_code(), grpc::StatusCode::RESOURCE_EXHAUSTED) << refused.error_message();
  EXPECT_TRUE(client_->GetResourceDefinition("pvc-follow-none").IsNotFound());
}

// xReplicasOnDifferent: at most that many replicas per region.
TEST_F(LinstorCsiClassesTest, XReplicasOnDifferent) {
  for (int i = 0; i < 3; ++i) {
    auto v = MustCreate(CreateReq(
        "pvc-x-" + std::to_string(i), kMiB,
        {{"linstor.csi.linbit.com/placementCount", "3"},
         {"linstor.csi.linbit.com/xReplicasOnDifferent", "topology.kubernetes.io/region: 2\n"}}));
    auto nodes = DiskfulNodes(v.volume_id());
    ASSERT_THAT(nodes, SizeIs(3));
    auto region = NodeProp(kRegion);
    std::map<std::string, int> per_region;
    for (const auto& n : nodes) ++per_region[region[n]];
    ASSERT_THAT(per_region, SizeIs(2)) << "both regions";
    for (const auto& [r, n] : per_region) EXPECT_LE(n, 2) << r;
  }
}

// overProvision: GetCapacity reports total x factor - reserved over the class's pools.
TEST_F(LinstorCsiClassesTest, OverProvision) {
  const Params params = {{"linstor.csi.linbit.com/storagePool", "my-storage-pool"},
                         {"linstor.csi.linbit.com/overProvision", "2"}};
  auto capacity = [&](const Params& p, const std::string& node) {
    csi::v1::GetCapacityRequest req;
    for (const auto& [k, v] : p) (*req.mutable_parameters())[k] = v;
    if (!node.empty()) (*req.mutable_accessible_topology()->mutable_segments())[kNodeKey] = node;
    csi::v1::GetCapacityResponse resp;
    auto s = Call(ctl_.get(), &csi::v1::Controller::Stub::GetCapacity, req, &resp);
    EXPECT_TRUE(s.ok()) << s.error_message();
    return resp.available_capacity();
  };
  const int64_t pool = 10485760LL * 1024;  // each of n1..n6
  EXPECT_EQ(capacity(params, ""), 6 * 2 * pool);
  auto v = MustCreate(CreateReq("pvc-op", 1024 * kMiB,
                                {{"linstor.csi.linbit.com/storagePool", "my-storage-pool"},
                                 {"linstor.csi.linbit.com/placementCount", "2"},
                                 {"linstor.csi.linbit.com/allowRemoteVolumeAccess", "false"}}));
  const auto replicas = DiskfulNodes(v.volume_id());
  ASSERT_THAT(replicas, SizeIs(2));
  EXPECT_EQ(capacity(params, ""), 6 * 2 * pool - 2 * 1024 * kMiB) << "two replicas reserved";
  // Per node, for a class whose volumes are used where their replicas are.
  Params local = params;
  local["linstor.csi.linbit.com/allowRemoteVolumeAccess"] = "false";
  EXPECT_EQ(capacity(local, replicas[0]), 2 * pool - 1024 * kMiB);
  // Without the key: LINSTOR's query-size-info (no over-provisioning).
  EXPECT_LE(capacity({{"linstor.csi.linbit.com/storagePool", "my-storage-pool"}}, ""), 6 * pool);
}

// sizeKiB is accepted and ignored: the size comes from the request. postMountXfsOpts reaches
// the node plugin through the volume context (nodeplugin's PostMountXfsOpts test runs it).
TEST_F(LinstorCsiClassesTest, SizeKibIgnoredPostMountXfsOptsPassedOn) {
  auto v = MustCreate(CreateReq("pvc-sized", 8 * kMiB,
                                {{"linstor.csi.linbit.com/sizeKiB", "4"},
                                 {"linstor.csi.linbit.com/postMountXfsOpts", "extsize 2m"}}));
  EXPECT_EQ(v.capacity_bytes(), 8 * kMiB);
  EXPECT_EQ(v.volume_context().at(std::string(kDriver) + "/postMountXfsOpts"), "extsize 2m");
}

}  // namespace
}  // namespace lcsi::controller::testing
