// linstor-sim in the test's own process, without sockets or threads (target
// linstor_sim_inproc, tests only: plugin binaries never link the simulator).
//
//   InProcessTransport  a linstor::Transport that hands each request to SimServer::Serve: the
//                       sim's router, counters, fault rules and strict schema checks run as
//                       over HTTP. Each request is served once (HttpTransport's retries and
//                       failover are its own, tested in linstor/http_transport_test.cc); a
//                       dropped connection is a kUnavailable transport error.
//   InProcessSim        an opened SimServer, an HttpLinstorClient over an InProcessTransport
//                       (so the client's encoding and decoding run too) and a SimAdminClient
//                       for faults, node states, in-use marks and request counters.
//
//   lcsi::sim::InProcessSim sim;             // default three-node cluster, strict schema
//   ASSERT_TRUE(sim.status().ok());
//   Controller controller(options, &sim.client());
#pragma once

#include <cstddef>
#include <map>
#include <memory>
#include <string>

#include "csi/status.h"
#include "linstor/http_linstor_client.h"
#include "linstor/sim/sim_server.h"
#include "linstor/sim/testing/sim_process.h"
#include "linstor/transport.h"

namespace lcsi::sim {

class InProcessTransport : public linstor::Transport {
 public:
  // `chunk_size`: a streamed answer reaches its sink in pieces of this size, as from a socket.
  explicit InProcessTransport(SimServer& sim, size_t chunk_size = 4096)
      : sim_(sim), chunk_size_(chunk_size) {}

  linstor::LinstorResult<linstor::HttpResponse> Send(std::string_view method,
                                                     std::string_view path_template,
                                                     const std::string& path,
                                                     const std::string* body) override;
  linstor::LinstorResult<linstor::HttpResponse> SendStreaming(std::string_view method,
                                                              std::string_view path_template,
                                                              const std::string& path,
                                                              const BodySink& on_body) override;

 private:
  SimServer& sim_;
  size_t chunk_size_;
};

struct InProcessSimOptions {
  std::string cluster_json;  // "" = the default cluster; else a cluster file's JSON
  uint64_t seed = 1;
  bool strict_schema = true;
};

class InProcessSim {
 public:
  explicit InProcessSim(InProcessSimOptions options = {});
  ~InProcessSim();
  InProcessSim(const InProcessSim&) = delete;
  InProcessSim& operator=(const InProcessSim&) = delete;

  const Status& status() const { return status_; }  // the result of opening the sim
  linstor::HttpLinstorClient& client() { return *client_; }
  SimAdminClient& admin() { return *admin_; }
  SimServer& server() { return *server_; }

  // LINSTOR requests per "METHOD /v1/template" since the last reset (admin calls excluded),
  // and their total over all endpoints when `key` is "".
  int64_t Calls(const std::string& key = "");
  void ResetCalls();

 private:
  std::unique_ptr<SimServer> server_;
  std::unique_ptr<linstor::HttpLinstorClient> client_;
  std::unique_ptr<SimAdminClient> admin_;
  Status status_;
};

}  // namespace lcsi::sim
