// Client for linstor-sim's admin API (fault injection, node state, request counters, state
// summary) plus raw LINSTOR REST reads, for black-box suites that must observe the backend.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "base/status.h"

namespace httplib {
class Client;
}

namespace lcsi::testing {

// One rule of POST /admin/v1/faults (linstor-sim/faults.h).
struct SimFault {
  std::string path_pattern = ".*";  // regex searched in the request path
  std::string method;               // "" = any
  double error_rate = 0;            // fraction of matching requests answered with `status`
  int status = 503;
  int latency_ms = 0;    // added to every matching request
  double drop_rate = 0;  // fraction of matching requests whose connection is dropped
  uint64_t seed = 0;
  bool after = false;  // apply after the request ran (the change happens, the answer is lost)
};

struct HttpReply {
  int status = 0;  // 0: no answer (connection error)
  std::string body;
};

class SimAdmin {
 public:
  explicit SimAdmin(std::string base_url);
  ~SimAdmin();

  Status AddFault(const SimFault& fault);
  Status ClearFaults();
  Status SetNodeOnline(const std::string& node, bool online);
  // Requests served per route since the last reset ("GET /v1/nodes" -> n).
  Result<std::map<std::string, int64_t>> Counters();
  Status ResetCounters();
  // Total LINSTOR (non-admin) requests served since the last reset.
  Result<int64_t> TotalRequests();
  // The sim's state summary (raw JSON).
  Result<std::string> StateSummary();

  // Raw LINSTOR REST access (e.g. "/v1/resource-definitions?props=Aux/x=y").
  HttpReply Get(const std::string& path_and_query);
  HttpReply Send(const std::string& method, const std::string& path, const std::string& body);

  // Names of resource definitions / resource groups whose properties contain key=value
  // (value "" = any value), read through LINSTOR's own list endpoints.
  Result<std::vector<std::string>> ResourceDefinitionsWithProp(const std::string& key,
                                                               const std::string& value);
  Result<std::vector<std::string>> ResourceGroupsWithProp(const std::string& key,
                                                          const std::string& value);
  // "RD/snapshot" for every snapshot in the cluster.
  Result<std::vector<std::string>> AllSnapshots();
  // "RD@node" for every resource in the cluster.
  Result<std::vector<std::string>> AllResources();

 private:
  std::unique_ptr<httplib::Client> client_;
};

}  // namespace lcsi::testing
