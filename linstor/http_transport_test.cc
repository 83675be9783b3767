// HttpLinstorClient/HttpTransport against a scripted local HTTP server: headers sent,
// retries, failover, warnings, error decoding, observer. (Behaviour against a full
// LINSTOR simulation is in http_linstor_client_test.cc.)
#include <gtest/gtest.h>
#include <httplib.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

#include "base/http_listen_backlog.h"
#include "linstor/http_linstor_client.h"

namespace lcsi::linstor {
namespace {

constexpr const char* kVersion = R"({"version":"1.28.0","rest_api_version":"1.22.0"})";

// A local HTTP server answering from a script; records the requests it saw.
class StubServer {
 public:
  struct Answer {
    int status;
    std::string body;
  };
  struct Seen {
    std::string method, path, authorization, user_agent, content_type, body;
  };

  StubServer() {
    server_.set_keep_alive_max_count(100);
    server_.set_tcp_nodelay(true);
    auto handler = [this](const httplib::Request& req, httplib::Response& res) {
      std::lock_guard<std::mutex> lock(mu_);
      std::string path = req.path;
      if (!req.params.empty()) {
        std::string q;
        for (const auto& [k, v] : req.params) q += (q.empty() ? "?" : "&") + k + "=" + v;
        path += q;
      }
      seen_.push_back({req.method, path, req.get_header_value("Authorization"),
                       req.get_header_value("User-Agent"), req.get_header_value("Content-Type"),
                       req.body});
      Answer a = script_.empty() ? fallback_ : script_.front();
      if (!script_.empty()) script_.pop_front();
      res.status = a.status;
      res.set_content(a.body, "application/json");
    };
    server_.Get(".*", handler);
    server_.Post(".*", handler);
    server_.Put(".*", handler);
    server_.Delete(".*", handler);
    HttpListenBacklog backlog(server_);  // 8 callers connect at once
    port_ = server_.bind_to_any_port("127.0.0.1");
    backlog.Raise();
    thread_ = std::thread([this] { server_.listen_after_bind(); });
  }
  ~StubServer() {
    server_.stop();
    thread_.join();
  }

  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }
  void Script(std::vector<Answer> answers) {
    std::lock_guard<std::mutex> lock(mu_);
    script_.assign(answers.begin(), answers.end());
  }
  void Fallback(Answer a) {
    std::lock_guard<std::mutex> lock(mu_);
    fallback_ = std::move(a);
  }
  std::vector<Seen> seen() {
    std::lock_guard<std::mutex> lock(mu_);
    return seen_;
  }

 private:
  httplib::Server server_;
  std::thread thread_;
  int port_ = 0;
  std::mutex mu_;
  std::deque<Answer> script_;
  Answer fallback_{200, kVersion};
  std::vector<Seen> seen_;
};

// A port with nothing listening: bound to learn a free port number, then closed.
int DeadPort() {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof(addr);
  EXPECT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
  EXPECT_EQ(::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len), 0);
  ::close(fd);
  return ntohs(addr.sin_port);
}

ClientConfig ConfigFor(const std::vector<std::string>& urls) {
  ClientConfig c;
  c.controllers = urls;
  c.retry_backoff = std::chrono::milliseconds(1);
  c.max_retry_backoff = std::chrono::milliseconds(5);
  c.connect_timeout = std::chrono::milliseconds(1000);
  c.request_timeout = std::chrono::milliseconds(3000);
  return c;
}

// Retry back-offs of clients made without a clock of their own: they cost no real time.
FakeClock& NoWaitClock() {
  static FakeClock clock;
  return clock;
}

std::unique_ptr<HttpLinstorClient> MakeClient(const ClientConfig& c,
                                              RequestObserver observer = nullptr,
                                              Clock& clock = NoWaitClock()) {
  auto client = HttpLinstorClient::Create(c, std::move(observer), clock);
  EXPECT_TRUE(client.ok()) << client.status().ToString();
  return client.ok() ? std::move(client).value() : nullptr;
}

