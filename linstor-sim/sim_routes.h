// The types SimServer's route table (sim_routes.cc) and its dispatcher (sim_server.cc) share.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "linstor-sim/api_call_rc.h"
#include "linstor-sim/api_consts.h"
#include "linstor-sim/cluster_state.h"
#include "linstor-sim/sim_server.h"

namespace lcsi::sim {

// One route: "METHOD /template" and its handler.
struct SimServer::Route {
  std::string method;
  std::string key;  // "GET /v1/nodes/{node}"
  std::vector<std::string> segments;
  bool mutating = false;
  std::function<Reply(const Context&)> handler;
};

struct SimServer::Context {
  const std::string* body = nullptr;
  std::vector<std::string> params;  // path parameters in template order
  ListQuery query;
  std::vector<std::string> node_filter;  // DELETE snapshot: nodes=
};

// The answer to a request body that does not parse.
inline Reply ParseError(const Status& st) {
  return ErrorReply(rc::kApiCallParseError, "Invalid request: " + st.message());
}

}  // namespace lcsi::sim
