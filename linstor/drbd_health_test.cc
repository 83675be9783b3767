#include "linstor/drbd_health.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace lcsi::linstor {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

// A DRBD resource on `node` whose volume 0 is in `disk` state, connected to `peers`.
Resource Replica(const std::string& node, const std::string& disk,
                 std::map<std::string, bool> peers, bool diskless = false) {
  Resource r;
  r.name = "pv";
  r.node_name = node;
  r.layers = {"DRBD", "STORAGE"};
  if (diskless) r.flags = {"DISKLESS", "DRBD_DISKLESS"};
  Volume v;
  v.disk_state = disk;
  r.volumes.push_back(v);
  for (const auto& [peer, up] : peers)
    r.drbd_connections[peer] = {up, up ? "Connected" : "Connecting"};
  r.drbd_promotion_score = diskless ? 1 : 10102;
  r.in_use = false;
  return r;
}

std::map<std::string, Node> Online(std::initializer_list<const char*> names) {
  std::map<std::string, Node> out;
  for (const char* n : names) {
    Node node;
    node.name = n;
    node.connection_status = "ONLINE";
    out[n] = node;
  }
  return out;
}

TEST(AssessReplicaTest, UsableCases) {
  // Diskful UpToDate.
  auto a = AssessReplica(
      {Replica("a", "UpToDate", {{"b", true}}), Replica("b", "UpToDate", {{"a", true}})}, "a");
  EXPECT_TRUE(a.usable) << a.state;
  // Syncing while connected to an UpToDate peer.
  auto sync = AssessReplica(
      {Replica("a", "SyncTarget(42.50%)", {{"b", true}}), Replica("b", "UpToDate", {{"a", true}})},
      "a");
  EXPECT_TRUE(sync.usable) << sync.state;
  EXPECT_THAT(sync.state, HasSubstr("connected to UpToDate b"));
  // Diskless client connected to an UpToDate peer.
  auto client = AssessReplica(
      {Replica("c", "Diskless", {{"b", true}}, true), Replica("b", "UpToDate", {{"c", true}})},
      "c");
  EXPECT_TRUE(client.usable) << client.state;
  // No DRBD layer: nothing to wait for.
  Resource plain;
  plain.node_name = "a";
  EXPECT_TRUE(AssessReplica({plain}, "a").usable);
}

TEST(AssessReplicaTest, UnusableCases) {
  struct Case {
    std::vector<Resource> resources;
    std::string expect;
    std::string who = "a";
  };
  for (const Case& c : std::vector<Case>{
           {{Replica("a", "Outdated", {{"b", true}}), Replica("b", "UpToDate", {{"a", true}})},
            "Outdated"},
           {{Replica("a", "Inconsistent", {{"b", false}, {"t", true}}),
             Replica("b", "UpToDate", {{"a", false}}),
             Replica("t", "Diskless", {{"a", true}, {"b", true}}, true)},
            "no UpToDate peer connected (b: Connecting"},
           {{Replica("a", "SyncTarget(10.00%)", {{"b", true}}),
             Replica("b", "Outdated", {{"a", true}})},
            "b: Outdated"},
           {{Replica("c", "Diskless", {{"b", false}}, true),
             Replica("b", "UpToDate", {{"c", false}})},
            "quorum lost",
            "c"},
           {{Replica("a", "Failed", {{"b", true}}), Replica("b", "UpToDate", {{"a", true}})},
            "Failed"},
           {{Replica("a", "Diskless", {{"b", true}}), Replica("b", "UpToDate", {{"a", true}})},
            "Diskless"},
           {{Replica("b", "UpToDate", {})}, "no resource on a"},
       }) {
    auto access = AssessReplica(c.resources, c.who);
    EXPECT_FALSE(access.usable) << access.state;
    EXPECT_THAT(access.state, HasSubstr(c.expect));
  }
  auto suspended = Replica("a", "UpToDate", {{"b", true}});
  suspended.drbd_promotion_score = 0;
  auto s = AssessReplica({suspended, Replica("b", "UpToDate", {{"a", true}})}, "a");
  EXPECT_FALSE(s.usable);
  EXPECT_THAT(s.state, HasSubstr("I/O suspended"));
}

