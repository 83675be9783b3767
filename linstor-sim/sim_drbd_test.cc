// DRBD states through the admin API and what GET /v1/view/resources then shows: disk states
// (Outdated, Inconsistent, SyncTarget with progress, Diskless), connections, replication
// states, quorum loss, suspended I/O (promotion score 0) and the reset to healthy.
#include <gtest/gtest.h>

#include "linstor-sim/sim_test_util.h"

namespace lcsi::sim::testing {
namespace {

class DrbdStateTest : public SimFixture {
 protected:
  void SetUp() override {
    SimFixture::SetUp();
    admin_ = std::make_unique<SimAdminClient>(sim_->url());
    CreateRg("rg1", R"({"place_count":2})");
    Spawn("rg1", "vol1");
    for (const auto& r : Diskful()) nodes_.push_back(r);
    ASSERT_EQ(nodes_.size(), 2u);
  }

  std::vector<std::string> Diskful() {
    std::vector<std::string> out;
    Json view(http_->Get("/v1/view/resources?resources=vol1").body);
    for (auto r : view.root().get_array()) {
      bool diskless = false;
      for (auto f : r["flags"].get_array())
        diskless = diskless || f.get_string().value() == "DISKLESS";
      if (!diskless) out.emplace_back(r["node_name"].get_string().value());
    }
    return out;
  }

  // The resource of vol1 on `node` from the view.
  simdjson::dom::element Resource(Json& view, const std::string& node) {
    for (auto r : view.root().get_array()) {
      if (r["node_name"].get_string().value() == node) return r;
    }
    ADD_FAILURE() << "no resource on " << node;
    return view.root();
  }
  Json View() { return Json(http_->Get("/v1/view/resources?resources=vol1").body); }
  static std::string DiskState(simdjson::dom::element r) {
    return std::string(r["volumes"].at(0)["state"]["disk_state"].get_string().value());
  }

