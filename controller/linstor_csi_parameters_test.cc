// Parsing of the StorageClass keys that linstor-csi v1.12 accepts beyond the plugin's own
// (pkg/volume/parameter.go): each is mapped or refused with the reason.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "controller/linstor_csi_values.h"
#include "controller/over_provision.h"
#include "controller/parameters.h"
#include "controller/remote_access.h"
#include "controller/resource_group_spec.h"

namespace lcsi::controller {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

constexpr std::string_view kDriver = "linstor-cpp.csi.io";

Result<VolumeParameters> Parse(const ParameterMap& m) { return ParseVolumeParameters(m, kDriver); }

std::string ErrorOf(const ParameterMap& m) {
  auto p = Parse(m);
  EXPECT_FALSE(p.ok());
  if (p.ok()) return "";
  EXPECT_EQ(p.status().code(), Code::kInvalidArgument);
  return p.status().message();
}

constexpr char kNs[] = "linstor.csi.linbit.com/";
std::string K(const std::string& key) { return kNs + key; }

TEST(LinstorCsiParametersTest, ReplicasOnKeysAreTopologyProperties) {
  auto p = Parse({{K("replicasOnSame"), "topology.kubernetes.io/region Aux/rack=r1"},
                  {K("replicasOnDifferent"), "topology.kubernetes.io/zone"}});
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_THAT(p->replicas_on_same,
              ElementsAre("Aux/topology/topology.kubernetes.io/region", "Aux/rack=r1"));
  EXPECT_THAT(p->replicas_on_different, ElementsAre("Aux/topology/topology.kubernetes.io/zone"));
}

TEST(LinstorCsiParametersTest, NodeListAndClientListMeanManualPlacement) {
  auto p = Parse({{K("nodeList"), "n1 n2"},
                  {K("clientList"), "n3"},
                  {K("placementCount"), "3"},
                  {K("replicasOnSame"), "zone"},
                  {K("doNotPlaceWithRegex"), "db-.*"},
                  {K("xReplicasOnDifferent"), "zone: 1"}});
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->placement_policy, PlacementPolicy::kManual);
  EXPECT_THAT(p->node_list, ElementsAre("n1", "n2"));
  EXPECT_THAT(p->client_list, ElementsAre("n3"));
  // As in linstor-csi, the autoplacer's settings do not apply.
  EXPECT_FALSE(p->placement_count.has_value());
  EXPECT_THAT(p->replicas_on_same, IsEmpty());
  EXPECT_TRUE(p->do_not_place_with_regex.empty());
  EXPECT_TRUE(p->x_replicas_on_different.empty());
  auto spec = BuildResourceGroupSpec(*p, "owner");
  EXPECT_EQ(spec.select_filter.place_count, 2) << "one replica per nodeList node";
  EXPECT_EQ(spec.select_filter.node_name_list, (std::vector<std::string>{"n1", "n2"}));
}

TEST(LinstorCsiParametersTest, ManualPlacementNeedsNodeList) {
  EXPECT_THAT(ErrorOf({{K("clientList"), "n3"}}), HasSubstr("no diskful replica"));
  EXPECT_THAT(ErrorOf({{K("placementPolicy"), "Manual"}}), HasSubstr("needs nodeList"));
  EXPECT_THAT(ErrorOf({{K("nodeList"), "n1"}, {K("clientList"), "n1"}}),
              HasSubstr("both nodeList and clientList"));
}

TEST(LinstorCsiParametersTest, PlacementPolicies) {
  const std::pair<const char*, PlacementPolicy> accepted[] = {
      {"AutoPlaceTopology", PlacementPolicy::kAutoPlaceTopology},
      {"autoplace", PlacementPolicy::kAutoPlace},
      {"FollowTopology", PlacementPolicy::kFollowTopology}};
  for (const auto& [value, policy] : accepted) {
    auto p = Parse({{K("placementPolicy"), value}});
    ASSERT_TRUE(p.ok()) << value << ": " << p.status().ToString();
    EXPECT_EQ(p->placement_policy, policy) << value;
  }
  auto manual = Parse({{K("placementPolicy"), "Manual"}, {K("nodeList"), "n1"}});
  ASSERT_TRUE(manual.ok());
  EXPECT_EQ(manual->placement_policy, PlacementPolicy::kManual);
  EXPECT_THAT(ErrorOf({{K("placementPolicy"), "Balanced"}}), HasSubstr("Kubernetes API"));
  EXPECT_THAT(ErrorOf({{K("placementPolicy"), "Unknown"}}), HasSubstr("unknown placement policy"));
  // Different policies are different parameter sets.
  EXPECT_NE(Parse({{K("placementPolicy"), "AutoPlace"}})->Fingerprint(), Parse({})->Fingerprint());
}

