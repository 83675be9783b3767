// SimServer's admin API (/admin/v1/, see sim_server.h): faults, node states, in-use marks,
// DRBD states, snapshot flags, counters, state summary, flush and settings. Never fault-injected.
#include <simdjson.h>

#include <mutex>
#include <optional>
#include <string>

#include "csi/json_writer.h"
#include "linstor/sim/api_call_rc.h"
#include "linstor/sim/api_consts.h"
#include "linstor/sim/cluster_state.h"
#include "linstor/sim/drbd_state.h"
#include "linstor/sim/faults.h"
#include "linstor/sim/requests.h"
#include "linstor/sim/schema_check.h"
#include "linstor/sim/sim_server.h"
#include "linstor/sim/state_persister.h"

namespace lcsi::sim {

namespace {

// PUT /admin/v1/settings: any of {"clone_polls": N}, {"version": "1.31.1",
// "rest_api_version": "1.25.1"} (the two version fields go together).
struct Settings {
  std::optional<int32_t> clone_polls;
  std::optional<std::string> version;
  std::optional<std::string> rest_api_version;
};
Result<Settings> ParseSettings(const std::string& body) {
  const Status usage = InvalidArgument(
      "expected {\"clone_polls\": N} with N >= 0 and/or {\"version\": \"X.Y.Z\", "
      "\"rest_api_version\": \"X.Y.Z\"}");
  simdjson::dom::parser parser;
  simdjson::dom::object root;
  if (parser.parse(body).get(root) != simdjson::SUCCESS) return usage;
  Settings out;
  for (auto [key, value] : root) {
    if (key == "clone_polls") {
      int64_t polls = 0;
      if (value.get_int64().get(polls) != simdjson::SUCCESS || polls < 0) return usage;
      out.clone_polls = static_cast<int32_t>(polls);
    } else if (key == "version" || key == "rest_api_version") {
      std::string_view text;
      if (value.get_string().get(text) != simdjson::SUCCESS) return usage;
      (key == "version" ? out.version : out.rest_api_version) = std::string(text);
    } else {
      return usage;
    }
  }
  if (out.version.has_value() != out.rest_api_version.has_value()) return usage;
  if (!out.clone_polls && !out.version) return usage;
  return out;
}

// {"successful": bool} of POST /admin/v1/snapshots/{resource}/{snapshot}/successful.
Result<bool> ParseSuccessful(const std::string& body) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  bool successful = false;
  if (parser.parse(body).get(root) != simdjson::SUCCESS ||
      root["successful"].get_bool().get(successful) != simdjson::SUCCESS) {
    return InvalidArgument("expected {\"successful\": true|false}");
  }
  return successful;
}

}  // namespace

