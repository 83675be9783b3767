// Runs the real csictl binary against a small in-test CSI server on a unix socket.
#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <grpcpp/grpcpp.h>
#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <mutex>
#include <thread>

#include "csi/csi.grpc.pb.h"

namespace lcsi::csictl {
namespace {

namespace v1 = ::csi::v1;

class FakeIdentity final : public v1::Identity::Service {
 public:
  grpc::Status GetPluginInfo(grpc::ServerContext*, const v1::GetPluginInfoRequest*,
                             v1::GetPluginInfoResponse* response) override {
    response->set_name("fake.csi.test");
    response->set_vendor_version("9.9.9");
    return grpc::Status::OK;
  }
  grpc::Status Probe(grpc::ServerContext*, const v1::ProbeRequest*,
                     v1::ProbeResponse* response) override {
    response->mutable_ready()->set_value(true);
    return grpc::Status::OK;
  }
};

class FakeController final : public v1::Controller::Service {
 public:
  grpc::Status CreateVolume(grpc::ServerContext*, const v1::CreateVolumeRequest* request,
                            v1::CreateVolumeResponse* response) override {
    {
      std::lock_guard lock(mu_);
      last_create_ = *request;
    }
    if (request->name() == "taken") {
      return {grpc::StatusCode::ALREADY_EXISTS, "volume taken exists with another size"};
    }
    auto* volume = response->mutable_volume();
    volume->set_volume_id("vol-" + request->name());
    volume->set_capacity_bytes(request->capacity_range().required_bytes());
    (*volume->mutable_volume_context())["storagePool"] = request->parameters().at("storagePool");
    return grpc::Status::OK;
  }
  grpc::Status DeleteVolume(grpc::ServerContext*, const v1::DeleteVolumeRequest* request,
                            v1::DeleteVolumeResponse*) override {
    if (request->volume_id() == "missing") {
      return {grpc::StatusCode::NOT_FOUND, "volume missing does not exist"};
    }
    return grpc::Status::OK;
  }
  grpc::Status GetCapacity(grpc::ServerContext* context, const v1::GetCapacityRequest*,
                           v1::GetCapacityResponse* response) override {
    // Slow on purpose: the deadline test gives up long before this returns.
    for (int i = 0; i < 50 && !context->IsCancelled(); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    response->set_available_capacity(1);
    return grpc::Status::OK;
  }

  v1::CreateVolumeRequest LastCreate() {
    std::lock_guard lock(mu_);
    return last_create_;
  }

 private:
  std::mutex mu_;
  v1::CreateVolumeRequest last_create_;
};

struct RunResult {
  int exit_code = -1;
  std::string out;
  std::string err;
};

std::string ReadAll(int fd) {
  std::string data;
  char buf[4096];
  ssize_t n;
  while ((n = read(fd, buf, sizeof buf)) > 0) data.append(buf, static_cast<size_t>(n));
  return data;
}

// Runs csictl with args; stdout and stderr go to temp files to avoid pipe deadlocks.
// Runs csictl without the test's CSI_ENDPOINT, with `env` ("NAME=value") added.
RunResult RunCsictl(const std::filesystem::path& dir, std::vector<std::string> args,
                    std::vector<std::string> env = {}) {
  const std::string out_path = (dir / "stdout").string();
  const std::string err_path = (dir / "stderr").string();
  // Everything the child needs is prepared before fork(): the gRPC server's threads may hold
  // the allocator's lock, so the child only calls open/dup2/execve.
  std::string binary = CSICTL_BINARY;
  std::vector<char*> argv;
  argv.push_back(binary.data());
  for (auto& arg : args) argv.push_back(arg.data());
  argv.push_back(nullptr);
  std::vector<char*> envp;
  for (char** e = environ; *e != nullptr; ++e) {
    if (std::string_view(*e).rfind("CSI_ENDPOINT=", 0) != 0) envp.push_back(*e);
  }
  for (auto& var : env) envp.push_back(var.data());
  envp.push_back(nullptr);
  pid_t pid = fork();
  if (pid == 0) {
    int out = open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    int err = open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
    dup2(out, 1);
    dup2(err, 2);
    execve(binary.c_str(), argv.data(), envp.data());
    _exit(127);
  }
  RunResult result;
  int status = 0;
  waitpid(pid, &status, 0);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  int out = open(out_path.c_str(), O_RDONLY);
  int err = open(err_path.c_str(), O_RDONLY);
  result.out = ReadAll(out);
  result.err = ReadAll(err);
  close(out);
  close(err);
  return result;
}

class CsictlIntegrationTest : public testing::Test {
 protected:
  void SetUp() override {
    char pattern[] = "/tmp/csictl-test-XXXXXX";
    ASSERT_NE(mkdtemp(pattern), nullptr);
    dir_ = pattern;
    endpoint_ = "unix://" + (dir_ / "csi.sock").string();
    grpc::ServerBuilder builder;
    builder.AddListeningPort(endpoint_, grpc::InsecureServerCredentials());
    builder.RegisterService(&identity_);
    builder.RegisterService(&controller_);
    server_ = builder.BuildAndStart();
    ASSERT_NE(server_, nullptr);
  }
  void TearDown() override {
    if (server_) server_->Shutdown(std::chrono::system_clock::now() + std::chrono::seconds(1));
    std::error_code ignored;
    std::filesystem::remove_all(dir_, ignored);
  }

