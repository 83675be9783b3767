// Test helpers for code that talks to LINSTOR (target linstor_sim_testing).
//
//   SimProcess      runs the built linstor-sim binary as a child process on a free port with
//                   a fresh temporary data dir; Kill() (SIGKILL) and Restart() (same port,
//                   same data dir) test crash recovery. The destructor stops it, releases the
//                   loop devices of its data dir and removes the dir.
//   ScopedSimServer runs a SimServer in-process (faster; no restart).
//   SimAdminClient  the /admin/v1/ API: faults, node online/offline, in-use, counters (over
//                   HTTP, or in process: see in_process_sim.h).
//
// SimProcess::Start and ScopedSimServer set SIGPIPE to SIG_IGN for the whole process: a
// client writing to a connection the sim dropped must see an error, not die.
//
// Both servers check request bodies and responses against the LINSTOR schema by default
// (strict_schema), so every test that talks to them also checks its request bodies.
//
//   auto sim = lcsi::sim::SimProcess::Start();
//   ASSERT_TRUE(sim.ok()) << sim.status().ToString();
//   MyClient client((*sim)->url());
#pragma once

#include <sys/types.h>

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "csi/status.h"
#include "linstor/sim/sim_server.h"

namespace lcsi::sim {

struct SimProcessOptions {
  bool loop_backing = false;  // --backing=loop (root only)
  std::string cluster_file;   // "" = default cluster
  uint64_t seed = 1;
  bool strict_schema = true;
  std::string tls_cert;  // with tls_key: HTTPS
  std::string tls_key;
  std::string tls_client_ca;
  std::string log_level = "warn";
  std::vector<std::string> extra_args;
};

class SimProcess {
 public:
  // Starts linstor-sim and waits (up to 10 s) until GET /v1/controller/version answers.
  static Result<std::unique_ptr<SimProcess>> Start(SimProcessOptions options = {});
  ~SimProcess();
  SimProcess(const SimProcess&) = delete;
  SimProcess& operator=(const SimProcess&) = delete;

  const std::string& url() const { return url_; }  // http(s)://127.0.0.1:PORT
  int port() const { return port_; }
  const std::string& data_dir() const { return data_dir_; }
  pid_t pid() const { return pid_; }
  bool running() const { return pid_ > 0; }

  // SIGKILL and reap: no graceful shutdown, loop devices stay attached.
  Status Kill();
  // SIGTERM and wait: state written, loop devices detached.
  Status Stop();
  // Stops it if running (gracefully), then starts it again on the same port with the same
  // data dir and waits until it answers.
  Status Restart();

 private:
  SimProcess() = default;
  Status Spawn(int port);
  Status WaitReady();

  SimProcessOptions options_;
  std::string data_dir_;
  std::string url_;
  int port_ = 0;
  pid_t pid_ = -1;
};

struct ScopedSimOptions {
  bool strict_schema = true;
  std::string cluster_file;
  uint64_t seed = 1;
  bool temp_data_dir = false;  // persist into a temporary dir (removed at the end)
  bool loop_backing = false;   // implies temp_data_dir
};

// An in-process SimServer on 127.0.0.1 and a free port, stopped by the destructor.
class ScopedSimServer {
 public:
  explicit ScopedSimServer(ScopedSimOptions options = {});
  ~ScopedSimServer();
  const Status& status() const { return status_; }  // the result of starting it
  std::string url() const { return server_ ? server_->url() : std::string(); }
  int port() const { return server_ ? server_->port() : 0; }
  SimServer& server() { return *server_; }
  const std::string& data_dir() const { return data_dir_; }

 private:
  std::unique_ptr<SimServer> server_;
  std::string data_dir_;
  Status status_;
};

// Client of the simulator's /admin/v1/ API (plain or TLS without verification).
class SimAdminClient {
 public:
  explicit SimAdminClient(std::string url) : url_(std::move(url)) {}
  // The same calls handed to an opened SimServer in this process (SimServer::Serve).
  explicit SimAdminClient(SimServer& in_process) : in_process_(&in_process) {}

  // `rule_json`: one rule object, see sim_server.h, e.g.
  // R"({"path_regex":"/spawn$","error_rate":1,"http_status":503,"count":1})".
  Status AddFault(const std::string& rule_json);
  Status ClearFaults();
  Status SetNodeOnline(const std::string& node, bool online);
  Status SetInUse(const std::string& resource, const std::string& node, bool in_use);
  Status SetSnapshotSuccessful(const std::string& resource, const std::string& snapshot,
                               bool successful);
  // Replaces the DRBD state of one replica; `fault_json` as POST .../drbd takes it, e.g.
  // R"({"disk_state":"Outdated"})"; ClearDrbdState makes it healthy again.
  Status SetDrbdState(const std::string& resource, const std::string& node,
                      const std::string& fault_json);
  Status ClearDrbdState(const std::string& resource, const std::string& node);
  // Requests per "METHOD /v1/template" since the last reset.
  Result<std::map<std::string, int64_t>> Counters();
  Status ResetCounters();
  // Object counts: resource_groups, resource_definitions, resources, snapshots,
  // loop_devices, backing_files, ...
  Result<std::map<std::string, int64_t>> StateSummary();
  Status Flush();
  Status SetClonePolls(int polls);
  // What GET /v1/controller/version reports from now on.
  Status SetReportedVersion(const std::string& version, const std::string& rest_api_version);

 private:
  Result<std::string> Call(const std::string& method, const std::string& path,
                           const std::string& body, int expected_status);
  std::string url_;
  SimServer* in_process_ = nullptr;
};

// Requests of `after` minus `before`, without zero entries.
std::map<std::string, int64_t> CounterDelta(const std::map<std::string, int64_t>& before,
                                            const std::map<std::string, int64_t>& after);

}  // namespace lcsi::sim