SimAnswer SimServer::ServeAdmin(const SimRequest& req, const std::string& path) {
  const auto seg = SplitPath(path);  // admin v1 ...
  auto reply_json = [](int status, std::string body) {
    return SimAnswer{status, std::move(body), false};
  };
  auto reply = [&](const Reply& r) { return reply_json(r.status, r.body); };
  auto bad = [&](const std::string& msg) { return reply(ErrorReply(rc::kApiCallParseError, msg)); };
  if (seg.size() < 3 || seg[1] != "v1") {
    return reply_json(404, "{\"error\":\"unknown admin endpoint\"}");
  }
  const std::string& what = seg[2];
  const std::string& m = req.method;

  if (what == "faults" && seg.size() == 3) {
    if (m == "GET") return reply_json(200, faults_->ToJson());
    if (m == "DELETE") {
      faults_->Clear();
      return reply_json(200, "{}");
    }
    if (m == "POST") {
      auto rules = ParseFaultRules(req.body);
      if (!rules.ok()) return bad(rules.status().message());
      JsonWriter w;
      w.BeginObject().Key("ids").BeginArray();
      for (int id : faults_->Add(*rules)) w.Int(id);
      w.EndArray().EndObject();
      return reply_json(201, w.Take());
    }
  }
  if (what == "nodes" && seg.size() == 5 && m == "POST" &&
      (seg[4] == "online" || seg[4] == "offline")) {
    std::lock_guard<std::mutex> lock(state_mu_);
    Reply r = state_->SetNodeOnline(seg[3], seg[4] == "online");
    Persist();
    return reply(r);
  }
  if (what == "resources" && seg.size() == 6 && seg[5] == "in-use" && m == "POST") {
    auto in_use = ParseInUse(req.body);
    if (!in_use.ok()) return bad(in_use.status().message());
    std::lock_guard<std::mutex> lock(state_mu_);
    Reply r = state_->SetInUse(seg[3], seg[4], *in_use);
    Persist();
    return reply(r);
  }
  if (what == "resources" && seg.size() == 6 && seg[5] == "drbd" &&
      (m == "POST" || m == "DELETE")) {
    DrbdFault fault;
    if (m == "POST") {
      auto parsed = ParseDrbdFault(req.body);
      if (!parsed.ok()) return bad(parsed.status().message());
      fault = std::move(parsed).value();
    }
    std::lock_guard<std::mutex> lock(state_mu_);
    return reply(state_->SetDrbdState(seg[3], seg[4], std::move(fault)));
  }
  if (what == "snapshots" && seg.size() == 6 && seg[5] == "successful" && m == "POST") {
    auto successful = ParseSuccessful(req.body);
    if (!successful.ok()) return bad(successful.status().message());
    std::lock_guard<std::mutex> lock(state_mu_);
    Reply r = state_->SetSnapshotSuccessful(seg[3], seg[4], *successful);
    Persist();
    return reply(r);
  }
  if (what == "counters" && seg.size() == 3) {
    std::lock_guard<std::mutex> lock(counters_mu_);
    if (m == "DELETE") {
      counters_.clear();
      return reply_json(200, "{}");
    }
    if (m == "GET") {
      JsonWriter w;
      w.BeginObject();
      for (const auto& [k, v] : counters_) w.Field(k, v);
      w.EndObject();
      return reply_json(200, w.Take());
    }
  }
  if (what == "state-summary" && seg.size() == 3 && m == "GET") {
    StateSummary s;
    {
      std::lock_guard<std::mutex> lock(state_mu_);
      s = state_->Summary();
    }
    JsonWriter w;
    w.BeginObject()
        .Field("nodes", s.nodes)
        .Field("nodes_online", s.nodes_online)
        .Field("resource_groups", s.resource_groups)
        .Field("resource_definitions", s.resource_definitions)
        .Field("volume_definitions", s.volume_definitions)
        .Field("resources", s.resources)
        .Field("diskful_resources", s.diskful_resources)
        .Field("tie_breakers", s.tie_breakers)
        .Field("snapshots", s.snapshots)
        .Field("loop_devices", s.loop_devices)
        .Field("backing_files", s.backing_files)
        .Field("faults_injected", faults_->injected())
        .EndObject();
    return reply_json(200, w.Take());
  }
  if (what == "flush" && seg.size() == 3 && m == "POST") {
    if (!persister_) return reply_json(200, "{\"persisted\":false}");
    Status st = persister_->Flush();
    if (!st.ok()) return reply(ErrorReply(rc::kFailUnknownError, st.message()));
    return reply_json(200, "{\"persisted\":true}");
  }
  if (what == "settings" && seg.size() == 3 && m == "PUT") {
    auto settings = ParseSettings(req.body);
    if (!settings.ok()) return bad(settings.status().message());
    std::lock_guard<std::mutex> lock(state_mu_);
    if (settings->clone_polls) state_->set_clone_polls(*settings->clone_polls);
    if (settings->version) {
      state_->set_reported_version(*settings->version, *settings->rest_api_version);
    }
    return reply_json(200, "{}");
  }
  return reply_json(404, "{\"error\":\"unknown admin endpoint\"}");
}

}  // namespace lcsi::sim