  RunResult Run(std::vector<std::string> args) {
    args.insert(args.begin(), {"--endpoint", endpoint_});
    return RunCsictl(dir_, std::move(args));
  }

  std::filesystem::path dir_;
  std::string endpoint_;
  FakeIdentity identity_;
  FakeController controller_;
  std::unique_ptr<grpc::Server> server_;
};

TEST_F(CsictlIntegrationTest, GetPluginInfoReadable) {
  auto r = Run({"identity", "get-plugin-info"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "name: fake.csi.test\nvendor_version: 9.9.9\n");
  EXPECT_EQ(r.err, "");
}

TEST_F(CsictlIntegrationTest, ProbeJsonAndBareSocketPath) {
  auto r =
      RunCsictl(dir_, {"--json", "--endpoint", (dir_ / "csi.sock").string(), "identity", "probe"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("\"ready\": true"), std::string::npos) << r.out;
}

TEST_F(CsictlIntegrationTest, CreateVolumeSendsFlagsAndPrintsVolume) {
  auto r = Run({"controller", "create-volume", "--name", "pvc-1", "--size", "1Gi", "--param",
                "storagePool=pool1", "--fs-type", "xfs", "--secret", "password=hunter2"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out,
            "volume.capacity_bytes: 1073741824 (1 GiB)\n"
            "volume.volume_id: vol-pvc-1\n"
            "volume.volume_context.storagePool: pool1\n");
  EXPECT_EQ(r.out.find("hunter2"), std::string::npos);
  auto sent = controller_.LastCreate();
  EXPECT_EQ(sent.name(), "pvc-1");
  EXPECT_EQ(sent.capacity_range().required_bytes(), 1073741824);
  EXPECT_EQ(sent.volume_capabilities(0).mount().fs_type(), "xfs");
  EXPECT_EQ(sent.secrets().at("password"), "hunter2");
}

TEST_F(CsictlIntegrationTest, GlobalFlagsAfterCommandAndJsonOutput) {
  auto r =
      Run({"controller", "create-volume", "--name", "pvc-2", "--param", "storagePool=p", "--json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("\"volume_id\": \"vol-pvc-2\""), std::string::npos) << r.out;
}

TEST_F(CsictlIntegrationTest, GlobalBoolFlagsTakeExplicitValues) {
  auto r = Run({"identity", "probe", "--json=false", "--wait=true"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(r.out, "ready: true\n");
  auto bad = Run({"identity", "probe", "--json=perhaps"});
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_EQ(
      bad.err,
      "error: --json: expected true or false, got 'perhaps'\nRun 'csictl --help' for usage.\n");
}

TEST_F(CsictlIntegrationTest, EndpointFromEnvironmentUnlessEmpty) {
  const std::string socket = "unix://" + (dir_ / "csi.sock").string();
  auto from_env = RunCsictl(dir_, {"identity", "probe"}, {"CSI_ENDPOINT=" + socket});
  EXPECT_EQ(from_env.exit_code, 0) << from_env.err;
  // The flag wins over the environment.
  auto flag_wins = RunCsictl(dir_, {"--endpoint", socket, "--timeout", "2s", "identity", "probe"},
                             {"CSI_ENDPOINT=unix:///nonexistent/csi.sock"});
  EXPECT_EQ(flag_wins.exit_code, 0) << flag_wins.err;
  // An empty CSI_ENDPOINT is unset: the default unix:///csi/csi.sock is tried.
  auto empty = RunCsictl(dir_, {"--timeout", "2s", "identity", "probe"}, {"CSI_ENDPOINT="});
  EXPECT_EQ(empty.exit_code, 10 + static_cast<int>(grpc::StatusCode::UNAVAILABLE));
  EXPECT_NE(empty.err.find("/csi/csi.sock"), std::string::npos) << empty.err;
}

TEST_F(CsictlIntegrationTest, RpcErrorsNameTheCodeAndExitDistinctly) {
  auto not_found = Run({"controller", "delete-volume", "--volume-id", "missing"});
  EXPECT_EQ(not_found.exit_code, 10 + static_cast<int>(grpc::StatusCode::NOT_FOUND));
  EXPECT_EQ(not_found.err, "error: NotFound: volume missing does not exist\n");
  EXPECT_EQ(not_found.out, "");

  auto exists = Run({"controller", "create-volume", "--name", "taken"});
  EXPECT_EQ(exists.exit_code, 10 + static_cast<int>(grpc::StatusCode::ALREADY_EXISTS));
  EXPECT_EQ(exists.err, "error: AlreadyExists: volume taken exists with another size\n");

  auto ok = Run({"controller", "delete-volume", "--volume-id", "present"});
  EXPECT_EQ(ok.exit_code, 0) << ok.err;
  EXPECT_EQ(ok.out, "OK\n");
}

TEST_F(CsictlIntegrationTest, UnimplementedRpc) {
  auto r = Run({"node", "get-info"});
  EXPECT_EQ(r.exit_code, 10 + static_cast<int>(grpc::StatusCode::UNIMPLEMENTED));
  EXPECT_NE(r.err.find("error: Unimplemented"), std::string::npos) << r.err;
}

TEST_F(CsictlIntegrationTest, TimeoutGivesDeadlineExceeded) {
  auto r = Run({"--timeout", "200ms", "controller", "get-capacity"});
  EXPECT_EQ(r.exit_code, 10 + static_cast<int>(grpc::StatusCode::DEADLINE_EXCEEDED));
  EXPECT_NE(r.err.find("error: DeadlineExceeded"), std::string::npos) << r.err;
}

TEST_F(CsictlIntegrationTest, UnreachableSocketIsUnavailable) {
  auto r = RunCsictl(dir_, {"--endpoint", "unix://" + (dir_ / "nobody.sock").string(), "--timeout",
                            "2s", "identity", "probe"});
  EXPECT_EQ(r.exit_code, 10 + static_cast<int>(grpc::StatusCode::UNAVAILABLE));
  EXPECT_NE(r.err.find("error: Unavailable"), std::string::npos) << r.err;
}

TEST_F(CsictlIntegrationTest, UsageErrorsExitTwoWithoutCalling) {
  auto missing = Run({"controller", "create-volume"});
  EXPECT_EQ(missing.exit_code, 2);
  EXPECT_NE(missing.err.find("missing required flag --name"), std::string::npos) << missing.err;

  auto unknown = Run({"controller", "make-coffee"});
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_NE(unknown.err.find("unknown command"), std::string::npos) << unknown.err;

  auto service = Run({"storage", "probe"});
  EXPECT_EQ(service.exit_code, 2);
}

TEST_F(CsictlIntegrationTest, HelpPerCommand) {
  auto r = Run({"node", "stage", "--help"});
  EXPECT_EQ(r.exit_code, 0);
  EXPECT_NE(r.out.find("--staging-path PATH"), std::string::npos) << r.out;
  auto top = Run({"--help"});
  EXPECT_EQ(top.exit_code, 0);
  EXPECT_NE(top.out.find("create-group-snapshot"), std::string::npos) << top.out;
}

}  // namespace
}  // namespace lcsi::csictl
