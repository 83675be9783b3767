// The linstor-csi-controller binary against linstor-sim: flags and LS_* configuration, Probe and
// /healthz following LINSTOR's reachability while /livez does not, a volume round trip, LINSTOR
// request metrics on /metrics, and a clean SIGTERM shutdown.
#include <arpa/inet.h>
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>

#include "controller/controller_integration_fixture.h"
#include "test/integration/test_process.h"

namespace lcsi::controller::testing {
namespace {

using namespace std::chrono_literals;

int FreePort() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
  socklen_t len = sizeof(addr);
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

bool ProbeReady(csi::v1::Identity::Stub* identity) {
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + 10s);
  csi::v1::ProbeResponse resp;
  return identity->Probe(&ctx, {}, &resp).ok() && resp.ready().value();
}

TEST(ControllerBinaryTest, ServesAgainstLinstorSim) {
  TempDir dir;
  const std::string cluster = dir.path() + "/cluster.json";
  std::ofstream(cluster) << kClusterJson;
  sim::ScopedSimOptions so;
  so.cluster_file = cluster;
  auto sim = std::make_unique<sim::ScopedSimServer>(so);
  ASSERT_TRUE(sim->status().ok()) << sim->status().ToString();

  const std::string socket = dir.path() + "/csi.sock";
  const int http_port = FreePort();
  // The flag wins over LS_CONTROLLERS, which points nowhere.
  lcsi::testing::TestProcess proc(
      {LCSI_CONTROLLER_BIN, "--endpoint", "unix://" + socket, "--linstor-controllers", sim->url(),
       "--owner-id", "bin-owner", "--http-address", "127.0.0.1:" + std::to_string(http_port)},
      dir.path() + "/log", {"LS_CONTROLLERS=http://127.0.0.1:1"});
  ASSERT_TRUE(lcsi::testing::WaitFor(
      [&] { return std::filesystem::exists(socket) || !proc.running(); }, 10s))
      << proc.Output();
  ASSERT_TRUE(proc.running()) << proc.Output();

  auto channel = grpc::CreateChannel("unix:" + socket, grpc::InsecureChannelCredentials());
  auto identity = csi::v1::Identity::NewStub(channel);
  auto controller = csi::v1::Controller::NewStub(channel);
  EXPECT_TRUE(ProbeReady(identity.get())) << proc.Output();

  {
    grpc::ClientContext ctx;
    csi::v1::CreateVolumeResponse resp;
    grpc::Status s = controller->CreateVolume(&ctx, CreateReq("pvc-bin", kMiB), &resp);
    ASSERT_TRUE(s.ok()) << s.error_message();
  }
  linstor::ClientConfig config;
  config.controllers = {sim->url()};
  auto client = linstor::HttpLinstorClient::Create(config);
  ASSERT_TRUE(client.ok());
  auto rd = (*client)->GetResourceDefinition("pvc-bin");
  ASSERT_TRUE(rd.ok());
  EXPECT_EQ(rd->props.at("Aux/csi-owner"), "bin-owner");

  httplib::Client http("127.0.0.1", http_port);
  auto metrics = http.Get("/metrics");
  ASSERT_TRUE(metrics);
  EXPECT_NE(metrics->body.find("lcsi_linstor_requests_total{method=\"POST\",endpoint=\"/v1/"
                               "resource-groups/{resource_group}/spawn\""),
            std::string::npos)
      << metrics->body;
  auto healthy = http.Get("/healthz");
  ASSERT_TRUE(healthy);
  EXPECT_EQ(healthy->status, 200) << healthy->body;

  // LINSTOR goes away: Probe turns not-ready (its answer is cached for about a second).
  sim.reset();
  EXPECT_TRUE(lcsi::testing::WaitFor([&] { return !ProbeReady(identity.get()); }, 5s));
  auto unhealthy = http.Get("/healthz");
  ASSERT_TRUE(unhealthy);
  EXPECT_EQ(unhealthy->status, 503) << "healthz follows LINSTOR reachability";
  EXPECT_NE(unhealthy->body.find("LINSTOR"), std::string::npos) << unhealthy->body;
  // The liveness probe's endpoint: the process still serves, so kubelet must not restart it.
  auto live = http.Get("/livez");
  ASSERT_TRUE(live);
  EXPECT_EQ(live->status, 200) << "livez must not follow LINSTOR: " << live->body;
  {
    grpc::ClientContext ctx;
    csi::v1::DeleteVolumeRequest del;
    del.set_volume_id("pvc-bin");
    csi::v1::DeleteVolumeResponse resp;
    EXPECT_EQ(controller->DeleteVolume(&ctx, del, &resp).error_code(),
              grpc::StatusCode::UNAVAILABLE);
  }
  proc.Signal(SIGTERM);
  auto code = proc.Wait(15s);
  ASSERT_TRUE(code.has_value());
  EXPECT_EQ(*code, 0) << proc.Output();
  EXPECT_FALSE(std::filesystem::exists(socket));
}

TEST(ControllerBinaryTest, BadFlagsExitWithStatusTwo) {
  TempDir dir;
  lcsi::testing::TestProcess proc({LCSI_CONTROLLER_BIN, "--endpoint",
                                   "unix://" + dir.path() + "/csi.sock", "--worker-threads", "0"},
                                  dir.path() + "/log");
  auto code = proc.Wait(10s);
  ASSERT_TRUE(code.has_value());
  EXPECT_EQ(*code, 2) << proc.Output();
  EXPECT_NE(proc.Output().find("worker-threads"), std::string::npos) << proc.Output();
}

}  // namespace
}  // namespace lcsi::controller::testing