TEST(LinstorCsiParametersTest, UsePvcNameNamesTheVolumeAfterThePvc) {
  ParameterMap m = {{K("usePvcName"), "true"},
                    {"csi.storage.k8s.io/pvc/name", "data"},
                    {"csi.storage.k8s.io/pvc/namespace", "shop"}};
  auto p = Parse(m);
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(VolumeNameFor("pvc-1234", *p), "shop-data");
  // Not a LINSTOR name (dots): the usual name, as linstor-csi falls back.
  m["csi.storage.k8s.io/pvc/name"] = "data.v2";
  EXPECT_EQ(VolumeNameFor("pvc-1234", *Parse(m)), "pvc-1234");
  // Without the PVC metadata, or without the key.
  EXPECT_EQ(VolumeNameFor("pvc-1234", *Parse({{K("usePvcName"), "true"}})), "pvc-1234");
  m["csi.storage.k8s.io/pvc/name"] = "data";
  m[K("usePvcName")] = "false";
  EXPECT_EQ(VolumeNameFor("pvc-1234", *Parse(m)), "pvc-1234");
  EXPECT_THAT(ErrorOf({{K("usePvcName"), "maybe"}}), HasSubstr("not a boolean"));
}

TEST(LinstorCsiParametersTest, XReplicasOnDifferent) {
  auto p = Parse({{K("xReplicasOnDifferent"), "topology.kubernetes.io/zone: 2\nAux/rack: 1\n"}});
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->x_replicas_on_different,
            (std::map<std::string, int32_t>{{"Aux/topology/topology.kubernetes.io/zone", 2},
                                            {"Aux/rack", 1}}));
  auto spec = BuildResourceGroupSpec(*p, "owner");
  EXPECT_EQ(spec.select_filter.x_replicas_on_different_map, p->x_replicas_on_different);
  auto flow = Parse({{K("xReplicasOnDifferent"), "{zone: 2, \"rack\": 1}"}});
  ASSERT_TRUE(flow.ok()) << flow.status().ToString();
  EXPECT_EQ(flow->x_replicas_on_different.at("Aux/topology/zone"), 2);
  EXPECT_THAT(ErrorOf({{K("xReplicasOnDifferent"), "zone: many"}}), HasSubstr("not an integer"));
  EXPECT_THAT(ErrorOf({{K("xReplicasOnDifferent"), "zone: 0"}}), HasSubstr("count from 1"));
  EXPECT_THAT(ErrorOf({{K("xReplicasOnDifferent"), "zone"}}), HasSubstr("<topology key>: <count>"));
  // Groups without it keep their generated name.
  EXPECT_EQ(BuildResourceGroupSpec(*Parse({}), "o").name,
            BuildResourceGroupSpec(*Parse({}), "o").name);
  EXPECT_NE(BuildResourceGroupSpec(*p, "o").name, BuildResourceGroupSpec(*Parse({}), "o").name);
}

TEST(LinstorCsiParametersTest, SizeKibAndNfsKeysAreAcceptedWithoutEffect) {
  const VolumeParameters plain = *Parse({});
  auto p = Parse({{K("sizeKiB"), "4096"},
                  {K("nfsConfigTemplate"), "/etc/nfs-helper/custom.tmpl"},
                  {K("nfsServiceName"), "linstor-csi-nfs"},
                  {K("nfsSquash"), "all_squash"},
                  {K("nfsRecoveryVolumeSize"), "300Mi"}});
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->Fingerprint(), plain.Fingerprint());
  EXPECT_THAT(ErrorOf({{K("nfsRecoveryVolumeSize"), "lots"}}), HasSubstr("300Mi"));
}

TEST(LinstorCsiParametersTest, OverProvision) {
  auto p = Parse({{K("overProvision"), "1.5"}});
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->over_provision, 1.5);
  // It changes what GetCapacity reports, not the volume or its group.
  EXPECT_EQ(p->Fingerprint(), Parse({})->Fingerprint());
  EXPECT_THAT(ErrorOf({{K("overProvision"), "-1"}}), HasSubstr("positive"));
  EXPECT_THAT(ErrorOf({{K("overProvision"), "lots"}}), HasSubstr("not a number"));
  // Read like linstor-csi's strconv.ParseFloat: a sign, spaces trimmed, no hexadecimal.
  EXPECT_EQ(Parse({{K("overProvision"), "+2"}})->over_provision, 2.0);
  EXPECT_EQ(Parse({{K("overProvision"), " 2.5 "}})->over_provision, 2.5);
  EXPECT_EQ(Parse({{K("overProvision"), "1e1"}})->over_provision, 10.0);
  for (const char* text : {"0x2", "1,5", "1e400", "2x", ""}) {
    EXPECT_THAT(ErrorOf({{K("overProvision"), text}}), HasSubstr("not a number")) << text;
  }
  EXPECT_THAT(ErrorOf({{K("overProvision"), "inf"}}), HasSubstr("positive"));
}

