#include "linstor-sim/testing/sim_process.h"

#include <arpa/inet.h>
#include <httplib.h>
#include <netinet/in.h>
#include <signal.h>
#include <simdjson.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <thread>

#include "linstor-sim/loop_device.h"

#ifndef LCSI_SIM_BINARY
#error "LCSI_SIM_BINARY (path of the built linstor-sim) must be defined by CMake"
#endif

namespace lcsi::sim {

namespace fs = std::filesystem;

namespace {

Result<std::string> MakeTempDir(const char* prefix) {
  std::string templ = (fs::temp_directory_path() / (std::string(prefix) + "XXXXXX")).string();
  if (::mkdtemp(templ.data()) == nullptr) return Internal("mkdtemp failed");
  return templ;
}

void ReleaseAndRemove(const std::string& dir) {
  if (dir.empty()) return;
  std::error_code ec;
  const fs::path canonical = fs::canonical(dir, ec);
  if (!ec) {
    for (const auto& dev : LoopDevicesUnder(canonical.string())) (void)DetachLoop(dev);
  }
  fs::remove_all(dir, ec);
}

std::unique_ptr<httplib::Client> MakeClient(const std::string& url) {
  auto c = std::make_unique<httplib::Client>(url);
  c->enable_server_certificate_verification(false);
  c->set_connection_timeout(2, 0);
  c->set_read_timeout(10, 0);
  return c;
}

bool TcpConnects(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return false;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  const bool ok = ::connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0;
  ::close(fd);
  return ok;
}

bool WaitExited(pid_t pid, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    const pid_t r = ::waitpid(pid, &status, WNOHANG);
    if (r == pid || (r < 0 && errno == ECHILD)) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return false;
}

}  // namespace

Result<std::unique_ptr<SimProcess>> SimProcess::Start(SimProcessOptions options) {
  // A client writing to a connection the sim dropped (fault injection, refused TLS client)
  // must get an error, not die of SIGPIPE.
  std::signal(SIGPIPE, SIG_IGN);
  std::unique_ptr<SimProcess> p(new SimProcess());
  p->options_ = std::move(options);
  auto dir = MakeTempDir("linstor-sim-");
  if (!dir.ok()) return dir.status();
  p->data_dir_ = *dir;
  // Restart() needs the same port back. A port from the kernel's ephemeral range (what port 0
  // gets) can be taken by another test's outgoing connection while the sim is down, so the port
  // comes from below that range; a clash with another listener there is retried on another one.
  std::mt19937 random(std::random_device{}());
  std::uniform_int_distribution<int> below_ephemeral(20000, 32767);
  Status st;
  for (int attempt = 0; attempt < 8; ++attempt) {
    st = p->Spawn(below_ephemeral(random));
    if (st.ok() || st.code() != Code::kUnavailable) break;  // Unavailable: it could not bind
  }
  if (!st.ok()) return st;  // the destructor cleans up
  return p;
}

SimProcess::~SimProcess() {
  (void)Stop();
  ReleaseAndRemove(data_dir_);
}

Status SimProcess::Spawn(int port) {
  const std::string port_file = data_dir_ + "/port";
  ::unlink(port_file.c_str());
  std::vector<std::string> args = {
      LCSI_SIM_BINARY,
      "--listen=127.0.0.1:" + std::to_string(port),
      "--data-dir=" + data_dir_,
      "--port-file=" + port_file,
      "--seed=" + std::to_string(options_.seed),
      "--log-level=" + options_.log_level,
      "--backing=" + std::string(options_.loop_backing ? "loop" : "none"),
      "--persist-interval-ms=50",
  };
  if (!options_.cluster_file.empty()) args.push_back("--cluster=" + options_.cluster_file);
  if (options_.strict_schema) args.push_back("--strict-schema");
  if (!options_.tls_cert.empty()) {
    args.push_back("--tls-cert=" + options_.tls_cert);
    args.push_back("--tls-key=" + options_.tls_key);
  }
  if (!options_.tls_client_ca.empty()) args.push_back("--tls-client-ca=" + options_.tls_client_ca);
  for (const auto& a : options_.extra_args) args.push_back(a);
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);

