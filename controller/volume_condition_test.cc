#include "controller/volume_condition.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace lcsi::controller {
namespace {

using ::testing::HasSubstr;

linstor::Resource Diskful(const std::string& node, const std::string& state = "UpToDate") {
  linstor::Resource r;
  r.name = "rd";
  r.node_name = node;
  linstor::Volume v;
  v.disk_state = state;
  r.volumes.push_back(v);
  return r;
}

std::map<std::string, linstor::Node> Online(std::initializer_list<const char*> names) {
  std::map<std::string, linstor::Node> out;
  for (const char* n : names) {
    linstor::Node node;
    node.name = n;
    node.connection_status = "ONLINE";
    out[n] = node;
  }
  return out;
}

TEST(VolumeConditionTest, Healthy) {
  auto h = EvaluateVolumeHealth({Diskful("a"), Diskful("b")}, Online({"a", "b"}));
  EXPECT_FALSE(h.abnormal);
  EXPECT_THAT(h.message, HasSubstr("2 diskful"));
}

TEST(VolumeConditionTest, AbnormalCases) {
  EXPECT_TRUE(EvaluateVolumeHealth({}, Online({"a"})).abnormal);
  auto outdated =
      EvaluateVolumeHealth({Diskful("a"), Diskful("b", "Outdated")}, Online({"a", "b"}));
  EXPECT_TRUE(outdated.abnormal);
  EXPECT_THAT(outdated.message, HasSubstr("replica on b is Outdated"));
  auto nodes = Online({"a", "b"});
  nodes["b"].connection_status = "OFFLINE";
  auto offline = EvaluateVolumeHealth({Diskful("a"), Diskful("b")}, nodes);
  EXPECT_TRUE(offline.abnormal);
  EXPECT_THAT(offline.message, HasSubstr("node b is OFFLINE"));
  auto unknown = EvaluateVolumeHealth({Diskful("a"), Diskful("x")}, Online({"a"}));
  EXPECT_THAT(unknown.message, HasSubstr("node x is unknown"));

  auto lonely = Diskful("a");
  lonely.drbd_connections["b"] = {false, "Connecting"};
  lonely.drbd_connections["c"] = {false, "Connecting"};
  auto quorum = EvaluateVolumeHealth({lonely}, Online({"a"}));
  EXPECT_TRUE(quorum.abnormal);
  EXPECT_THAT(quorum.message, HasSubstr("quorum lost on a"));
  lonely.drbd_connections["b"].connected = true;
  auto peer_down = EvaluateVolumeHealth({lonely}, Online({"a"}));
  EXPECT_TRUE(peer_down.abnormal) << "a peer disconnected is abnormal even with quorum";
  EXPECT_THAT(peer_down.message, HasSubstr("DRBD connection a - c is down (Connecting)"));
  EXPECT_THAT(peer_down.message, ::testing::Not(HasSubstr("quorum")));
  lonely.drbd_connections["c"].connected = true;
  EXPECT_FALSE(EvaluateVolumeHealth({lonely}, Online({"a"})).abnormal);
}

}  // namespace
}  // namespace lcsi::controller