linstor::StoragePool Pool(const std::string& node, const std::string& name, int64_t total_kib,
                          linstor::Props props = {}) {
  linstor::StoragePool p;
  p.node_name = node;
  p.storage_pool_name = name;
  p.provider_kind = name == "diskless" ? "DISKLESS" : "LVM_THIN";
  p.total_capacity = total_kib;
  p.props = std::move(props);
  return p;
}

linstor::Resource Replica(const std::string& node, const std::string& pool, int64_t kib) {
  linstor::Resource r;
  r.node_name = node;
  linstor::Volume v;
  v.storage_pool_name = pool;
  v.storage_usable_size_kib = kib;
  r.volumes.push_back(v);
  return r;
}

TEST(OverProvisionTest, LinstorCsiArithmetic) {
  std::vector<linstor::Node> nodes(5);
  nodes[0].name = "a";
  nodes[1].name = "b";
  nodes[2].name = "evicted";
  nodes[2].flags = {"EVICTED"};
  nodes[3].name = "no-target";
  nodes[3].props["AutoplaceTarget"] = "false";
  nodes[4].name = "c";
  const std::vector<linstor::StoragePool> pools = {
      Pool("a", "thin", 1000),  // 2000 virtual - 300 reserved
      Pool("a", "diskless", 1000),
      Pool("b", "thin", 1000, {{"MaxTotalCapacityOversubscriptionRatio", "1.5"}}),  // 1500
      Pool("b", "other", 1000),
      Pool("c", "thin", 1000, {{"MaxOversubscriptionRatio", "0.1"}}),  // 100 - 200: nothing
      Pool("evicted", "thin", 1000),
      Pool("no-target", "thin", 1000)};
  const std::vector<linstor::Resource> resources = {
      Replica("a", "thin", 200), Replica("a", "thin", 100), Replica("c", "thin", 200)};
  auto all = ComputeOverProvisioned(2.0, nodes, std::nullopt, pools, {"thin"}, resources);
  EXPECT_EQ(all.total_kib, 1700 + 1500);
  EXPECT_EQ(all.largest_pool_kib, 1700);
  // Every pool when the class names none; only the wanted nodes.
  EXPECT_EQ(ComputeOverProvisioned(2.0, nodes, std::nullopt, pools, {}, resources).total_kib,
            1700 + 1500 + 2000);
  EXPECT_EQ(
      ComputeOverProvisioned(2.0, nodes, std::vector<std::string>{"b"}, pools, {"thin"}, resources)
          .total_kib,
      1500);
}

TEST(LinstorCsiParametersTest, PostMountXfsOpts) {
  auto p = Parse({{K("postMountXfsOpts"), "extsize 2m"}});
  ASSERT_TRUE(p.ok());
  EXPECT_EQ(p->post_mount_xfs_opts, "extsize 2m");
  EXPECT_NE(p->Fingerprint(), Parse({})->Fingerprint());
  EXPECT_EQ(PostMountXfsOptsContextKey(kDriver), "linstor-cpp.csi.io/postMountXfsOpts");
}

TEST(LinstorCsiParametersTest, RemoteAccessDefaultsToLocalWithoutDrbd) {
  EXPECT_TRUE(Parse({{K("layerList"), "storage"}})->remote_access.local_only());
  EXPECT_TRUE(Parse({{K("layerList"), "drbd storage"}})->remote_access.anywhere());
  EXPECT_TRUE(Parse({{K("layerList"), "nvme storage"}})->remote_access.anywhere());
  EXPECT_TRUE(Parse({{K("layerList"), "storage"}, {K("allowRemoteVolumeAccess"), "true"}})
                  ->remote_access.anywhere());
}

