#include "controller/resource_group_spec.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "controller/names.h"

namespace lcsi::controller {
namespace {

VolumeParameters Params(const ParameterMap& m) {
  auto p = ParseVolumeParameters(m, "linstor-cpp.csi.io");
  EXPECT_TRUE(p.ok()) << p.status().ToString();
  return p.ok() ? *p : VolumeParameters{};
}

TEST(ResourceGroupSpecTest, GeneratedNameIsDeterministicValidAndOwnerSpecific) {
  auto a = BuildResourceGroupSpec(Params({{"placementCount", "2"}}), "owner-a");
  auto a2 = BuildResourceGroupSpec(Params({{"linstor.csi.linbit.com/placementCount", "2"},
                                           {"csi.storage.k8s.io/pvc/name", "x"},
                                           {"fsOpts", "-m 0"}}),
                                   "owner-a");
  auto b = BuildResourceGroupSpec(Params({{"placementCount", "2"}}), "owner-b");
  auto c = BuildResourceGroupSpec(Params({{"placementCount", "3"}}), "owner-a");
  EXPECT_TRUE(a.generated);
  EXPECT_TRUE(IsValidLinstorName(a.name)) << a.name;
  EXPECT_EQ(a.name, a2.name) << "non-placement parameters must not change the group";
  EXPECT_NE(a.name, b.name) << "two installations must not share a group";
  EXPECT_NE(a.name, c.name);
  EXPECT_EQ(a.props.at("Aux/csi-owner"), "owner-a");
}

TEST(ResourceGroupSpecTest, ExplicitNameAndFilter) {
  auto s = BuildResourceGroupSpec(Params({{"resourceGroup", "my-rg"},
                                          {"storagePool", "p1 p2"},
                                          {"replicasOnDifferent", "zone"},
                                          {"layerList", "drbd storage"},
                                          {"DrbdOptions/Net/protocol", "C"}}),
                                  "o");
  EXPECT_FALSE(s.generated);
  EXPECT_EQ(s.name, "my-rg");
  EXPECT_EQ(s.select_filter.place_count, kDefaultPlacementCount);
  EXPECT_EQ(s.select_filter.storage_pool_list, (std::vector<std::string>{"p1", "p2"}));
  EXPECT_EQ(s.select_filter.replicas_on_different, (std::vector<std::string>{"Aux/topology/zone"}));
  EXPECT_EQ(s.select_filter.layer_stack, (std::vector<std::string>{"DRBD", "STORAGE"}));
  EXPECT_EQ(s.props.at("DrbdOptions/Net/protocol"), "C");
}

TEST(ResourceGroupSpecTest, ReconcileOnlyWhatDiffers) {
  auto spec = BuildResourceGroupSpec(
      Params({{"placementCount", "2"}, {"DrbdOptions/Net/protocol", "C"}}), "o");
  linstor::ResourceGroup same = NewResourceGroup(spec);
  same.props["Unrelated/Key"] = "kept";
  EXPECT_FALSE(ReconcileResourceGroup(same, spec).has_value());

  linstor::ResourceGroup drifted = same;
  drifted.select_filter.place_count = 1;
  drifted.props["DrbdOptions/Net/protocol"] = "A";
  auto modify = ReconcileResourceGroup(drifted, spec);
  ASSERT_TRUE(modify.has_value());
  ASSERT_TRUE(modify->select_filter.has_value());
  EXPECT_EQ(modify->select_filter->place_count, 2);
  EXPECT_FALSE(modify->select_filter->storage_pool_list.has_value());
  EXPECT_EQ(modify->override_props.at("DrbdOptions/Net/protocol"), "C");
  EXPECT_EQ(modify->override_props.count("Unrelated/Key"), 0u);
  EXPECT_TRUE(modify->delete_props.empty());
}

}  // namespace
}  // namespace lcsi::controller
