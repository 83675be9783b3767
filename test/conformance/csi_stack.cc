#include "test/conformance/csi_stack.h"

#include <httplib.h>
#include <signal.h>
#include <sys/stat.h>
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

std::shared_ptr<grpc::Channel> FastReconnectChannel(const std::string& target) {
  // gRPC's default reconnect backoff (1 s growing to 120 s) would stall a client for minutes
  // after a server restart; a CO's sidecars reconnect within a second. The minimum stays large:
  // gRPC also uses it as the connect (handshake) timeout, and a busy 2-core machine can need
  // more than a few hundred ms to answer a handshake.
  grpc::ChannelArguments args;
  args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS, 50);
  args.SetInt(GRPC_ARG_MIN_RECONNECT_BACKOFF_MS, 5000);
  args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS, 500);
  // Its own subchannels: a channel made for a restarted server must not inherit the previous
  // channel's connection attempt through gRPC's global subchannel pool.
  args.SetInt(GRPC_ARG_USE_LOCAL_SUBCHANNEL_POOL, 1);
  return grpc::CreateCustomChannel(target, grpc::InsecureChannelCredentials(), args);
}

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

Result<std::unique_ptr<CsiStack>> CsiStack::Start(StackOptions options) {
  std::unique_ptr<CsiStack> stack(new CsiStack(std::move(options)));
  stack->dir_ = MakeTempDir(stack->options_.dir_prefix);
  fs::create_directories(stack->kubelet_dir());
  stack->controller_socket_ = stack->dir_ + "/controller.sock";
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
  // The sim binds port 0 and reports the port it got: a port chosen here and closed again could
  // be taken by another test's outgoing connection before the sim binds it.
  fs::create_directories(dir_ + "/sim-data");
  const std::string port_file = dir_ + "/sim.port";
  std::vector<std::string> argv = {options_.sim_bin,
                                   "--listen",
                                   "127.0.0.1:0",
                                   "--port-file",
                                   port_file,
                                   "--data-dir",
                                   dir_ + "/sim-data",
                                   "--backing",
                                   options_.backing,
                                   "--seed",
                                   std::to_string(options_.seed)};
  argv.insert(argv.end(), options_.sim_args.begin(), options_.sim_args.end());
  sim_proc_ = std::make_unique<TestProcess>(argv, dir_ + "/sim.log");
  int port = 0;
  bool up = WaitFor(
      [&] {
        std::ifstream in(port_file);
        return !sim_proc_->running() || (static_cast<bool>(in >> port) && port > 0);
      },
      30s);
  if (up && sim_proc_->running()) {
    sim_url_ = "http://127.0.0.1:" + std::to_string(port);
    sim_admin_ = std::make_unique<SimAdmin>(sim_url_);
    up = WaitFor(
        [&] {
          return !sim_proc_->running() || sim_admin_->Get("/v1/controller/version").status == 200;
        },
        30s);
  }
  if (!up || !sim_proc_->running()) {
    return Unavailable("linstor-sim did not come up:\n" + Tail(SimLog()));
  }
  return Status::Ok();
}

// Identity of the socket file at `path` ("" when there is none): inode and change time, since
// a recreated socket may get the freed inode number back.
static std::string SocketInode(const std::string& path) {
  struct stat st {};
  if (stat(path.c_str(), &st) != 0 || !S_ISSOCK(st.st_mode)) return "";
  return std::to_string(st.st_ino) + "@" + std::to_string(st.st_ctim.tv_sec) + "." +
         std::to_string(st.st_ctim.tv_nsec);
}

// Waits for a server to listen on a new socket at `path` (not the inode `stale`), then for
// Probe ready over a channel created only then. (A gRPC channel that starts connecting before
// the server listens can hang in its first handshake until the connect timeout.)
static std::shared_ptr<grpc::Channel> WaitForServer(const std::string& path, std::string stale,
                                                    TestProcess& proc) {
  auto fresh = [&] {
    std::string now = SocketInode(path);
    return !now.empty() && now != stale;
  };
  if (!WaitFor([&] { return !proc.running() || fresh(); }, 30s) || !proc.running()) {
    return nullptr;
  }
  std::shared_ptr<grpc::Channel> channel;
  bool ready = WaitFor(
      [&] {
        if (!proc.running()) return true;
        channel = FastReconnectChannel("unix:" + path);
        return WaitProbeReady(*csi::v1::Identity::NewStub(channel), 1s);
      },
      30s);
  return ready && proc.running() ? channel : nullptr;
}

Status CsiStack::StartController() {
  // One socket path for every generation: a SIGKILLed server leaves its socket file behind and
  // the next one must remove it itself (part of what restarts test).
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
  std::string stale = SocketInode(controller_socket_);
  controller_proc_ = std::make_unique<TestProcess>(
      argv, dir_ + "/controller." + std::to_string(controller_generation_) + ".log");
  auto channel = WaitForServer(controller_socket_, stale, *controller_proc_);
  if (!channel) {
    return Unavailable("linstor-csi-controller did not become ready:\n" + Tail(ControllerLog()));
  }
  auto stubs = std::make_unique<ControllerStubs>();
  stubs->identity = csi::v1::Identity::NewStub(channel);
  stubs->controller = csi::v1::Controller::NewStub(channel);
  stubs->group = csi::v1::GroupController::NewStub(channel);
  stubs->metadata = csi::v1::SnapshotMetadata::NewStub(channel);
  current_ = stubs.get();
  generations_.push_back(std::move(stubs));
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
  if (options_.node_metrics) {
    argv.insert(argv.end(), {"--http-address", "127.0.0.1:0"});
  }
  argv.insert(argv.end(), options_.node_args.begin(), options_.node_args.end());
  std::string stale = SocketInode(node_socket_);
  node_proc_ = std::make_unique<TestProcess>(argv, dir_ + "/node.log");
  auto channel = WaitForServer(node_socket_, stale, *node_proc_);
  if (channel) {
    node_identity_ = csi::v1::Identity::NewStub(channel);
    node_ = csi::v1::Node::NewStub(channel);
  }
  if (!channel) {
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

Result<std::string> CsiStack::NodeMetrics() const {
  int port = LoggedHttpPort(NodeLog());
  if (port == 0) return FailedPrecondition("the node logged no /metrics port (node_metrics off?)");
  httplib::Client http("127.0.0.1", port);
  auto res = http.Get("/metrics");
  if (!res) return Unavailable("GET /metrics from the node: " + httplib::to_string(res.error()));
  if (res->status != 200) return Internal("GET /metrics: HTTP " + std::to_string(res->status));
  return res->body;
}
std::string CsiStack::SimLog() const { return ReadAll(dir_ + "/sim.log"); }

}  // namespace lcsi::testing
