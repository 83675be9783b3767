#include "linstor/sim/testing/in_process_sim.h"

#include <algorithm>

namespace lcsi::sim {

namespace {

linstor::LinstorError Dropped(std::string_view method, const std::string& path) {
  return linstor::LinstorError::Transport("linstor-sim dropped the connection (fault rule)",
                                          std::string(method) + " " + path);
}

}  // namespace

linstor::LinstorResult<linstor::HttpResponse> InProcessTransport::Send(
    std::string_view method, std::string_view /*path_template*/, const std::string& path,
    const std::string* body) {
  SimAnswer answer =
      sim_.Serve(SimRequest{std::string(method), path, body != nullptr ? *body : std::string()});
  if (answer.dropped) return Dropped(method, path);
  return linstor::HttpResponse{answer.status, std::move(answer.body)};
}

linstor::LinstorResult<linstor::HttpResponse> InProcessTransport::SendStreaming(
    std::string_view method, std::string_view /*path_template*/, const std::string& path,
    const BodySink& on_body) {
  SimAnswer answer = sim_.Serve(SimRequest{std::string(method), path, std::string()});
  if (answer.dropped) return Dropped(method, path);
  if (answer.status < 200 || answer.status >= 300) {
    return linstor::HttpResponse{answer.status, std::move(answer.body)};
  }
  for (size_t at = 0; at < answer.body.size(); at += chunk_size_) {
    const size_t n = std::min(chunk_size_, answer.body.size() - at);
    if (!on_body(answer.body.data() + at, n)) {
      return linstor::LinstorError::Transport("the receiver stopped the transfer",
                                              std::string(method) + " " + path);
    }
  }
  return linstor::HttpResponse{answer.status, std::string()};
}

InProcessSim::InProcessSim(InProcessSimOptions options) {
  SimOptions o;
  o.listen = "";
  o.cluster_json = std::move(options.cluster_json);
  o.seed = options.seed;
  o.strict_schema = options.strict_schema;
  server_ = std::make_unique<SimServer>(std::move(o));
  status_ = server_->Open();
  client_ =
      std::make_unique<linstor::HttpLinstorClient>(std::make_unique<InProcessTransport>(*server_));
  admin_ = std::make_unique<SimAdminClient>(*server_);
}

InProcessSim::~InProcessSim() {
  client_.reset();
  server_->Stop();
}

int64_t InProcessSim::Calls(const std::string& key) {
  auto counters = admin_->Counters();
  if (!counters.ok()) return -1;
  if (!key.empty()) {
    auto it = counters->find(key);
    return it == counters->end() ? 0 : it->second;
  }
  int64_t total = 0;
  for (const auto& [k, v] : *counters) total += v;
  return total;
}

void InProcessSim::ResetCalls() { (void)admin_->ResetCounters(); }

}  // namespace lcsi::sim