  const pid_t parent = ::getpid();
  const pid_t pid = ::fork();
  if (pid < 0) return Internal("fork failed");
  if (pid == 0) {
    // Do not outlive the test process.
    ::prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (::getppid() != parent) ::_exit(1);
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  pid_ = pid;

  // Wait for the port file (the sim writes it after binding).
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (true) {
    std::ifstream in(port_file);
    int bound = 0;
    if (in >> bound && bound > 0) {
      port_ = bound;
      break;
    }
    int status = 0;
    if (::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return Unavailable("linstor-sim exited during start-up (status " + std::to_string(status) +
                         ")");
    }
    if (std::chrono::steady_clock::now() > deadline) {
      (void)Kill();
      return DeadlineExceeded("linstor-sim did not bind within 10 s");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  url_ = std::string(options_.tls_cert.empty() ? "http" : "https") +
         "://127.0.0.1:" + std::to_string(port_);
  return WaitReady();
}

Status SimProcess::WaitReady() {
  auto client = MakeClient(url_);
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (std::chrono::steady_clock::now() < deadline) {
    if (options_.tls_client_ca.empty()) {
      auto res = client->Get("/v1/controller/version");
      if (res && res->status == 200) return Status::Ok();
    } else if (TcpConnects(port_)) {
      // Client certificates required: accepting connections is the readiness check.
      return Status::Ok();
    }
    int status = 0;
    if (pid_ > 0 && ::waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return Unavailable("linstor-sim exited before answering");
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return DeadlineExceeded("linstor-sim did not answer within 10 s");
}

Status SimProcess::Kill() {
  if (pid_ <= 0) return Status::Ok();
  ::kill(pid_, SIGKILL);
  int status = 0;
  ::waitpid(pid_, &status, 0);
  pid_ = -1;
  return Status::Ok();
}

Status SimProcess::Stop() {
  if (pid_ <= 0) return Status::Ok();
  ::kill(pid_, SIGTERM);
  if (!WaitExited(pid_, std::chrono::seconds(15))) {
    ::kill(pid_, SIGKILL);
    int status = 0;
    ::waitpid(pid_, &status, 0);
    pid_ = -1;
    return DeadlineExceeded("linstor-sim ignored SIGTERM for 15 s; killed");
  }
  pid_ = -1;
  return Status::Ok();
}

Status SimProcess::Restart() {
  LCSI_RETURN_IF_ERROR(Stop());
  return Spawn(port_);
}

// ---------------------------------------------------------------- ScopedSimServer

ScopedSimServer::ScopedSimServer(ScopedSimOptions options) {
  SimOptions o;
  o.listen = "127.0.0.1:0";
  o.strict_schema = options.strict_schema;
  o.cluster_file = options.cluster_file;
  o.seed = options.seed;
  o.threads = 16;
  if (options.temp_data_dir || options.loop_backing) {
    auto dir = MakeTempDir("linstor-sim-inproc-");
    if (!dir.ok()) {
      status_ = dir.status();
      return;
    }
    data_dir_ = *dir;
    o.data_dir = data_dir_;
    o.persist_interval_ms = 20;
  }
  if (options.loop_backing) o.backing = "loop";
  server_ = std::make_unique<SimServer>(o);
  status_ = server_->Start();
}

ScopedSimServer::~ScopedSimServer() {
  if (server_) server_->Stop();
  server_.reset();
  ReleaseAndRemove(data_dir_);
}

// ---------------------------------------------------------------- SimAdminClient

Result<std::string> SimAdminClient::Call(const std::string& method, const std::string& path,
                                         const std::string& body, int expected_status) {
  if (in_process_ != nullptr) {
    SimAnswer answer = in_process_->Serve(SimRequest{method, path, body});
    if (answer.status != expected_status) {
      return Internal("admin " + method + " " + path + ": HTTP " + std::to_string(answer.status) +
                      ": " + answer.body);
    }
    return std::move(answer.body);
  }
  auto client = MakeClient(url_);
  httplib::Result res = [&] {
    if (method == "GET") return client->Get(path.c_str());
    if (method == "POST") return client->Post(path.c_str(), body, "application/json");
    if (method == "PUT") return client->Put(path.c_str(), body, "application/json");
    return client->Delete(path.c_str());
  }();
  if (!res)
    return Unavailable("admin " + method + " " + path + ": " + httplib::to_string(res.error()));
  if (res->status != expected_status) {
    return Internal("admin " + method + " " + path + ": HTTP " + std::to_string(res->status) +
                    ": " + res->body);
  }
  return res->body;
}

Status SimAdminClient::AddFault(const std::string& rule_json) {
  return Call("POST", "/admin/v1/faults", rule_json, 201).status();
}
Status SimAdminClient::ClearFaults() {
  return Call("DELETE", "/admin/v1/faults", "", 200).status();
}
Status SimAdminClient::SetNodeOnline(const std::string& node, bool online) {
  return Call("POST", "/admin/v1/nodes/" + node + (online ? "/online" : "/offline"), "", 200)
      .status();
}
Status SimAdminClient::SetInUse(const std::string& resource, const std::string& node, bool in_use) {
  return Call("POST", "/admin/v1/resources/" + resource + "/" + node + "/in-use",
              std::string("{\"in_use\":") + (in_use ? "true" : "false") + "}", 200)
      .status();
}
Status SimAdminClient::SetSnapshotSuccessful(const std::string& resource,
                                             const std::string& snapshot, bool successful) {
  return Call("POST", "/admin/v1/snapshots/" + resource + "/" + snapshot + "/successful",
              std::string("{\"successful\":") + (successful ? "true" : "false") + "}", 200)
      .status();
}
Status SimAdminClient::SetReportedVersion(const std::string& version,
                                          const std::string& rest_api_version) {
  return Call("PUT", "/admin/v1/settings",
              "{\"version\":\"" + version + "\",\"rest_api_version\":\"" + rest_api_version + "\"}",
              200)
      .status();
}
Status SimAdminClient::SetDrbdState(const std::string& resource, const std::string& node,
                                    const std::string& fault_json) {
  return Call("POST", "/admin/v1/resources/" + resource + "/" + node + "/drbd", fault_json, 200)
      .status();
}
Status SimAdminClient::ClearDrbdState(const std::string& resource, const std::string& node) {
  return Call("DELETE", "/admin/v1/resources/" + resource + "/" + node + "/drbd", "", 200).status();
}
Status SimAdminClient::ResetCounters() {
  return Call("DELETE", "/admin/v1/counters", "", 200).status();
}
Status SimAdminClient::Flush() { return Call("POST", "/admin/v1/flush", "", 200).status(); }
Status SimAdminClient::SetClonePolls(int polls) {
  return Call("PUT", "/admin/v1/settings", "{\"clone_polls\":" + std::to_string(polls) + "}", 200)
      .status();
}

namespace {
Result<std::map<std::string, int64_t>> ParseCounts(const std::string& body) {
  simdjson::dom::parser parser;
  simdjson::dom::object obj;
  if (parser.parse(body).get(obj) != simdjson::SUCCESS) return Internal("bad admin JSON");
  std::map<std::string, int64_t> out;
  for (auto [k, v] : obj) {
    int64_t n = 0;
    if (v.get_int64().get(n) == simdjson::SUCCESS) out[std::string(k)] = n;
  }
  return out;
}
}  // namespace

Result<std::map<std::string, int64_t>> SimAdminClient::Counters() {
  auto body = Call("GET", "/admin/v1/counters", "", 200);
  if (!body.ok()) return body.status();
  return ParseCounts(*body);
}

Result<std::map<std::string, int64_t>> SimAdminClient::StateSummary() {
  auto body = Call("GET", "/admin/v1/state-summary", "", 200);
  if (!body.ok()) return body.status();
  return ParseCounts(*body);
}

std::map<std::string, int64_t> CounterDelta(const std::map<std::string, int64_t>& before,
                                            const std::map<std::string, int64_t>& after) {
  std::map<std::string, int64_t> out;
  for (const auto& [k, v] : after) {
    auto it = before.find(k);
    const int64_t d = v - (it == before.end() ? 0 : it->second);
    if (d != 0) out[k] = d;
  }
  return out;
}

}  // namespace lcsi::sim
