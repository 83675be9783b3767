#include "test/conformance/csi_stack.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace lcsi::testing {
namespace {

namespace fs = std::filesystem;
using namespace std::chrono_literals;

std::string ReadAll(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

std::string Tail(const std::string& text, size_t bytes = 4000) {
  return text.size() <= bytes ? text : "..." + text.substr(text.size() - bytes);
}

}  // namespace

std::unique_ptr<grpc::ClientContext> Ctx(std::chrono::milliseconds deadline) {
  auto ctx = std::make_unique<grpc::ClientContext>();
  ctx->set_deadline(std::chrono::system_clock::now() + deadline);
  return ctx;
}

bool WaitProbeReady(csi::v1::Identity::Stub& identity, std::chrono::milliseconds timeout) {
  return WaitFor(
      [&] {
        auto ctx = Ctx(2s);
        csi::v1::ProbeResponse response;
        grpc::Status s = identity.Probe(ctx.get(), {}, &response);
        return s.ok() && (!response.has_ready() || response.ready().value());
      },
      timeout);
}

int FreeLoopbackPort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = 0;
  socklen_t len = sizeof(addr);
  int port = -1;
  if (bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0 &&
      getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len) == 0) {
    port = ntohs(addr.sin_port);
  }
  close(fd);
  return port;
}

Result<std::unique_ptr<CsiStack>> CsiStack::Start(StackOptions options) {
  std::unique_ptr<CsiStack> stack(new CsiStack(std::move(options)));
  stack->dir_ = MakeTempDir(stack->options_.dir_prefix);
  fs::create_directories(stack->kubelet_dir());
  LCSI_RETURN_IF_ERROR(stack->StartSim());
  LCSI_RETURN_IF_ERROR(stack->StartController());
  if (stack->options_.start_node) LCSI_RETURN_IF_ERROR(stack->StartNode());
  return stack;
}

CsiStack::~CsiStack() {
  // Node first (it may hold mounts), then controller, then the sim (which detaches its loop
  // devices on SIGTERM).
  for (auto* proc : {&node_proc_, &controller_proc_, &sim_proc_}) {
    if (*proc && (*proc)->running()) {
      (*proc)->Signal(SIGTERM);
      if (!(*proc)->Wait(20s)) (*proc)->Signal(SIGKILL);
      (*proc)->Wait(10s);
    }
    proc->reset();
  }
  if (getenv("KEEP") == nullptr && !dir_.empty()) {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
}

Status CsiStack::StartSim() {
  int port = FreeLoopbackPort();
  if (port <= 0) return Internal("no free loopback port for linstor-sim");
  sim_url_ = "http://127.0.0.1:" + std::to_string(port);
  fs::create_directories(dir_ + "/sim-data");
  std::vector<std::string> argv = {
      options_.sim_bin, "--listen",         "127.0.0.1:" + std::to_string(port),
      "--data-dir",     dir_ + "/sim-data", "--backing",
      options_.backing, "--seed",           std::to_string(options_.seed)};
  argv.insert(argv.end(), options_.sim_args.begin(), options_.sim_args.end());
  sim_proc_ = std::make_unique<TestProcess>(argv, dir_ + "/sim.log");
  sim_admin_ = std::make_unique<SimAdmin>(sim_url_);
  bool up = WaitFor(
      [&] {
        return !sim_proc_->running() || sim_admin_->Get("/v1/controller/version").status == 200;
      },
      30s);
  if (!up || !sim_proc_->running()) {
    return Unavailable("linstor-sim did not come up:\n" + Tail(SimLog()));
  }
  return Status::Ok();
}

Status CsiStack::StartController() {
  // A fresh socket name per generation: a SIGKILLed server leaves its socket file behind, and
  // the new one must remove it itself (that is part of what is tested), but stubs are per path.
  controller_socket_ = dir_ + "/controller.sock";
  std::vector<std::string> argv = {options_.controller_bin,
                                   "--endpoint",
                                   "unix://" + controller_socket_,
                                   "--driver-name",
                                   options_.driver_name,
                                   "--linstor-controllers",
                                   sim_url_,
                                   "--log-level",
                                   options_.log_level};
  argv.insert(argv.end(), options_.controller_args.begin(), options_.controller_args.end());
  ++controller_generation_;
  controller_proc_ = std::make_unique<TestProcess>(
      argv, dir_ + "/controller." + std::to_string(controller_generation_) + ".log");
  auto channel =
      grpc::CreateChannel("unix:" + controller_socket_, grpc::InsecureChannelCredentials());
  controller_identity_ = csi::v1::Identity::NewStub(channel);
  controller_ = csi::v1::Controller::NewStub(channel);
  group_controller_ = csi::v1::GroupController::NewStub(channel);
  snapshot_metadata_ = csi::v1::SnapshotMetadata::NewStub(channel);
  bool ready = WaitFor(
      [&] { return !controller_proc_->running() || WaitProbeReady(*controller_identity_, 200ms); },
      30s);
  if (!ready || !controller_proc_->running()) {
    return Unavailable("linstor-csi-controller did not become ready:\n" + Tail(ControllerLog()));
  }
  return Status::Ok();
}

Status CsiStack::StartNode() {
  node_socket_ = dir_ + "/node.sock";
  std::string map_file = dir_ + "/satellite-map";
  std::ofstream(map_file) << "# CO node name -> LINSTOR satellite\n"
                          << "some-other-node.example.com sat-bravo\n"
                          << options_.co_node_name << " " << options_.satellite << "\n";
  std::vector<std::string> argv = {options_.node_bin,
                                   "--endpoint",
                                   "unix://" + node_socket_,
                                   "--driver-name",
                                   options_.driver_name,
                                   "--linstor-controllers",
                                   sim_url_,
                                   "--node-name",
                                   options_.co_node_name,
                                   "--satellite-map",
                                   map_file,
                                   "--allowed-path-prefix",
                                   kubelet_dir(),
                                   "--device-wait-timeout",
                                   "10s",
                                   "--log-level",
                                   options_.log_level};
  argv.insert(argv.end(), options_.node_args.begin(), options_.node_args.end());
  node_proc_ = std::make_unique<TestProcess>(argv, dir_ + "/node.log");
  auto channel = grpc::CreateChannel("unix:" + node_socket_, grpc::InsecureChannelCredentials());
  node_identity_ = csi::v1::Identity::NewStub(channel);
  node_ = csi::v1::Node::NewStub(channel);
  bool ready = WaitFor(
      [&] { return !node_proc_->running() || WaitProbeReady(*node_identity_, 200ms); }, 30s);
  if (!ready || !node_proc_->running()) {
    return Unavailable("linstor-csi-node did not become ready:\n" + Tail(NodeLog()));
  }
  return Status::Ok();
}

Status CsiStack::KillAndRestartController() {
  if (controller_proc_) {
    controller_proc_->Signal(SIGKILL);
    controller_proc_->Wait(10s);
  }
  return StartController();
}

Status CsiStack::RestartController() {
  if (controller_proc_) {
    controller_proc_->Signal(SIGTERM);
    if (!controller_proc_->Wait(20s)) return Internal("controller ignored SIGTERM");
  }
  return StartController();
}

std::string CsiStack::ControllerLog() const {
  return ReadAll(dir_ + "/controller." + std::to_string(controller_generation_) + ".log");
}
std::string CsiStack::NodeLog() const { return ReadAll(dir_ + "/node.log"); }
std::string CsiStack::SimLog() const { return ReadAll(dir_ + "/sim.log"); }

}  // namespace lcsi::testing
