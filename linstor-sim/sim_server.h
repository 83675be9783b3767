// SimServer: linstor-sim's HTTP(S) server. Serves LINSTOR's REST API v1 (the endpoints the
// plugin uses, see schema/linstor-api-schema.json) from a ClusterState, plus the admin API
// under /admin/v1/ (fault injection, node online/offline, resource in-use, request counters,
// state summary). Runs in a background thread; usable in-process (tests) and by the binary.
//
// Admin API (JSON bodies; answers are JSON):
//   POST   /admin/v1/faults        {"path_regex","method","error_rate","http_status",
//                                   "latency_ms","drop_rate","seed","phase":"before|after",
//                                   "count"} or {"rules":[...]}        -> 201 {"ids":[..]}
//   GET    /admin/v1/faults        rules and number of injected faults
//   DELETE /admin/v1/faults        removes all rules
//   POST   /admin/v1/nodes/{node}/offline | /online
//   POST   /admin/v1/resources/{resource}/{node}/in-use   {"in_use": true}
//   POST   /admin/v1/snapshots/{resource}/{snapshot}/successful  {"successful": false}:
//          clears (or sets) the snapshot's SUCCESSFUL flag, as while LINSTOR still takes it
//   POST   /admin/v1/resources/{resource}/{node}/drbd     {"disk_state": "Outdated",
//                                   "sync_done": 42.5, "disconnected_peers": ["sat-b"],
//                                   "quorum_lost": true, "io_suspended": true} (all optional;
//                                   replaces the replica's DRBD state, see drbd_state.h)
//   DELETE /admin/v1/resources/{resource}/{node}/drbd     healthy again
//   GET    /admin/v1/counters      {"METHOD /v1/template": count, ...} (LINSTOR API only)
//   DELETE /admin/v1/counters      resets the counters
//   GET    /admin/v1/state-summary counts of objects, loop devices and backing files
//   POST   /admin/v1/flush         writes the state file now
//   PUT    /admin/v1/settings      {"clone_polls": N}: status polls a clone stays CLONING;
//                                   {"version": "1.31.1", "rest_api_version": "1.25.1"}: what
//                                   GET /v1/controller/version reports (older LINSTORs)
#pragma once

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "base/status.h"

namespace httplib {
class Server;
struct Request;
struct Response;
}  // namespace httplib

namespace lcsi::sim {

class ClusterState;
class FaultInjector;
class StatePersister;
class ApiSchema;
struct Reply;

// One request to the simulator, without HTTP: method, target (path and query string, as on
// the request line) and body.
struct SimRequest {
  std::string method;
  std::string target;
  std::string body;
};

// Its answer. `dropped`: a fault rule dropped the connection (no status, no body).
struct SimAnswer {
  int status = 0;
  std::string body;
  bool dropped = false;
};

struct SimOptions {
  std::string listen = "127.0.0.1:3370";  // host:port; port 0 picks a free port
  std::string cluster_file;               // "" = the default three-node cluster
  std::string cluster_json;               // instead of cluster_file: the file's JSON text
  std::string data_dir;                   // "" = state in memory only
  std::string backing = "none";           // none | loop (needs data_dir and root)
  std::string tls_cert;                   // with tls_key: HTTPS
  std::string tls_key;
  std::string tls_client_ca;  // with TLS: require client certificates signed by this CA
  uint64_t seed = 1;
  bool strict_schema = false;  // check requests (400) and responses against the schema
  int persist_interval_ms = 200;
  int threads = 32;
  std::string port_file;  // when set: the bound port is written there after binding
};

class SimServer {
 public:
  explicit SimServer(SimOptions options);
  ~SimServer();
  SimServer(const SimServer&) = delete;
  SimServer& operator=(const SimServer&) = delete;

  // Loads the cluster and state, binds and starts serving in a background thread.
  Status Start();
  // Loads the cluster and state without a socket: requests then come only through Serve()
  // (tests in process; no threads unless a data dir is set). Start() calls it.
  Status Open();

  // Answers one request (LINSTOR API or admin API) as the HTTP server would: routing,
  // request counters, fault rules, strict schema checks of requests and responses.
  // Thread-safe. Needs Open() (or Start()).
  SimAnswer Serve(const SimRequest& request);
  // Graceful stop: no new requests, state written, loop devices detached. Idempotent.
  void Stop();
  // Blocks until the server thread ends (after Stop() or a fatal listen error).
  void Wait();

  int port() const { return port_; }
  // "http://127.0.0.1:PORT" (https with TLS).
  std::string url() const;
  const SimOptions& options() const { return options_; }

 private:
  struct Route;
  struct Context;
  void Handle(const httplib::Request& req, httplib::Response& res);
  SimAnswer ServeAdmin(const SimRequest& req, const std::string& path);
  Reply Dispatch(const Route& route, const Context& ctx);
  void RegisterRoutes();  // the route table: sim_routes.cc
  void Count(const std::string& key);
  void Persist();

  SimOptions options_;
  std::unique_ptr<httplib::Server> http_;
  std::unique_ptr<ClusterState> state_;
  std::unique_ptr<StatePersister> persister_;
  std::unique_ptr<FaultInjector> faults_;
  const ApiSchema* schema_ = nullptr;
  std::vector<std::unique_ptr<Route>> routes_;
  std::mutex state_mu_;
  std::mutex counters_mu_;
  std::map<std::string, int64_t> counters_;
  std::thread thread_;
  std::atomic<bool> opened_{false};
  std::atomic<bool> started_{false};
  std::atomic<bool> stopped_{false};
  int port_ = 0;
  std::string host_;
};

}  // namespace lcsi::sim
