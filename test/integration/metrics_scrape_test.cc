// Scrapes /metrics, /livez and /healthz of the real binaries over HTTP while they serve CSI calls.
#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>
#include <httplib.h>
#include <signal.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>

#include "csi/csi.grpc.pb.h"
#include "test/integration/test_process.h"

namespace lcsi::testing {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

TEST(MetricsScrape, CountsRpcsByMethodAndCodeAndServesHealth) {
  std::string dir = MakeTempDir("lcsi-metrics");
  std::string socket = dir + "/csi.sock";
  TestProcess proc(
      {LCSI_NODE_BIN, "--endpoint", "unix://" + socket, "--http-address", "127.0.0.1:0"},
      dir + "/log", {"LS_CONTROLLERS=http://127.0.0.1:1", "KUBE_NODE_NAME=metrics-node"});
  int port = 0;
  ASSERT_TRUE(
      WaitFor([&] { return (port = LoggedHttpPort(proc.Output())) > 0 || !proc.running(); }, 10s))
      << proc.Output();
  ASSERT_TRUE(proc.running()) << proc.Output();
  ASSERT_TRUE(fs::exists(socket)) << proc.Output();
  auto identity = csi::v1::Identity::NewStub(
      grpc::CreateChannel("unix:" + socket, grpc::InsecureChannelCredentials()));
  for (int i = 0; i < 3; ++i) {
    grpc::ClientContext ctx;
    ctx.set_deadline(std::chrono::system_clock::now() + 10s);
    csi::v1::GetPluginInfoResponse info;
    grpc::Status s = identity->GetPluginInfo(&ctx, {}, &info);
    ASSERT_TRUE(s.ok()) << s.error_message() << "\n" << proc.Output();
  }
  httplib::Client http("127.0.0.1", port);
  std::string body;
  int status = 0;
  ASSERT_TRUE(WaitFor(
      [&] {
        auto r = http.Get("/metrics");
        if (!r) return false;
        status = r->status;
        body = r->body;
        return true;
      },
      5s));
  EXPECT_EQ(status, 200);
  EXPECT_NE(body.find("lcsi_rpc_total{method=\"GetPluginInfo\",code=\"OK\"} 3"), std::string::npos)
      << body;
  EXPECT_NE(body.find("lcsi_rpc_duration_seconds_count{method=\"GetPluginInfo\"} 3"),
            std::string::npos);
  EXPECT_NE(body.find("lcsi_build_info{version=\"" LCSI_VERSION "\""), std::string::npos);
  EXPECT_NE(body.find("component=\"node\""), std::string::npos);
  EXPECT_NE(body.find("# TYPE lcsi_inflight_operations gauge"), std::string::npos);
  auto health = http.Get("/healthz");
  ASSERT_TRUE(health);
  EXPECT_TRUE(health->status == 200 || health->status == 503);
  // LS_CONTROLLERS points nowhere: /livez still says the process serves.
  auto live = http.Get("/livez");
  ASSERT_TRUE(live);
  EXPECT_EQ(live->status, 200) << live->body;
  EXPECT_EQ(live->body, "ok\n");
  proc.Signal(SIGTERM);
  EXPECT_EQ(proc.Wait(15s), 0) << proc.Output();
  fs::remove_all(dir);
}

}  // namespace
}  // namespace lcsi::testing
