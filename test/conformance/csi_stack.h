// The real stack for black-box suites (conformance, soak, benchmarks): linstor-sim, the
// linstor-csi-controller and linstor-csi-node binaries as child processes, talking over unix
// sockets in a private temp dir, and gRPC stubs to both. The node runs with a CO node name that
// differs from its satellite name and a --satellite-map file that maps one to the other.
// Everything started is stopped (and the temp dir removed) by the destructor.
#pragma once

#include <grpcpp/grpcpp.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "base/status.h"
#include "csi/csi.grpc.pb.h"
#include "test/conformance/sim_admin.h"
#include "test/integration/test_process.h"

namespace lcsi::testing {

struct StackOptions {
  std::string sim_bin = LCSI_SIM_BIN;
  std::string controller_bin = LCSI_CONTROLLER_BIN;
  std::string node_bin = LCSI_NODE_BIN;
  std::string backing = "loop";  // linstor-sim --backing: loop (real devices, root) | none
  std::string driver_name = "conformance.csi.io";
  std::string co_node_name = "k8s-worker-1.example.com";  // what kubelet would call the node
  std::string satellite = "sat-alpha";                    // what LINSTOR calls it
  bool start_node = true;
  uint64_t seed = 1;
  std::string log_level = "info";
  std::vector<std::string> controller_args;  // extra flags
  std::vector<std::string> node_args;
  bool node_metrics = false;  // the node serves /metrics on a port of its choice (NodeMetrics())
  std::vector<std::string> sim_args;
  std::string dir_prefix = "lcsi-stack";
};

class CsiStack {
 public:
  // Starts sim, controller and (optionally) node; waits until each is ready (Probe ready).
  static Result<std::unique_ptr<CsiStack>> Start(StackOptions options);
  ~CsiStack();
  CsiStack(const CsiStack&) = delete;
  CsiStack& operator=(const CsiStack&) = delete;

  const StackOptions& options() const { return options_; }
  // Private temp dir; kubelet_dir() (inside it) is the node's allowed path prefix.
  const std::string& dir() const { return dir_; }
  std::string kubelet_dir() const { return dir_ + "/kubelet"; }
  const std::string& sim_url() const { return sim_url_; }
  SimAdmin& sim() { return *sim_admin_; }

  // Stubs of the current controller generation. Each (re)start gets a fresh channel: after a
  // SIGKILL, gRPC's first reconnect on the old channel can hang until its connect timeout.
  // Older generations stay alive until the stack is destroyed, so a reference taken by another
  // thread just before a restart stays valid (its calls fail with a retryable code).
  csi::v1::Identity::Stub& controller_identity() { return *current_.load()->identity; }
  csi::v1::Controller::Stub& controller() { return *current_.load()->controller; }
  csi::v1::GroupController::Stub& group_controller() { return *current_.load()->group; }
  csi::v1::SnapshotMetadata::Stub& snapshot_metadata() { return *current_.load()->metadata; }
  csi::v1::Identity::Stub& node_identity() { return *node_identity_; }
  csi::v1::Node::Stub& node() { return *node_; }
  const std::string& controller_socket() const { return controller_socket_; }
  const std::string& node_socket() const { return node_socket_; }

  pid_t controller_pid() const { return controller_proc_ ? controller_proc_->pid() : -1; }
  pid_t node_pid() const { return node_proc_ ? node_proc_->pid() : -1; }
  pid_t sim_pid() const { return sim_proc_ ? sim_proc_->pid() : -1; }

  // SIGKILLs the controller (no graceful shutdown), then starts a new one on the same socket.
  // The stubs stay valid. Not thread-safe against itself (one killer at a time).
  Status KillAndRestartController();
  int controller_generation() const { return controller_generation_; }
  // Stops the controller with SIGTERM and starts it again.
  Status RestartController();
  std::string ControllerLog() const;
  std::string NodeLog() const;
  // The node's /metrics text (StackOptions::node_metrics).
  Result<std::string> NodeMetrics() const;
  std::string SimLog() const;

 private:
  explicit CsiStack(StackOptions options) : options_(std::move(options)) {}
  Status StartSim();
  Status StartController();
  Status StartNode();

  StackOptions options_;
  std::string dir_;
  std::string sim_url_;
  std::string controller_socket_, node_socket_;
  int controller_generation_ = 0;
  std::unique_ptr<TestProcess> sim_proc_, controller_proc_, node_proc_;
  std::unique_ptr<SimAdmin> sim_admin_;
  struct ControllerStubs {
    std::unique_ptr<csi::v1::Identity::Stub> identity;
    std::unique_ptr<csi::v1::Controller::Stub> controller;
    std::unique_ptr<csi::v1::GroupController::Stub> group;
    std::unique_ptr<csi::v1::SnapshotMetadata::Stub> metadata;
  };
  std::vector<std::unique_ptr<ControllerStubs>> generations_;
  std::atomic<ControllerStubs*> current_{nullptr};
  std::unique_ptr<csi::v1::Identity::Stub> node_identity_;
  std::unique_ptr<csi::v1::Node::Stub> node_;
};

// A channel that reconnects within ~300 ms after the server restarts.
std::shared_ptr<grpc::Channel> FastReconnectChannel(const std::string& target);

// A context with a deadline, for one RPC.
std::unique_ptr<grpc::ClientContext> Ctx(
    std::chrono::milliseconds deadline = std::chrono::seconds(60));

// Waits until Probe on `identity` answers OK with ready (unset counts as ready).
bool WaitProbeReady(csi::v1::Identity::Stub& identity, std::chrono::milliseconds timeout);

}  // namespace lcsi::testing