TEST(HttpTransportTest, SendsBasicAuthUserAgentAndJson) {
  StubServer stub;
  ClientConfig c = ConfigFor({stub.url()});
  c.username = "admin";
  c.password = "pa:ss";
  auto client = MakeClient(c);
  ASSERT_TRUE(client->GetVersion().ok());
  stub.Fallback({201, "[]"});
  ASSERT_TRUE(client->CreateResourceGroup(ResourceGroup{"rg1", "", {}, {}, {}, ""}).ok());
  auto seen = stub.seen();
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0].method, "GET");
  EXPECT_EQ(seen[0].path, "/v1/controller/version");
  EXPECT_EQ(seen[0].authorization, "Basic YWRtaW46cGE6c3M=");  // base64("admin:pa:ss")
  EXPECT_EQ(seen[0].user_agent, "linstor-csi-cpp");
  EXPECT_EQ(seen[1].method, "POST");
  EXPECT_EQ(seen[1].path, "/v1/resource-groups");
  EXPECT_EQ(seen[1].content_type, "application/json");
  EXPECT_EQ(seen[1].body, R"({"name":"rg1","select_filter":{}})");
}

TEST(HttpTransportTest, SendsBearerToken) {
  StubServer stub;
  ClientConfig c = ConfigFor({stub.url()});
  c.bearer_token = "tok.en-1";
  auto client = MakeClient(c);
  ASSERT_TRUE(client->GetVersion().ok());
  ASSERT_EQ(stub.seen().size(), 1u);
  EXPECT_EQ(stub.seen()[0].authorization, "Bearer tok.en-1");
}

TEST(HttpTransportTest, EncodesPathSegmentsAndQueryParameters) {
  StubServer stub;
  stub.Fallback({200, "[]"});
  auto client = MakeClient(ConfigFor({stub.url()}));
  ResourceViewFilter f;
  f.nodes = {"n 1", "n2"};
  f.props = {"Aux/csi/owner=me&you"};
  f.limit = 10;
  ASSERT_TRUE(client->ViewResources(f).ok());
  ASSERT_TRUE(client->ListSnapshots("rd x/y?z").ok());
  auto seen = stub.seen();
  ASSERT_EQ(seen.size(), 2u);
  // The server decodes parameters: the values arrive intact.
  EXPECT_EQ(seen[0].path,
            "/v1/view/resources?limit=10&nodes=n 1&nodes=n2&props=Aux/csi/owner=me&you");
  // Unencoded, '?' would have started a query string and the space broken the request.
  EXPECT_EQ(seen[1].path, "/v1/resource-definitions/rd x/y?z/snapshots");
}

TEST(HttpTransportTest, RetriesIdempotentRequestsOn503) {
  StubServer stub;
  stub.Script({{503, "[]"}, {503, "[]"}});
  std::atomic<int> attempts{0};
  auto client = MakeClient(ConfigFor({stub.url()}), [&](const HttpRequestInfo& info) {
    attempts++;
    EXPECT_EQ(info.path_template, "/v1/controller/version");
    EXPECT_EQ(info.method, "GET");
  });
  auto v = client->GetVersion();
  ASSERT_TRUE(v.ok()) << v.error().ToString();
  EXPECT_EQ(v->version, "1.28.0");
  EXPECT_EQ(attempts.load(), 3);
  EXPECT_EQ(stub.seen().size(), 3u);
}

TEST(HttpTransportTest, BacksOffOnTheClockDoublingWithJitterUpToTheCap) {
  StubServer stub;
  stub.Script({{503, "[]"}, {503, "[]"}, {503, "[]"}});
  ClientConfig c = ConfigFor({stub.url()});
  c.max_retries = 3;
  c.retry_backoff = std::chrono::milliseconds(100);
  c.max_retry_backoff = std::chrono::milliseconds(150);
  FakeClock clock;
  auto client = MakeClient(c, nullptr, clock);
  ASSERT_TRUE(client->GetVersion().ok());
  const std::vector<Clock::Duration> sleeps = clock.sleeps();
  ASSERT_EQ(sleeps.size(), 3u) << "one back-off before each of the 3 retries";
  // Each delay is the back-off times a jitter in [0.5, 1]; the back-off doubles up to the cap.
  using std::chrono::milliseconds;
  EXPECT_GE(sleeps[0], milliseconds(50));
  EXPECT_LE(sleeps[0], milliseconds(100));
  EXPECT_GE(sleeps[1], milliseconds(75));
  EXPECT_LE(sleeps[1], milliseconds(150));
  EXPECT_GE(sleeps[2], milliseconds(75));
  EXPECT_LE(sleeps[2], milliseconds(150));
}

