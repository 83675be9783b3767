#include "controller/parameters.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace lcsi::controller {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

constexpr std::string_view kDriver = "linstor-cpp.csi.io";

Result<VolumeParameters> Parse(const ParameterMap& m) { return ParseVolumeParameters(m, kDriver); }

TEST(ParametersTest, EmptyGivesDefaults) {
  auto p = Parse({});
  ASSERT_TRUE(p.ok());
  EXPECT_TRUE(p->resource_group.empty());
  EXPECT_FALSE(p->placement_count.has_value());
  EXPECT_TRUE(p->remote_access.anywhere());
  EXPECT_TRUE(p->linstor_props.empty());
}

TEST(ParametersTest, AllSpellingsOfAKeyAreAccepted) {
  for (const std::string key : {"linstor-cpp.csi.io/placementCount", "placementCount",
                                "linstor.csi.linbit.com/placementCount", "PLACEMENTCOUNT",
                                "linstor.csi.linbit.com/autoPlace"}) {
    auto p = Parse({{key, "3"}});
    ASSERT_TRUE(p.ok()) << key << ": " << p.status().ToString();
    EXPECT_EQ(p->placement_count, 3) << key;
  }
}

TEST(ParametersTest, FullClass) {
  auto p = Parse({
      {"linstor-cpp.csi.io/resourceGroup", "my-rg"},
      {"linstor-cpp.csi.io/storagePool", "pool1, pool2"},
      {"linstor-cpp.csi.io/placementCount", "2"},
      {"linstor-cpp.csi.io/replicasOnSame", "zone Aux/rack=r1"},
      {"linstor-cpp.csi.io/replicasOnDifferent", "topology.kubernetes.io/zone"},
      {"linstor-cpp.csi.io/disklessOnRemaining", "true"},
      {"linstor-cpp.csi.io/layerList", "drbd storage"},
      {"linstor-cpp.csi.io/allowRemoteVolumeAccess", "false"},
      {"linstor-cpp.csi.io/fsOpts", "-E nodiscard"},
      {"linstor-cpp.csi.io/mountOpts", "noatime"},
      {"linstor-cpp.csi.io/DrbdOptions/Net/protocol", "C"},
      {"property.linstor-cpp.csi.io/StorDriver/LvcreateOptions", "-i2"},
      {"property.linstor.csi.linbit.com/DrbdOptions/Disk/disk-flushes", "no"},
      {"csi.storage.k8s.io/pvc/name", "data"},
      {"csi.storage.k8s.io/pvc/namespace", "default"},
      {"csi.storage.k8s.io/pv/name", "pvc-1"},
      {"csi.storage.k8s.io/fstype", "xfs"},
      {"example.com/unrelated", "ignored"},
  });
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->resource_group, "my-rg");
  EXPECT_THAT(p->storage_pools, ElementsAre("pool1", "pool2"));
  EXPECT_EQ(p->placement_count, 2);
  EXPECT_THAT(p->replicas_on_same, ElementsAre("Aux/topology/zone", "Aux/rack=r1"));
  EXPECT_THAT(p->replicas_on_different, ElementsAre("Aux/topology/topology.kubernetes.io/zone"));
  EXPECT_EQ(p->diskless_on_remaining, true);
  EXPECT_THAT(p->layer_list, ElementsAre("DRBD", "STORAGE"));
  EXPECT_TRUE(p->remote_access.local_only());
  EXPECT_EQ(p->fs_opts, "-E nodiscard");
  EXPECT_EQ(p->mount_opts, "noatime");
  EXPECT_EQ(p->linstor_props.at("DrbdOptions/Net/protocol"), "C");
  EXPECT_EQ(p->linstor_props.at("StorDriver/LvcreateOptions"), "-i2");
  EXPECT_EQ(p->linstor_props.at("DrbdOptions/Disk/disk-flushes"), "no");
  EXPECT_EQ(p->pvc_name, "data");
  EXPECT_EQ(p->pvc_namespace, "default");
  EXPECT_EQ(p->pv_name, "pvc-1");
  EXPECT_EQ(p->fs_type, "xfs");
}

TEST(ParametersTest, IncusKnobs) {
  auto p = Parse({{"on-no-quorum", "suspend-io"},
                  {"linstor-cpp.csi.io/auto-diskful", "30m"},
                  {"autoAddQuorumTiebreaker", "false"}});
  ASSERT_TRUE(p.ok()) << p.status().ToString();
  EXPECT_EQ(p->linstor_props.at("DrbdOptions/Resource/on-no-quorum"), "suspend-io");
  EXPECT_EQ(p->linstor_props.at("DrbdOptions/auto-diskful"), "30");
  EXPECT_EQ(p->linstor_props.at("DrbdOptions/auto-add-quorum-tiebreaker"), "False");
  auto minutes = Parse({{"auto-diskful", "90"}});
  ASSERT_TRUE(minutes.ok());
  EXPECT_EQ(minutes->linstor_props.at("DrbdOptions/auto-diskful"), "90");
  auto rounded = Parse({{"auto-diskful", "90s"}});
  ASSERT_TRUE(rounded.ok());
  EXPECT_EQ(rounded->linstor_props.at("DrbdOptions/auto-diskful"), "2");
}

