#include "linstor-sim/sim_test_util.h"

#include <httplib.h>

#include <algorithm>

#include "linstor-sim/api_consts.h"
#include "linstor-sim/schema_check.h"

namespace lcsi::sim::testing {

Json::Json(const std::string& text) { ok_ = parser_.parse(text).get(root_) == simdjson::SUCCESS; }

SimHttp::SimHttp(std::string url) : url_(std::move(url)) {}

HttpReply SimHttp::Finish(const std::string& method, const std::string& path, HttpReply reply) {
  if (reply.status == 0 || path.rfind("/v1/", 0) != 0) return reply;
  const ApiSchema& schema = ApiSchema::Builtin();
  auto endpoint = schema.FindEndpoint(method, path);
  if (!endpoint) return reply;  // unknown endpoints answer LINSTOR-style 404s
  Status st = schema.CheckResponse(*endpoint, reply.status, reply.body);
  EXPECT_TRUE(st.ok()) << method << " " << path << ": " << st.ToString() << "\n" << reply.body;
  if (reply.status >= 200 && reply.status < 300 &&
      std::find(covered_.begin(), covered_.end(), *endpoint) == covered_.end()) {
    covered_.push_back(*endpoint);
  }
  return reply;
}

namespace {
HttpReply From(const httplib::Result& res) {
  if (!res) return {0, "", httplib::to_string(res.error())};
  return {res->status, res->body, ""};
}
std::unique_ptr<httplib::Client> Client(const std::string& url) {
  auto c = std::make_unique<httplib::Client>(url);
  c->enable_server_certificate_verification(false);
  c->set_read_timeout(30, 0);
  return c;
}
}  // namespace

HttpReply SimHttp::Get(const std::string& path) {
  return Finish("GET", path, From(Client(url_)->Get(path.c_str())));
}
HttpReply SimHttp::Post(const std::string& path, const std::string& body) {
  return Finish("POST", path, From(Client(url_)->Post(path.c_str(), body, "application/json")));
}
HttpReply SimHttp::Put(const std::string& path, const std::string& body) {
  return Finish("PUT", path, From(Client(url_)->Put(path.c_str(), body, "application/json")));
}
HttpReply SimHttp::Delete(const std::string& path) {
  return Finish("DELETE", path, From(Client(url_)->Delete(path.c_str())));
}

uint64_t FirstRetCode(const std::string& body) {
  Json j(body);
  simdjson::dom::array arr;
  if (!j.ok() || j.root().get_array().get(arr) != simdjson::SUCCESS) return 0;
  uint64_t first = 0;
  bool have = false;
  for (auto e : arr) {
    int64_t rc = 0;
    if (e["ret_code"].get_int64().get(rc) != simdjson::SUCCESS) continue;
    const auto u = static_cast<uint64_t>(rc);
    if (rc::IsError(u)) return u;
    if (!have) first = u;
    have = true;
  }
  return first;
}

bool HasRetCode(const std::string& body, uint64_t ret_code) {
  Json j(body);
  simdjson::dom::array arr;
  if (!j.ok() || j.root().get_array().get(arr) != simdjson::SUCCESS) return false;
  for (auto e : arr) {
    int64_t rc = 0;
    if (e["ret_code"].get_int64().get(rc) == simdjson::SUCCESS &&
        static_cast<uint64_t>(rc) == ret_code) {
      return true;
    }
  }
  return false;
}

size_t ArraySize(const std::string& body) {
  Json j(body);
  simdjson::dom::array arr;
  if (!j.ok() || j.root().get_array().get(arr) != simdjson::SUCCESS) return static_cast<size_t>(-1);
  return arr.size();
}

std::vector<std::string> Field(const std::string& body, const char* field) {
  std::vector<std::string> out;
  Json j(body);
  simdjson::dom::array arr;
  if (!j.ok() || j.root().get_array().get(arr) != simdjson::SUCCESS) return out;
  for (auto e : arr) {
    std::string_view s;
    if (e[field].get_string().get(s) == simdjson::SUCCESS) out.emplace_back(s);
  }
  return out;
}

void TakeSnapshot(SimHttp& http, const std::string& rd, const std::string& name) {
  auto r =
      http.Post("/v1/resource-definitions/" + rd + "/snapshots", R"({"name":")" + name + "\"}");
  ASSERT_EQ(r.status, 201) << r.body;
}

void SimFixture::SetUp() {
  sim_ = std::make_unique<ScopedSimServer>();
  ASSERT_TRUE(sim_->status().ok()) << sim_->status().ToString();
  http_ = std::make_unique<SimHttp>(sim_->url());
}

void SimFixture::CreateRg(const std::string& rg, const std::string& filter_json) {
  auto r = http_->Post("/v1/resource-groups",
                       R"({"name":")" + rg + R"(","select_filter":)" + filter_json + "}");
  ASSERT_EQ(r.status, 201) << r.body;
}

void SimFixture::Spawn(const std::string& rg, const std::string& rd, int64_t size_kib) {
  auto r = http_->Post("/v1/resource-groups/" + rg + "/spawn", R"({"resource_definition_name":")" +
                                                                   rd + R"(","volume_sizes":[)" +
                                                                   std::to_string(size_kib) + "]}");
  ASSERT_EQ(r.status, 201) << r.body;
}

void SimFixture::CreateVd(const std::string& rd, int64_t size_kib) {
  auto r = http_->Post("/v1/resource-definitions/" + rd + "/volume-definitions",
                       R"({"volume_definition":{"size_kib":)" + std::to_string(size_kib) + "}}");
  ASSERT_EQ(r.status, 200) << r.body;
}

HttpReply SimFixture::RestoreVd(const std::string& src, const std::string& snap,
                                const std::string& dst) {
  return http_->Post(
      "/v1/resource-definitions/" + src + "/snapshot-restore-volume-definition/" + snap,
      R"({"to_resource":")" + dst + R"("})");
}

HttpReply SimFixture::Restore(const std::string& src, const std::string& snap,
                              const std::string& dst) {
  return http_->Post("/v1/resource-definitions/" + src + "/snapshot-restore-resource/" + snap,
                     R"({"to_resource":")" + dst + R"("})");
}

int64_t SimFixture::PoolFree(const std::string& node, const std::string& pool) {
  auto r = http_->Get("/v1/view/storage-pools?nodes=" + node + "&storage_pools=" + pool);
  Json j(r.body);
  for (auto e : j.root().get_array()) {
    int64_t free = 0;
    if (e["free_capacity"].get_int64().get(free) == simdjson::SUCCESS) return free;
  }
  return -1;
}

}  // namespace lcsi::sim::testing
