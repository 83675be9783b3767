// The server bootstrap through a real gRPC channel on a unix socket.
#include "csi/server.h"

#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "csi/csi.grpc.pb.h"
#include "csi/identity_service.h"
#include "csi/metrics.h"

#include <thread>

namespace lcsi {
namespace {

namespace fs = std::filesystem;

class TempDir {
 public:
  TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "lcsi-server-XXXXXX").string();
    path_ = mkdtemp(tmpl.data());
  }
  ~TempDir() { fs::remove_all(path_); }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

class EchoController final : public csi::v1::Controller::Service {
 public:
  grpc::Status CreateVolume(grpc::ServerContext*, const csi::v1::CreateVolumeRequest* req,
                            csi::v1::CreateVolumeResponse* resp) override {
    resp->mutable_volume()->set_volume_id(req->name());
    return grpc::Status::OK;
  }
};

class SlowController final : public csi::v1::Controller::Service {
 public:
  grpc::Status DeleteVolume(grpc::ServerContext*, const csi::v1::DeleteVolumeRequest*,
                            csi::v1::DeleteVolumeResponse*) override {
    std::this_thread::sleep_for(std::chrono::milliseconds(400));
    return grpc::Status::OK;
  }
};

template <typename P>
bool WaitUntil(P p) {
  for (int i = 0; i < 500 && !p(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds(2));
  return p();
}

std::shared_ptr<grpc::Channel> Connect(const Endpoint& ep) {
  return grpc::CreateChannel(ep.GrpcUri(), grpc::InsecureChannelCredentials());
}

TEST(CsiServer, ServesIdentityOnUnixSocketWithMode0600AndRemovesSocket) {
  TempDir dir;
  auto ep = ParseEndpoint("unix://" + dir.path() + "/csi.sock");
  ASSERT_TRUE(ep.ok());
  bool ready = false;
  IdentityService identity(
      "test.csi.io", {ServiceCapability(csi::v1::PluginCapability::Service::CONTROLLER_SERVICE)},
      [&ready]() { return ready ? Status::Ok() : Unavailable("not yet"); });
  CsiServer server;
  ASSERT_TRUE(server.Start(*ep, {&identity}).ok());
  struct stat st {};
  ASSERT_EQ(stat(ep->path.c_str(), &st), 0);
  EXPECT_TRUE(S_ISSOCK(st.st_mode));
  EXPECT_EQ(st.st_mode & 0777, 0600u);

  auto stub = csi::v1::Identity::NewStub(Connect(*ep));
  {
    grpc::ClientContext ctx;
    csi::v1::GetPluginInfoResponse info;
    ASSERT_TRUE(stub->GetPluginInfo(&ctx, {}, &info).ok());
    EXPECT_EQ(info.name(), "test.csi.io");
    EXPECT_EQ(info.vendor_version(), LCSI_VERSION);
  }
  {
    grpc::ClientContext ctx;
    csi::v1::ProbeResponse probe;
    ASSERT_TRUE(stub->Probe(&ctx, {}, &probe).ok());
    EXPECT_TRUE(probe.has_ready());
    EXPECT_FALSE(probe.ready().value());
  }
  ready = true;
  {
    grpc::ClientContext ctx;
    csi::v1::ProbeResponse probe;
    ASSERT_TRUE(stub->Probe(&ctx, {}, &probe).ok());
    EXPECT_TRUE(probe.ready().value());
  }
  {
    // Services not registered answer UNIMPLEMENTED, never a fake success.
    auto node = csi::v1::Node::NewStub(Connect(*ep));
    grpc::ClientContext ctx;
    csi::v1::NodeGetInfoResponse resp;
    EXPECT_EQ(node->NodeGetInfo(&ctx, {}, &resp).error_code(), grpc::StatusCode::UNIMPLEMENTED);
  }
  server.Shutdown(std::chrono::milliseconds(1000));
  EXPECT_FALSE(fs::exists(ep->path));
}

TEST(CsiServer, RemovesStaleSocketButNeverARegularFile) {
  TempDir dir;
  std::string path = dir.path() + "/csi.sock";
  // A stale socket: bound by a process that is gone.
  int fd = socket(AF_UNIX, SOCK_STREAM, 0);
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  std::snprintf(addr.sun_path, sizeof addr.sun_path, "%s", path.c_str());
  ASSERT_EQ(bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  close(fd);
  ASSERT_TRUE(fs::exists(path));
  IdentityService identity("test.csi.io", {}, nullptr);
  auto ep = ParseEndpoint("unix://" + path);
  {
    CsiServer server;
    EXPECT_TRUE(server.Start(*ep, {&identity}).ok());
  }
  EXPECT_FALSE(fs::exists(path));
  std::ofstream(path) << "precious data";
  CsiServer server;
  Status s = server.Start(*ep, {&identity});
  EXPECT_EQ(s.code(), Code::kFailedPrecondition);
  EXPECT_TRUE(fs::exists(path));
}

TEST(CsiServer, ShutdownLetsInFlightRpcsFinishButDoesNotWaitForIdleClients) {
  TempDir dir;
  auto ep = ParseEndpoint("unix://" + dir.path() + "/csi.sock");
  SlowController controller;
  CsiServer server;
  ASSERT_TRUE(server.Start(*ep, {&controller}).ok());
  auto channel = Connect(*ep);  // stays open through the shutdown, like a CO's
  auto stub = csi::v1::Controller::NewStub(channel);
  grpc::Status rpc_status;
  std::thread caller([&] {
    grpc::ClientContext ctx;
    csi::v1::DeleteVolumeRequest req;
    req.set_volume_id("v");
    csi::v1::DeleteVolumeResponse resp;
    rpc_status = stub->DeleteVolume(&ctx, req, &resp);
  });
  ASSERT_TRUE(WaitUntil([] { return Metrics::Global().Inflight() > 0; }));
  auto start = std::chrono::steady_clock::now();
  server.Shutdown(std::chrono::seconds(5));
  auto took = std::chrono::steady_clock::now() - start;
  caller.join();
  EXPECT_TRUE(rpc_status.ok()) << rpc_status.error_message();
  // Bounded by the grace period, not stuck on the idle channel until it ends.
  EXPECT_LT(took, std::chrono::seconds(5));
  EXPECT_FALSE(fs::exists(ep->path));
}

TEST(CsiServer, LogsOneLinePerRpcWithoutSecrets) {
  std::ostringstream captured;
  auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(captured);
  auto previous = spdlog::default_logger();
  auto logger = std::make_shared<spdlog::logger>("capture", sink);
  logger->set_level(spdlog::level::debug);  // the most verbose level that prints requests
  spdlog::set_default_logger(logger);

  TempDir dir;
  auto ep = ParseEndpoint("unix://" + dir.path() + "/csi.sock");
  EchoController controller;
  CsiServer server;
  ASSERT_TRUE(server.Start(*ep, {&controller}).ok());
  auto stub = csi::v1::Controller::NewStub(Connect(*ep));
  csi::v1::CreateVolumeRequest req;
  req.set_name("pvc-logged");
  (*req.mutable_secrets())["csi.storage.k8s.io/password"] = "TOPSECRET-4711";
  (*req.mutable_parameters())["placementCount"] = "3";
  grpc::ClientContext ctx;
  csi::v1::CreateVolumeResponse resp;
  ASSERT_TRUE(stub->CreateVolume(&ctx, req, &resp).ok());
  server.Shutdown(std::chrono::milliseconds(1000));
  spdlog::set_default_logger(previous);

  std::string log = captured.str();
  EXPECT_EQ(log.find("TOPSECRET-4711"), std::string::npos) << log;
  EXPECT_NE(log.find("rpc=CreateVolume subject=pvc-logged"), std::string::npos) << log;
  EXPECT_NE(log.find("code=OK"), std::string::npos) << log;
  EXPECT_NE(log.find("duration_ms="), std::string::npos) << log;
  EXPECT_NE(log.find("placementCount"), std::string::npos) << log;
  size_t lines = 0;
  for (size_t p = log.find("rpc=CreateVolume"); p != std::string::npos;
       p = log.find("rpc=CreateVolume", p + 1)) {
    ++lines;
  }
  EXPECT_EQ(lines, 1u);
}

}  // namespace
}  // namespace lcsi