TEST(ParametersTest, EncryptionAddsLuks) {
  auto p = Parse({{"encryption", "true"}});
  ASSERT_TRUE(p.ok());
  EXPECT_THAT(p->layer_list, ElementsAre("DRBD", "LUKS", "STORAGE"));
  auto q = Parse({{"encryption", "yes"}, {"layerList", "drbd,storage"}});
  ASSERT_TRUE(q.ok());
  EXPECT_THAT(q->layer_list, ElementsAre("DRBD", "LUKS", "STORAGE"));
}

TEST(ParametersTest, ErrorsNameTheKey) {
  struct Case {
    ParameterMap params;
    std::string expected_in_message;
  };
  const Case cases[] = {
      {{{"linstor-cpp.csi.io/noSuchKey", "1"}}, "linstor-cpp.csi.io/noSuchKey"},
      {{{"noSuchKey", "1"}}, "noSuchKey"},
      {{{"linstor.csi.linbit.com/bogus", "1"}}, "linstor.csi.linbit.com/bogus"},
      {{{"placementCount", "two"}}, "placementCount"},
      {{{"placementCount", "0"}}, "placementCount"},
      {{{"placementCount", "99"}}, "placementCount"},
      {{{"placementCount", "2x"}}, "placementCount"},
      {{{"allowRemoteVolumeAccess", "maybe"}}, "allowRemoteVolumeAccess"},
      {{{"layerList", "drbd zfs"}}, "layerList"},
      {{{"layerList", "storage drbd"}}, "layerList"},
      {{{"layerList", "drbd drbd storage"}}, "layerList"},
      {{{"storagePool", ""}}, "storagePool"},
      {{{"storagePool", "a a"}}, "storagePool"},
      {{{"resourceGroup", "1bad"}}, "resourceGroup"},
      {{{"on-no-quorum", "panic"}}, "on-no-quorum"},
      {{{"auto-diskful", "soon"}}, "auto-diskful"},
      {{{"auto-diskful", "0"}}, "auto-diskful"},
      {{{"auto-add-quorum-tiebreaker", "sometimes"}}, "auto-add-quorum-tiebreaker"},
      {{{"DrbdOptions/", "x"}}, "DrbdOptions/"},
      {{{"property.other.example/Key", "x"}}, "property.other.example/Key"},
      {{{"property.linstor-cpp.csi.io/Aux/csi-owner", "x"}}, "reserved"},
      {{{"placementCount", "2"}, {"linstor.csi.linbit.com/placementCount", "2"}},
       "set the same thing"},
      {{{"on-no-quorum", "io-error"}, {"DrbdOptions/Resource/on-no-quorum", "suspend-io"}},
       "DrbdOptions/Resource/on-no-quorum"},
  };
  for (const auto& c : cases) {
    auto p = Parse(c.params);
    ASSERT_FALSE(p.ok()) << c.params.begin()->first;
    EXPECT_EQ(p.status().code(), Code::kInvalidArgument);
    EXPECT_THAT(p.status().message(), HasSubstr(c.expected_in_message));
  }
}

TEST(ParametersTest, FingerprintIgnoresMetadataButNotSettings) {
  auto a = Parse({{"placementCount", "2"}, {"csi.storage.k8s.io/pvc/name", "a"}});
  auto b =
      Parse({{"linstor-cpp.csi.io/placementCount", "2"}, {"csi.storage.k8s.io/pvc/name", "b"}});
  auto c = Parse({{"placementCount", "3"}});
  ASSERT_TRUE(a.ok() && b.ok() && c.ok());
  EXPECT_EQ(a->Fingerprint(), b->Fingerprint());
  EXPECT_NE(a->Fingerprint(), c->Fingerprint());
}

TEST(MutableParametersTest, AcceptsPlacementCountAndDrbdOptions) {
  auto m = ParseMutableParameters({{"linstor-cpp.csi.io/placementCount", "3"},
                                   {"DrbdOptions/Net/max-buffers", "8000"},
                                   {"on-no-quorum", "io-error"}},
                                  kDriver);
  ASSERT_TRUE(m.ok()) << m.status().ToString();
  EXPECT_EQ(m->placement_count, 3);
  EXPECT_EQ(m->drbd_props.at("DrbdOptions/Net/max-buffers"), "8000");
  EXPECT_EQ(m->drbd_props.at("DrbdOptions/Resource/on-no-quorum"), "io-error");
}

TEST(MutableParametersTest, ImmutableAndUnknownAreInvalid) {
  auto immutable = ParseMutableParameters({{"storagePool", "p"}}, kDriver);
  ASSERT_FALSE(immutable.ok());
  EXPECT_EQ(immutable.status().code(), Code::kInvalidArgument);
  EXPECT_THAT(immutable.status().message(), HasSubstr("not mutable"));
  auto unknown = ParseMutableParameters({{"linstor-cpp.csi.io/whatever", "p"}}, kDriver);
  ASSERT_FALSE(unknown.ok());
  EXPECT_THAT(unknown.status().message(), HasSubstr("unknown"));
  auto prop = ParseMutableParameters({{"property.linstor-cpp.csi.io/Foo", "p"}}, kDriver);
  ASSERT_FALSE(prop.ok());
}

TEST(SnapshotParametersTest, OnlyMetadata) {
  auto ok = ParseSnapshotParameters({{"csi.storage.k8s.io/volumesnapshot/name", "s"}}, kDriver);
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(ok->snapshot_name, "s");
  auto bad = ParseSnapshotParameters({{"linstor-cpp.csi.io/x", "1"}}, kDriver);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), Code::kInvalidArgument);
}

}  // namespace
}  // namespace lcsi::controller