TEST(HttpTransportTest, RateLimitWaitsOnTheClock) {
  StubServer stub;
  ClientConfig c = ConfigFor({stub.url()});
  c.rate_limit_per_second = 10;
  c.rate_limit_burst = 1;
  FakeClock clock;
  auto client = MakeClient(c, nullptr, clock);
  for (int i = 0; i < 3; ++i) ASSERT_TRUE(client->GetVersion().ok());
  EXPECT_EQ(stub.seen().size(), 3u);
  // The first request takes the one saved token; each later one waits 100 ms for the next.
  ASSERT_EQ(clock.sleeps().size(), 2u);
  EXPECT_EQ(std::chrono::duration_cast<std::chrono::milliseconds>(clock.slept()).count(), 200);
}

TEST(HttpTransportTest, GivesUpAfterMaxRetriesWithUnavailable) {
  StubServer stub;
  stub.Fallback({503, R"([{"ret_code":-4611686018427386881,"message":"overloaded"}])"});
  ClientConfig c = ConfigFor({stub.url()});
  c.max_retries = 2;
  auto client = MakeClient(c);
  auto v = client->GetNode("n1");
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.kind(), LinstorErrorKind::kUnavailable);
  EXPECT_TRUE(v.error().IsRetryable());
  EXPECT_EQ(v.status().code(), Code::kUnavailable);
  EXPECT_NE(v.error().message().find("overloaded"), std::string::npos);
  EXPECT_EQ(stub.seen().size(), 3u);
}

TEST(HttpTransportTest, DoesNotRetryPostOn503) {
  StubServer stub;
  stub.Fallback({503, "[]"});
  auto client = MakeClient(ConfigFor({stub.url()}));
  ResourceGroupSpawn spawn;
  spawn.resource_definition_name = "pvc-1";
  spawn.volume_sizes = {1024};
  LinstorStatus st = client->Spawn("rg", spawn);
  EXPECT_TRUE(st.Is(LinstorErrorKind::kUnavailable));
  EXPECT_EQ(stub.seen().size(), 1u);
}

TEST(HttpTransportTest, FailsOverToTheNextControllerAndSticksToIt) {
  StubServer stub;
  const std::string dead = "http://127.0.0.1:" + std::to_string(DeadPort());
  std::vector<std::string> controllers;
  std::mutex mu;
  auto client = MakeClient(ConfigFor({dead, stub.url()}), [&](const HttpRequestInfo& info) {
    std::lock_guard<std::mutex> lock(mu);
    controllers.push_back(std::string(info.controller) + " " + std::to_string(info.status));
  });
  ASSERT_TRUE(client->GetVersion().ok());
  // POSTs fail over too: nothing was sent to the dead controller.
  stub.Fallback({201, "[]"});
  ASSERT_TRUE(client->CreateResourceGroup(ResourceGroup{"rg1", "", {}, {}, {}, ""}).ok());
  ASSERT_EQ(controllers.size(), 3u);
  EXPECT_EQ(controllers[0], dead + " 0");
  EXPECT_EQ(controllers[1], stub.url() + " 200");
  EXPECT_EQ(controllers[2], stub.url() + " 201");  // the live one is now preferred
}

TEST(HttpTransportTest, AllControllersDownIsUnavailable) {
  ClientConfig c = ConfigFor({"http://127.0.0.1:" + std::to_string(DeadPort()),
                              "http://127.0.0.1:" + std::to_string(DeadPort())});
  c.max_retries = 1;
  auto client = MakeClient(c);
  auto v = client->GetVersion();
  ASSERT_FALSE(v.ok());
  EXPECT_EQ(v.kind(), LinstorErrorKind::kUnavailable);
  EXPECT_NE(v.error().message().find("GET /v1/controller/version"), std::string::npos);
}

