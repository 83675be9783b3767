#include "test/conformance/sim_admin.h"

#include <httplib.h>
#include <simdjson.h>

namespace lcsi::testing {
namespace {

// The admin API's root (linstor-sim serves it beside LINSTOR's /v1).
constexpr const char* kAdmin = "/admin/v1";

std::string Escape(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '"' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  return out;
}

Status Expect2xx(const HttpReply& reply, const std::string& what) {
  if (reply.status >= 200 && reply.status < 300) return Status::Ok();
  return Unavailable(what + ": HTTP " + std::to_string(reply.status) + " " + reply.body);
}

// Names of the array's objects whose "props" match key (=value when value is non-empty).
Result<std::vector<std::string>> NamesWithProp(const std::string& body, const std::string& key,
                                               const std::string& value) {
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  if (parser.parse(body).get(doc) != simdjson::SUCCESS) return Internal("bad JSON: " + body);
  simdjson::dom::array items;
  if (doc.get_array().get(items) != simdjson::SUCCESS) return Internal("not an array: " + body);
  std::vector<std::string> names;
  for (simdjson::dom::element item : items) {
    std::string_view name;
    if (item["name"].get_string().get(name) != simdjson::SUCCESS) continue;
    simdjson::dom::object props;
    if (item["props"].get_object().get(props) != simdjson::SUCCESS) continue;
    std::string_view actual;
    if (props[key].get_string().get(actual) != simdjson::SUCCESS) continue;
    if (value.empty() || actual == value) names.emplace_back(name);
  }
  return names;
}

}  // namespace

SimAdmin::SimAdmin(std::string base_url) : client_(std::make_unique<httplib::Client>(base_url)) {
  client_->set_connection_timeout(5, 0);
  client_->set_read_timeout(30, 0);
  client_->set_write_timeout(30, 0);
}

SimAdmin::~SimAdmin() = default;

HttpReply SimAdmin::Get(const std::string& path_and_query) {
  auto res = client_->Get(path_and_query);
  if (!res) return {};
  return {res->status, res->body};
}

HttpReply SimAdmin::Send(const std::string& method, const std::string& path,
                         const std::string& body) {
  httplib::Result res = method == "POST"     ? client_->Post(path, body, "application/json")
                        : method == "PUT"    ? client_->Put(path, body, "application/json")
                        : method == "DELETE" ? client_->Delete(path, body, "application/json")
                                             : client_->Get(path);
  if (!res) return {};
  return {res->status, res->body};
}

Status SimAdmin::AddFault(const SimFault& f) {
  std::string body = "{\"path_regex\":\"" + Escape(f.path_pattern) + "\",\"method\":\"" +
                     Escape(f.method) + "\",\"error_rate\":" + std::to_string(f.error_rate) +
                     ",\"http_status\":" + std::to_string(f.status) +
                     ",\"latency_ms\":" + std::to_string(f.latency_ms) +
                     ",\"drop_rate\":" + std::to_string(f.drop_rate) +
                     ",\"seed\":" + std::to_string(f.seed) + ",\"phase\":\"" +
                     (f.after ? "after" : "before") + "\"}";
  return Expect2xx(Send("POST", std::string(kAdmin) + "/faults", body), "add fault");
}

Status SimAdmin::ClearFaults() {
  return Expect2xx(Send("DELETE", std::string(kAdmin) + "/faults", ""), "clear faults");
}

Status SimAdmin::SetNodeOnline(const std::string& node, bool online) {
  return Expect2xx(
      Send("POST", std::string(kAdmin) + "/nodes/" + node + (online ? "/online" : "/offline"), ""),
      "set node online");
}

Result<std::map<std::string, int64_t>> SimAdmin::Counters() {
  HttpReply reply = Get(std::string(kAdmin) + "/counters");
  LCSI_RETURN_IF_ERROR(Expect2xx(reply, "counters"));
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  if (parser.parse(reply.body).get(doc) != simdjson::SUCCESS) return Internal("bad counters JSON");
  simdjson::dom::object counts;
  // Either {"counters": {...}} or the object itself.
  if (doc["counters"].get_object().get(counts) != simdjson::SUCCESS &&
      doc.get_object().get(counts) != simdjson::SUCCESS) {
    return Internal("counters: not an object: " + reply.body);
  }
  std::map<std::string, int64_t> out;
  for (auto field : counts) {
    int64_t n = 0;
    if (field.value.get_int64().get(n) == simdjson::SUCCESS) out[std::string(field.key)] = n;
  }
  return out;
}

Status SimAdmin::ResetCounters() {
  return Expect2xx(Send("DELETE", std::string(kAdmin) + "/counters", ""), "reset counters");
}

Result<int64_t> SimAdmin::TotalRequests() {
  auto counters = Counters();
  if (!counters.ok()) return counters.status();
  int64_t total = 0;
  for (const auto& [endpoint, n] : *counters) {
    if (endpoint.find("/admin/") == std::string::npos) total += n;
  }
  return total;
}

Result<std::string> SimAdmin::StateSummary() {
  HttpReply reply = Get(std::string(kAdmin) + "/state-summary");
  LCSI_RETURN_IF_ERROR(Expect2xx(reply, "state summary"));
  return reply.body;
}

Result<std::vector<std::string>> SimAdmin::ResourceDefinitionsWithProp(const std::string& key,
                                                                       const std::string& value) {
  HttpReply reply = Get("/v1/resource-definitions");
  LCSI_RETURN_IF_ERROR(Expect2xx(reply, "list resource definitions"));
  return NamesWithProp(reply.body, key, value);
}

Result<std::vector<std::string>> SimAdmin::ResourceGroupsWithProp(const std::string& key,
                                                                  const std::string& value) {
  HttpReply reply = Get("/v1/resource-groups");
  LCSI_RETURN_IF_ERROR(Expect2xx(reply, "list resource groups"));
  return NamesWithProp(reply.body, key, value);
}

Result<std::vector<std::string>> SimAdmin::AllSnapshots() {
  HttpReply reply = Get("/v1/view/snapshots");
  LCSI_RETURN_IF_ERROR(Expect2xx(reply, "view snapshots"));
  simdjson::dom::parser parser;
  simdjson::dom::array items;
  if (parser.parse(reply.body).get_array().get(items) != simdjson::SUCCESS) {
    return Internal("view snapshots: not an array");
  }
  std::vector<std::string> out;
  for (auto item : items) {
    std::string_view rd, name;
    if (item["resource_name"].get_string().get(rd) != simdjson::SUCCESS) continue;
    if (item["name"].get_string().get(name) != simdjson::SUCCESS) continue;
    out.push_back(std::string(rd) + "/" + std::string(name));
  }
  return out;
}

Result<std::vector<std::string>> SimAdmin::AllResources() {
  HttpReply reply = Get("/v1/view/resources");
  LCSI_RETURN_IF_ERROR(Expect2xx(reply, "view resources"));
  simdjson::dom::parser parser;
  simdjson::dom::array items;
  if (parser.parse(reply.body).get_array().get(items) != simdjson::SUCCESS) {
    return Internal("view resources: not an array");
  }
  std::vector<std::string> out;
  for (auto item : items) {
    std::string_view name, node;
    if (item["name"].get_string().get(name) != simdjson::SUCCESS) continue;
    if (item["node_name"].get_string().get(node) != simdjson::SUCCESS) continue;
    out.push_back(std::string(name) + "@" + std::string(node));
  }
  return out;
}

}  // namespace lcsi::testing
