#include "test/e2e/e2e_stack.h"

#include <signal.h>
#include <sys/mount.h>
#include <sys/stat.h>

#include <fstream>

#include "nodeplugin/path_policy.h"

namespace lcsi::e2e {
namespace {

using namespace std::chrono_literals;

// Two satellites in different zones; node names deliberately unlike any host name.
constexpr const char* kClusterJson = R"({"nodes": [
  {"name": "sat-alpha", "props": {"Aux/topology/zone": "zone-a",
                                  "Aux/topology/topology.kubernetes.io/region": "eu-1"},
   "pools": [{"name": "pool1", "provider_kind": "LVM_THIN", "capacity_kib": 10485760}]},
  {"name": "sat-bravo", "props": {"Aux/topology/zone": "zone-b"},
   "pools": [{"name": "pool1", "provider_kind": "LVM_THIN", "capacity_kib": 10485760}]}
]})";

bool ProbeReady(csi::v1::Identity::Stub& stub) {
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + 500ms);
  csi::v1::ProbeResponse resp;
  grpc::Status s = stub.Probe(&ctx, csi::v1::ProbeRequest(), &resp);
  return s.ok() && (!resp.has_ready() || resp.ready().value());
}

bool ProbeAnswers(csi::v1::Identity::Stub& stub) {
  grpc::ClientContext ctx;
  ctx.set_deadline(std::chrono::system_clock::now() + 500ms);
  csi::v1::ProbeResponse resp;
  return stub.Probe(&ctx, csi::v1::ProbeRequest(), &resp).ok();
}

std::string ReadAll(const std::string& path) { return node::testing::ReadFile(path); }

bool Exists(const std::string& path) {
  struct stat st;
  return ::stat(path.c_str(), &st) == 0;
}

}  // namespace

std::unique_ptr<grpc::ClientContext> Ctx(std::chrono::seconds deadline) {
  auto ctx = std::make_unique<grpc::ClientContext>();
  ctx->set_deadline(std::chrono::system_clock::now() + deadline);
  return ctx;
}

std::string Tail(const std::string& text, size_t lines) {
  size_t pos = text.size();
  for (size_t n = 0; n <= lines && pos > 0; ++n) {
    pos = text.rfind('\n', pos - 1);
    if (pos == std::string::npos) return text;
  }
  return text.substr(pos + 1);
}

E2eStack::E2eStack(StackOptions options)
    : options_(std::move(options)), dir_("lcsi-e2e"), kubelet_dir_(dir_.Sub("kubelet")) {}

E2eStack::~E2eStack() {
  // Node first (it may hold mounts), then the controller, then the simulator (its destructor
  // detaches its loop devices); TempDir detaches whatever mount is left.
  for (auto* proc : {&node_proc_, &controller_proc_}) {
    if (*proc && (*proc)->running()) {
      (*proc)->Signal(SIGTERM);
      if (!(*proc)->Wait(20s)) (*proc)->Signal(SIGKILL);
    }
    proc->reset();
  }
  for (const auto& mount : LeftoverMounts()) {
    ::umount2(mount.c_str(), MNT_DETACH);
  }
  sim_.reset();
}