TEST(HttpTransportTest, ReadTimeoutIsUnavailable) {
  // The answer comes only after the client has given up (at most 5 s later).
  std::mutex mu;
  std::condition_variable cv;
  bool gave_up = false;
  httplib::Server slow;
  slow.set_tcp_nodelay(true);
  slow.Get(".*", [&](const httplib::Request&, httplib::Response& res) {
    std::unique_lock lock(mu);
    cv.wait_for(lock, std::chrono::seconds(5), [&] { return gave_up; });
    res.set_content(kVersion, "application/json");
  });
  const int port = slow.bind_to_any_port("127.0.0.1");
  std::thread t([&] { slow.listen_after_bind(); });
  ClientConfig c = ConfigFor({"http://127.0.0.1:" + std::to_string(port)});
  c.request_timeout = std::chrono::milliseconds(200);
  c.max_retries = 0;
  auto client = MakeClient(c);
  auto v = client->GetVersion();
  EXPECT_EQ(v.kind(), LinstorErrorKind::kUnavailable);
  {
    std::lock_guard lock(mu);
    gave_up = true;
  }
  cv.notify_all();
  slow.stop();
  t.join();
}

TEST(HttpTransportTest, WarningsInSuccessAreNotErrors) {
  StubServer stub;
  stub.Fallback({201, R"([{"ret_code":20447233,"message":"created"},)"
                      R"({"ret_code":-9223372036851366934,"message":"satellite offline"}])"});
  auto client = MakeClient(ConfigFor({stub.url()}));
  EXPECT_TRUE(client->CreateResourceDefinition({"rd1", "", {}}).ok());
}

TEST(HttpTransportTest, ErrorEntryInSuccessStatusIsAnError) {
  StubServer stub;
  stub.Fallback({200, R"([{"ret_code":-4611686018373647387,"message":"in use"}])"});
  auto client = MakeClient(ConfigFor({stub.url()}));
  LinstorStatus st = client->DeleteResource("rd1", "n1");
  EXPECT_TRUE(st.Is(LinstorErrorKind::kInUse));
}

TEST(HttpTransportTest, ErrorAnswersAreClassified) {
  StubServer stub;
  stub.Script({
      {404, R"([{"ret_code":-4611686018423717587,"message":"Resource definition 'x' not found.",)"
            R"("cause":"no such thing"}])"},
      {500, "<html>proxy error</html>"},
      {400, R"([{"ret_code":-3458764513820540931,"message":"parse error"}])"},
      {401, ""},
      {200, "not json"},
  });
  auto client = MakeClient(ConfigFor({stub.url()}));
  auto a = client->GetResourceDefinition("x");
  EXPECT_TRUE(a.IsNotFound());
  EXPECT_NE(a.error().message().find("no such thing"), std::string::npos);
  EXPECT_EQ(a.error().http_status(), 404);
  auto b = client->GetResourceDefinition("x");
  EXPECT_EQ(b.kind(), LinstorErrorKind::kInternal);
  EXPECT_NE(b.error().message().find("proxy error"), std::string::npos);
  EXPECT_EQ(client->GetResourceDefinition("x").kind(), LinstorErrorKind::kInvalidRequest);
  EXPECT_EQ(client->GetResourceDefinition("x").kind(), LinstorErrorKind::kUnauthorized);
  EXPECT_EQ(client->GetResourceDefinition("x").kind(), LinstorErrorKind::kBadResponse);
}

// httplib's server listens with a backlog of 5: a burst of new connections may see a
// dropped SYN and a connect timeout; the retry covers it.
TEST(HttpTransportTest, ConcurrentCallersShareThePool) {
  StubServer stub;
  ClientConfig c = ConfigFor({stub.url()});
  c.max_idle_connections = 16;
  auto client = MakeClient(c);
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 25; ++i)
        if (client->GetVersion().ok()) ok++;
    });
  }
  for (auto& th : threads) th.join();
  EXPECT_EQ(ok.load(), 200);
}

TEST(HttpTransportTest, RejectsBadTlsMaterial) {
  ClientConfig c = ConfigFor({"https://127.0.0.1:1"});
  c.root_ca_pem = "not a pem";
  EXPECT_EQ(HttpLinstorClient::Create(c).status().code(), Code::kInvalidArgument);
  ClientConfig d = ConfigFor({"https://127.0.0.1:1"});
  d.client_cert_pem = "x";
  d.client_key_pem = "y";
  EXPECT_EQ(HttpLinstorClient::Create(d).status().code(), Code::kInvalidArgument);
}

}  // namespace
}  // namespace lcsi::linstor