TEST(LinstorCsiParametersTest, RemoteAccessRuleForms) {
  // examples/k8s/class.yaml's block scalar, the flow form, JSON, and two rules.
  const std::pair<std::string, std::string> forms[] = {
      {"- fromSame:\n  - topology.kubernetes.io/zone\n", "fromSame=topology.kubernetes.io/zone"},
      {"- fromSame: [topology.kubernetes.io/zone]", "fromSame=topology.kubernetes.io/zone"},
      {R"([{"fromSame": ["topology.kubernetes.io/zone"]}])",
       "fromSame=topology.kubernetes.io/zone"},
      {"- fromSame:\n    - zone\n    - rack  # both\n- fromSame: [region]\n",
       "fromSame=zone,rack;fromSame=region"},
      {"- fromSame: [linstor-cpp.csi.io/node, zone]", "false"},
      {"- {}", "true"},
      {"no", "false"}};
  for (const auto& [text, canonical] : forms) {
    auto p = Parse({{K("allowRemoteVolumeAccess"), text}});
    ASSERT_TRUE(p.ok()) << text << ": " << p.status().ToString();
    EXPECT_EQ(p->remote_access.Canonical(), canonical) << text;
    EXPECT_EQ(RemoteAccessPolicy::FromCanonical(canonical).Canonical(), canonical);
  }
  EXPECT_THAT(ErrorOf({{K("allowRemoteVolumeAccess"), "[]"}}), HasSubstr("empty"));
  EXPECT_THAT(ErrorOf({{K("allowRemoteVolumeAccess"), "- fromZone: [a]"}}),
              HasSubstr("unknown rule field 'fromZone'"));
  EXPECT_THAT(ErrorOf({{K("allowRemoteVolumeAccess"), "- fromSame: zone"}}),
              HasSubstr("list of topology keys"));
  EXPECT_THAT(ErrorOf({{K("allowRemoteVolumeAccess"), "sometimes"}}), HasSubstr("not readable"));
  EXPECT_THAT(ErrorOf({{K("allowRemoteVolumeAccess"), "[{fromSame: ['a;b']}]"}}),
              HasSubstr("not a topology key"));
  EXPECT_THAT(ErrorOf({{K("allowRemoteVolumeAccess"), std::string(5000, '[')}}),
              HasSubstr("not readable"));
}

TEST(RemoteAccessPolicyTest, AccessibleSegmentsAndAllows) {
  auto p = *RemoteAccessPolicy::Parse("k", "- fromSame: [zone]\n- fromSame: [rack, region]\n");
  const Segments replica = {{kLinstorCsiNodeKey, "n1"}, {"zone", "a"}, {"region", "r"}};
  // The replica has no rack: the second rule keeps only region (linstor-csi skips missing keys).
  EXPECT_EQ(p.AccessibleSegments(replica),
            (std::vector<Segments>{{{"zone", "a"}}, {{"region", "r"}}}));
  EXPECT_TRUE(p.Allows({{kLinstorCsiNodeKey, "n2"}, {"zone", "a"}}, {replica}));
  EXPECT_TRUE(p.Allows({{kLinstorCsiNodeKey, "n3"}, {"zone", "b"}, {"region", "r"}}, {replica}));
  EXPECT_FALSE(p.Allows({{kLinstorCsiNodeKey, "n4"}, {"zone", "b"}}, {replica}));
  EXPECT_TRUE(RemoteAccessPolicy::Anywhere().Allows({}, {replica}));
  EXPECT_FALSE(RemoteAccessPolicy::LocalOnly().Allows({{kLinstorCsiNodeKey, "n2"}}, {replica}));
}

TEST(RemoteAccessPolicyTest, PruneSegmentsKeepsTheBroadest) {
  // The examples of linstor-csi's PrunePattern.
  using V = std::vector<Segments>;
  EXPECT_EQ(PruneSegments(V{{{"a", "1"}}, {{"a", "1"}}}), (V{{{"a", "1"}}}));
  EXPECT_EQ(PruneSegments(V{{{"a", "1"}}, {{"a", "2"}}}), (V{{{"a", "1"}}, {{"a", "2"}}}));
  EXPECT_EQ(PruneSegments(V{{{"a", "1"}, {"b", "1"}}, {{"a", "1"}}}), (V{{{"a", "1"}}}));
  EXPECT_EQ(PruneSegments(V{{{"a", "1"}}, {{"a", "1"}, {"b", "1"}}, {{"a", "1"}, {"b", "2"}}}),
            (V{{{"a", "1"}}}));
}

TEST(LinstorCsiValuesTest, QuantityBytes) {
  EXPECT_EQ(*ParseQuantityBytes("k", "300Mi"), 300 * 1024 * 1024);
  EXPECT_EQ(*ParseQuantityBytes("k", "1G"), 1000000000);
  EXPECT_EQ(*ParseQuantityBytes("k", "4096"), 4096);
  EXPECT_FALSE(ParseQuantityBytes("k", "Mi").ok());
  EXPECT_FALSE(ParseQuantityBytes("k", "-1Gi").ok());
  EXPECT_EQ(*ParseQuantityBytes("k", "1.5Ki"), 1536);
  EXPECT_EQ(*ParseQuantityBytes("k", "0.0001Ki"), 1);  // rounded up to a whole byte
  EXPECT_FALSE(ParseQuantityBytes("k", ".").ok());
  EXPECT_FALSE(ParseQuantityBytes("k", "1.2.3Mi").ok());
}

}  // namespace
}  // namespace lcsi::controller