Status E2eStack::Start() {
  if (dir_.path().empty()) return Internal("mkdtemp failed");
  ::mkdir(kubelet_dir_.c_str(), 0750);
  std::string cluster_file = dir_.Sub("cluster.json");
  if (!node::testing::WriteFile(cluster_file, kClusterJson)) return Internal("cluster file");

  sim::SimProcessOptions sim_options;
  sim_options.loop_backing = true;
  sim_options.cluster_file = cluster_file;
  sim_options.log_level = "info";
  auto sim = sim::SimProcess::Start(sim_options);
  if (!sim.ok()) return sim.status().WithContext("linstor-sim");
  sim_ = std::move(sim).value();
  sim_admin_ = std::make_unique<sim::SimAdminClient>(sim_->url());

  if (options_.with_controller) {
    std::string socket = dir_.Sub("controller.sock");
    controller_proc_ = std::make_unique<testing::TestProcess>(
        std::vector<std::string>{LCSI_CONTROLLER_BIN, "--endpoint", "unix://" + socket,
                                 "--driver-name", options_.driver_name, "--linstor-controllers",
                                 sim_->url(), "--log-level", options_.log_level},
        dir_.Sub("controller.log"));
    // Connect only once the socket exists: a first failed connect puts the channel into gRPC's
    // reconnect back-off, which idles the test for seconds.
    testing::WaitFor([&] { return Exists(socket) || !controller_proc_->running(); }, 30s);
    auto channel = grpc::CreateChannel("unix:" + socket, grpc::InsecureChannelCredentials());
    controller_ = csi::v1::Controller::NewStub(channel);
    controller_identity_ = csi::v1::Identity::NewStub(channel);
    bool up = testing::WaitFor(
        [&] { return !controller_proc_->running() || ProbeReady(*controller_identity_); }, 30s);
    if (!up || !controller_proc_->running()) {
      return Unavailable("linstor-csi-controller did not become ready:\n" + Tail(ControllerLog()));
    }
  }

  std::string map_file = dir_.Sub("satellite-map");
  std::string map =
      "# CO node name -> LINSTOR satellite (a ConfigMap key)\n"
      "k8s-worker-2.example.com: sat-bravo\n";
  if (options_.map_this_node) map += options_.co_node_name + ": " + options_.satellite + "\n";
  if (!node::testing::WriteFile(map_file, map)) return Internal("satellite map");
  std::string socket = dir_.Sub("node.sock");
  node_proc_ = std::make_unique<testing::TestProcess>(
      std::vector<std::string>{LCSI_NODE_BIN, "--endpoint", "unix://" + socket, "--driver-name",
                               options_.driver_name, "--linstor-controllers", sim_->url(),
                               "--node-name", options_.co_node_name, "--satellite-map", map_file,
                               "--allowed-path-prefix", kubelet_dir_, "--device-wait-timeout",
                               "10s", "--replica-wait-timeout", options_.replica_wait_timeout,
                               "--log-level", options_.log_level},
      dir_.Sub("node.log"));
  testing::WaitFor([&] { return Exists(socket) || !node_proc_->running(); }, 30s);
  auto channel = grpc::CreateChannel("unix:" + socket, grpc::InsecureChannelCredentials());
  node_ = csi::v1::Node::NewStub(channel);
  node_identity_ = csi::v1::Identity::NewStub(channel);
  bool up = testing::WaitFor(
      [&] { return !node_proc_->running() || ProbeAnswers(*node_identity_); }, 30s);
  if (!up || !node_proc_->running()) {
    return Unavailable("linstor-csi-node did not start:\n" + Tail(NodeLog()));
  }
  return Status::Ok();
}

bool E2eStack::WaitNodeReady(std::chrono::milliseconds timeout) {
  return testing::WaitFor([&] { return ProbeReady(*node_identity_); }, timeout);
}

std::string E2eStack::StagingPath(const std::string& volume_id) const {
  return kubelet_dir_ + "/plugins/kubernetes.io/csi/" + options_.driver_name + "/" + volume_id +
         "/globalmount";
}

std::string E2eStack::TargetPath(const std::string& volume_id, const std::string& pod) const {
  return kubelet_dir_ + "/pods/" + pod + "/volumes/kubernetes.io~csi/" + volume_id + "/mount";
}

std::string E2eStack::NodeLog() const { return ReadAll(dir_.Sub("node.log")); }
std::string E2eStack::ControllerLog() const { return ReadAll(dir_.Sub("controller.log")); }

std::vector<std::string> E2eStack::LeftoverMounts() const {
  return node::testing::MountsUnder(kubelet_dir_);
}

std::vector<std::string> E2eStack::LeftoverLoopDevices() const {
  std::vector<std::string> leftovers;
  if (!sim_) return leftovers;
  // /sys/block/loopN/loop/backing_file names each attached loop device's file.
  for (int n = 0; n < 1024; ++n) {
    std::string base = "/sys/block/loop" + std::to_string(n);
    struct stat st;
    if (::stat(base.c_str(), &st) != 0) continue;
    std::string backing = ReadAll(base + "/loop/backing_file");
    while (!backing.empty() && backing.back() == '\n') backing.pop_back();
    if (!backing.empty() && node::IsUnder(backing, sim_->data_dir())) {
      leftovers.push_back("/dev/loop" + std::to_string(n) + " -> " + backing);
    }
  }
  return leftovers;
}

Result<std::map<std::string, int64_t>> E2eStack::SimObjects() { return sim_admin_->StateSummary(); }

}  // namespace lcsi::e2e