  std::unique_ptr<SimAdminClient> admin_;
  std::vector<std::string> nodes_;
};

TEST_F(DrbdStateTest, HealthyByDefault) {
  Json view = View();
  auto a = Resource(view, nodes_[0]);
  EXPECT_EQ(DiskState(a), "UpToDate");
  EXPECT_TRUE(a["layer_object"]["drbd"]["connections"][nodes_[1]]["connected"].get_bool().value());
  EXPECT_EQ(std::string(a["volumes"]
                            .at(0)["state"]["replication_states"][nodes_[1]]["replication_state"]
                            .get_string()
                            .value()),
            "Established");
  EXPECT_GT(a["layer_object"]["drbd"]["promotion_score"].get_int64().value(), 0);
  EXPECT_TRUE(a["layer_object"]["drbd"]["may_promote"].get_bool().value());
}

TEST_F(DrbdStateTest, OutdatedInconsistentFailedAndDetached) {
  for (const char* state : {"Outdated", "Inconsistent", "Failed", "Diskless"}) {
    ASSERT_TRUE(
        admin_->SetDrbdState("vol1", nodes_[1], std::string(R"({"disk_state":")") + state + "\"}")
            .ok());
    Json view = View();
    EXPECT_EQ(DiskState(Resource(view, nodes_[1])), state);
    EXPECT_EQ(DiskState(Resource(view, nodes_[0])), "UpToDate") << "the peer is unaffected";
    auto drbd_volume = Resource(view, nodes_[1])["layer_object"]["drbd"]["drbd_volumes"].at(0);
    EXPECT_EQ(std::string(drbd_volume["disk_state"].get_string().value()), state);
  }
  ASSERT_TRUE(admin_->ClearDrbdState("vol1", nodes_[1]).ok());
  Json view = View();
  EXPECT_EQ(DiskState(Resource(view, nodes_[1])), "UpToDate");
}

TEST_F(DrbdStateTest, SyncTargetReportsProgress) {
  ASSERT_TRUE(admin_->SetDrbdState("vol1", nodes_[1], R"({"sync_done":42.5})").ok());
  Json view = View();
  auto target = Resource(view, nodes_[1]);
  EXPECT_EQ(DiskState(target), "SyncTarget(42.50%)");
  auto repl = target["volumes"].at(0)["state"]["replication_states"][nodes_[0]];
  EXPECT_EQ(std::string(repl["replication_state"].get_string().value()), "SyncTarget");
  EXPECT_DOUBLE_EQ(repl["done_percentage"].get_double().value(), 42.5);
  auto source = Resource(view, nodes_[0])["volumes"].at(0)["state"]["replication_states"];
  EXPECT_EQ(std::string(source[nodes_[1]]["replication_state"].get_string().value()), "SyncSource");
}

TEST_F(DrbdStateTest, DisconnectedPeerOnBothSides) {
  ASSERT_TRUE(
      admin_->SetDrbdState("vol1", nodes_[0], R"({"disconnected_peers":[")" + nodes_[1] + "\"]}")
          .ok());
  Json view = View();
  auto a = Resource(view, nodes_[0]);
  auto b = Resource(view, nodes_[1]);
  EXPECT_FALSE(a["layer_object"]["drbd"]["connections"][nodes_[1]]["connected"].get_bool().value());
  EXPECT_EQ(
      std::string(
          a["layer_object"]["drbd"]["connections"][nodes_[1]]["message"].get_string().value()),
      "Connecting");
  EXPECT_FALSE(b["layer_object"]["drbd"]["connections"][nodes_[0]]["connected"].get_bool().value());
  EXPECT_EQ(std::string(a["volumes"]
                            .at(0)["state"]["replication_states"][nodes_[1]]["replication_state"]
                            .get_string()
                            .value()),
            "Off");
}

TEST_F(DrbdStateTest, QuorumLostAndSuspendedIo) {
  ASSERT_TRUE(admin_->SetDrbdState("vol1", nodes_[0], R"({"quorum_lost":true})").ok());
  Json view = View();
  auto a = Resource(view, nodes_[0]);
  for (auto [peer, connection] : a["layer_object"]["drbd"]["connections"].get_object()) {
    EXPECT_FALSE(connection["connected"].get_bool().value()) << peer;
  }
  EXPECT_EQ(a["layer_object"]["drbd"]["promotion_score"].get_int64().value(), 0);
  EXPECT_FALSE(a["layer_object"]["drbd"]["may_promote"].get_bool().value());

  ASSERT_TRUE(admin_->SetDrbdState("vol1", nodes_[0], R"({"io_suspended":true})").ok());
  Json suspended = View();
  auto s = Resource(suspended, nodes_[0]);
  EXPECT_TRUE(s["layer_object"]["drbd"]["connections"][nodes_[1]]["connected"].get_bool().value())
      << "POST replaces the state: quorum is back";
  EXPECT_EQ(s["layer_object"]["drbd"]["promotion_score"].get_int64().value(), 0);
  EXPECT_FALSE(s["layer_object"]["drbd"]["may_promote"].get_bool().value());
  EXPECT_EQ(DiskState(s), "UpToDate");
}

TEST_F(DrbdStateTest, BadRequestsAreRejected) {
  EXPECT_FALSE(admin_->SetDrbdState("vol1", nodes_[0], R"({"disk_state":"Sleepy"})").ok());
  EXPECT_FALSE(admin_->SetDrbdState("vol1", nodes_[0], R"({"sync_done":120})").ok());
  EXPECT_FALSE(
      admin_->SetDrbdState("vol1", nodes_[0], R"({"sync_done":5,"disk_state":"Outdated"})").ok());
  EXPECT_FALSE(admin_->SetDrbdState("vol1", nodes_[0], R"({"bogus":true})").ok());
  EXPECT_FALSE(
      admin_->SetDrbdState("vol1", nodes_[0], R"({"disconnected_peers":["nowhere"]})").ok());
  EXPECT_FALSE(admin_->SetDrbdState("nope", nodes_[0], R"({})").ok());
  EXPECT_FALSE(admin_->SetDrbdState("vol1", "nope", R"({})").ok());
  // The tiebreaker is diskless: it has no disk to be Outdated.
  Json view = View();
  for (auto r : view.root().get_array()) {
    std::string node(r["node_name"].get_string().value());
    if (node == nodes_[0] || node == nodes_[1]) continue;
    EXPECT_FALSE(admin_->SetDrbdState("vol1", node, R"({"disk_state":"Outdated"})").ok());
  }
}

}  // namespace
}  // namespace lcsi::sim::testing
