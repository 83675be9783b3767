#include "controller/props.h"

#include <gtest/gtest.h>

namespace lcsi::controller {
namespace {

using Keys = std::set<std::string>;

TEST(PropsTest, ModifiedKeysRoundTrip) {
  const Keys keys{"DrbdOptions/Net/protocol", "DrbdOptions/Disk/disk-flushes"};
  linstor::Props p{{std::string(props::kModified), props::JoinModifiedKeys(keys)}};
  EXPECT_EQ(p.at("Aux/csi-modified"), "DrbdOptions/Disk/disk-flushes,DrbdOptions/Net/protocol");
  EXPECT_EQ(props::ModifiedKeys(p), keys);
}

TEST(PropsTest, ModifiedKeysOfAnAbsentOrOddRecord) {
  EXPECT_TRUE(props::ModifiedKeys({}).empty());
  EXPECT_EQ(props::JoinModifiedKeys({}), "");
  linstor::Props p{{"Aux/csi-modified", ",DrbdOptions/a,,DrbdOptions/b,"}};
  EXPECT_EQ(props::ModifiedKeys(p), (Keys{"DrbdOptions/a", "DrbdOptions/b"}));
  p["Aux/csi-modified"] = "";
  EXPECT_TRUE(props::ModifiedKeys(p).empty());
}

}  // namespace
}  // namespace lcsi::controller
