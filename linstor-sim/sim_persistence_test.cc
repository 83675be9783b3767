// State persistence: the state file survives graceful restarts and (once flushed) SIGKILL;
// SimProcess restarts on the same port and data dir.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <thread>

#include "linstor-sim/sim_test_util.h"
#include "linstor-sim/state_persister.h"

namespace lcsi::sim::testing {
namespace {

void Populate(SimHttp& http) {
  ASSERT_EQ(http.Post("/v1/resource-groups", R"({"name":"rg1","select_filter":{"place_count":2}})")
                .status,
            201);
  ASSERT_EQ(http.Put("/v1/resource-groups/rg1", R"({"override_props":{"Aux/k":"v"}})").status, 200);
  for (const char* rd : {"vol1", "vol2"}) {
    ASSERT_EQ(http.Post("/v1/resource-groups/rg1/spawn",
                        std::string(R"({"resource_definition_name":")") + rd +
                            R"(","volume_sizes":[2048],"resource_definition_props":{"Aux/x":"y"}})")
                  .status,
              201);
  }
  ASSERT_EQ(http.Post("/v1/resource-definitions/vol1/snapshots", R"({"name":"s1"})").status, 201);
}

// Report timestamps differ between answers.
std::string WithoutTimestamps(const std::string& body) {
  static const std::regex kCreatedAt(R"("created_at":"[^"]*")");
  return std::regex_replace(body, kCreatedAt, "");
}

void ExpectPopulated(SimHttp& http, const std::string& resources_before,
                     const std::string& pools_before) {
  Json rg(http.Get("/v1/resource-groups/rg1").body);
  EXPECT_EQ(std::string(rg.root()["props"]["Aux/k"].get_string().value()), "v");
  EXPECT_EQ(Field(http.Get("/v1/resource-definitions?props=Aux/x=y").body, "name"),
            (std::vector<std::string>{"vol1", "vol2"}));
  EXPECT_EQ(ArraySize(http.Get("/v1/view/snapshots").body), 1u);
  EXPECT_EQ(http.Get("/v1/view/resources").body, resources_before);
  EXPECT_EQ(WithoutTimestamps(http.Get("/v1/view/storage-pools").body),
            WithoutTimestamps(pools_before));
}

TEST(PersistenceTest, GracefulRestartKeepsEverything) {
  auto sim = SimProcess::Start();
  ASSERT_TRUE(sim.ok()) << sim.status().ToString();
  SimHttp http((*sim)->url());
  Populate(http);
  SimAdminClient admin((*sim)->url());
  ASSERT_TRUE(admin.SetNodeOnline("sat-charlie", false).ok());
  const std::string resources = http.Get("/v1/view/resources").body;
  const std::string pools = http.Get("/v1/view/storage-pools").body;
  const int port = (*sim)->port();

  ASSERT_TRUE((*sim)->Restart().ok());
  EXPECT_EQ((*sim)->port(), port);
  ExpectPopulated(http, resources, pools);
  Json n(http.Get("/v1/nodes/sat-charlie").body);
  EXPECT_EQ(std::string(n.root()["connection_status"].get_string().value()), "OFFLINE");

  // New objects after the restart do not collide with old UUIDs, minors or ports.
  ASSERT_EQ(http.Post("/v1/resource-groups/rg1/spawn",
                      R"({"resource_definition_name":"vol3","volume_sizes":[1]})")
                .status,
            201);
  std::set<std::string> minors;
  Json all(http.Get("/v1/resource-definitions?with_volume_definitions=true").body);
  std::set<std::string> uuids;
  for (auto rd : all.root().get_array()) {
    EXPECT_TRUE(uuids.insert(std::string(rd["uuid"].get_string().value())).second);
    for (auto vd : rd["volume_definitions"].get_array()) {
      EXPECT_TRUE(uuids.insert(std::string(vd["uuid"].get_string().value())).second);
      EXPECT_TRUE(
          minors
              .insert(std::to_string(
                  vd["layer_data"].get_array().at(0)["data"]["minor_number"].get_int64().value()))
              .second);
    }
  }
}

TEST(PersistenceTest, SigkillAfterFlushKeepsState) {
  auto sim = SimProcess::Start();
  ASSERT_TRUE(sim.ok()) << sim.status().ToString();
  SimHttp http((*sim)->url());
  Populate(http);
  const std::string resources = http.Get("/v1/view/resources").body;
  const std::string pools = http.Get("/v1/view/storage-pools").body;
  ASSERT_TRUE(SimAdminClient((*sim)->url()).Flush().ok());
  ASSERT_TRUE((*sim)->Kill().ok());
  EXPECT_FALSE((*sim)->running());
  EXPECT_EQ(http.Get("/v1/nodes").status, 0) << "nothing answers while it is down";
  ASSERT_TRUE((*sim)->Restart().ok());
  ExpectPopulated(http, resources, pools);
}

// Restart() binds the port it had again; one below the kernel's ephemeral range (32768-60999 by
// default) cannot be taken meanwhile by another test's outgoing connection.
TEST(PersistenceTest, RestartGetsItsPortBackFromBelowTheEphemeralRange) {
  auto sim = SimProcess::Start();
  ASSERT_TRUE(sim.ok()) << sim.status().ToString();
  const int port = (*sim)->port();
  EXPECT_GE(port, 20000);
  EXPECT_LT(port, 32768);
  ASSERT_TRUE((*sim)->Kill().ok());
  ASSERT_TRUE((*sim)->Restart().ok());
  EXPECT_EQ((*sim)->port(), port);
  EXPECT_EQ(SimHttp((*sim)->url()).Get("/v1/controller/version").status, 200);
}

TEST(PersistenceTest, CoalescedWriterPersistsWithoutFlush) {
  auto sim = SimProcess::Start();
  ASSERT_TRUE(sim.ok()) << sim.status().ToString();
  SimHttp http((*sim)->url());
  ASSERT_EQ(http.Post("/v1/resource-groups", R"({"name":"rg-late"})").status, 201);
  // The writer runs within the persist interval (50 ms for SimProcess).
  const std::string state_file = (*sim)->data_dir() + "/state.json";
  bool written = false;
  for (int i = 0; i < 200 && !written; ++i) {
    std::ifstream in(state_file);
    std::string s((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    written = s.find("rg-late") != std::string::npos;
    if (!written) std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_TRUE(written);
  ASSERT_TRUE((*sim)->Kill().ok());
  ASSERT_TRUE((*sim)->Restart().ok());
  EXPECT_EQ(http.Get("/v1/resource-groups/rg-late").status, 200);
}

TEST(PersistenceTest, InProcessServerWithDataDir) {
  std::string dir;
  std::string resources;
  {
    ScopedSimOptions o;
    o.temp_data_dir = true;
    ScopedSimServer sim(o);
    ASSERT_TRUE(sim.status().ok()) << sim.status().ToString();
    dir = sim.data_dir();
    SimHttp http(sim.url());
    Populate(http);
    sim.server().Stop();
    EXPECT_TRUE(std::filesystem::exists(dir + "/state.json"));
    EXPECT_FALSE(std::filesystem::exists(dir + "/state.json.tmp"));
  }
  EXPECT_FALSE(std::filesystem::exists(dir)) << "the temporary data dir is removed";
}

TEST(PersistenceTest, CorruptStateFileFailsStart) {
  std::string templ = (std::filesystem::temp_directory_path() / "lcsi-corrupt-XXXXXX").string();
  ASSERT_NE(::mkdtemp(templ.data()), nullptr);
  { std::ofstream(templ + "/state.json") << "{not json"; }
  SimOptions o;
  o.listen = "127.0.0.1:0";
  o.data_dir = templ;
  SimServer server(o);
  EXPECT_FALSE(server.Start().ok());
  server.Stop();
  std::filesystem::remove_all(templ);
}

}  // namespace
}  // namespace lcsi::sim::testing