TEST(InUseElsewhereTest, NamesOtherPrimaries) {
  auto a = Replica("a", "UpToDate", {});
  auto b = Replica("b", "UpToDate", {});
  b.in_use = true;
  EXPECT_EQ(InUseElsewhere({a, b}, "a"), std::vector<std::string>{"b"});
  EXPECT_TRUE(InUseElsewhere({a, b}, "b").empty());
}

TEST(VolumeHealthTest, HealthyAndEachAbnormalState) {
  auto healthy = EvaluateVolumeHealth(
      {Replica("a", "UpToDate", {{"b", true}}), Replica("b", "UpToDate", {{"a", true}})},
      Online({"a", "b"}));
  EXPECT_FALSE(healthy.abnormal);
  EXPECT_THAT(healthy.message, HasSubstr("2 diskful"));

  struct Case {
    std::vector<Resource> resources;
    std::string expect;
  };
  auto suspended = Replica("b", "UpToDate", {{"a", true}});
  suspended.drbd_promotion_score = 0;
  for (const Case& c : std::vector<Case>{
           {{Replica("a", "UpToDate", {{"b", true}}), Replica("b", "Outdated", {{"a", true}})},
            "replica on b is Outdated"},
           {{Replica("a", "UpToDate", {{"b", true}}), Replica("b", "Inconsistent", {{"a", true}})},
            "replica on b is Inconsistent"},
           {{Replica("a", "UpToDate", {{"b", true}}), Replica("b", "Failed", {{"a", true}})},
            "replica on b is Failed"},
           {{Replica("a", "UpToDate", {{"b", true}}),
             Replica("b", "SyncTarget(5.00%)", {{"a", true}})},
            "replica on b is SyncTarget(5.00%)"},
           {{Replica("a", "UpToDate", {{"b", true}}), Replica("b", "Diskless", {{"a", true}})},
            "replica on b is Diskless (its disk is detached)"},
           {{Replica("a", "UpToDate", {{"b", false}, {"t", true}}),
             Replica("b", "UpToDate", {{"a", false}, {"t", true}}),
             Replica("t", "Diskless", {{"a", true}, {"b", true}}, true)},
            "DRBD connection a - b is down (Connecting)"},
           {{Replica("a", "UpToDate", {{"b", false}, {"t", false}}),
             Replica("b", "UpToDate", {{"a", false}, {"t", true}}),
             Replica("t", "Diskless", {{"a", false}, {"b", true}}, true)},
            "quorum lost on a (0 of 2 peers connected)"},
           {{Replica("a", "UpToDate", {{"b", true}}), suspended}, "I/O suspended on b"},
       }) {
    auto h = EvaluateVolumeHealth(c.resources, Online({"a", "b", "t"}));
    EXPECT_TRUE(h.abnormal) << c.expect;
    EXPECT_THAT(h.message, HasSubstr(c.expect));
  }
  // A tiebreaker's Diskless state and promotion score 0 are normal.
  auto tiebreaker = Replica("t", "Diskless", {{"a", true}, {"b", true}}, true);
  tiebreaker.flags.push_back("TIE_BREAKER");
  tiebreaker.drbd_promotion_score = 0;
  auto with_tiebreaker =
      EvaluateVolumeHealth({Replica("a", "UpToDate", {{"b", true}, {"t", true}}),
                            Replica("b", "UpToDate", {{"a", true}, {"t", true}}), tiebreaker},
                           Online({"a", "b", "t"}));
  EXPECT_FALSE(with_tiebreaker.abnormal) << with_tiebreaker.message;
  EXPECT_THAT(with_tiebreaker.message, Not(HasSubstr("suspended")));
}

}  // namespace
}  // namespace lcsi::linstor
