#include "linstor-sim/sim_server.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <httplib.h>
#include <netinet/in.h>
#include <spdlog/spdlog.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <csignal>
#include <cstring>
#include <fstream>
#include <functional>

#include "base/atomic_file.h"
#include "base/http_listen_backlog.h"
#include "base/parse_int.h"
#include "base/read_file.h"
#include "linstor-sim/api_call_rc.h"
#include "linstor-sim/api_consts.h"
#include "linstor-sim/backing.h"
#include "linstor-sim/cluster_config.h"
#include "linstor-sim/cluster_state.h"
#include "linstor-sim/drbd_state.h"
#include "linstor-sim/faults.h"
#include "linstor-sim/handler_reads.h"
#include "linstor-sim/requests.h"
#include "linstor-sim/schema_check.h"
#include "linstor-sim/sim_routes.h"
#include "linstor-sim/state_persister.h"

namespace lcsi::sim {

namespace {

// Closes the client's connection without an answer: finds the socket by its addresses
// (httplib does not expose it) and shuts it down; httplib then fails to write and closes.
void DropConnection(const httplib::Request& req) {
  DIR* d = ::opendir("/proc/self/fd");
  if (d == nullptr) return;
  while (dirent* e = ::readdir(d)) {
    const int fd = ParseInt<int>(e->d_name).value_or(-1);  // "." and ".." are not fds
    if (fd <= 2) continue;
    sockaddr_storage local{}, peer{};
    socklen_t ll = sizeof(local), pl = sizeof(peer);
    if (::getsockname(fd, reinterpret_cast<sockaddr*>(&local), &ll) != 0) continue;
    if (::getpeername(fd, reinterpret_cast<sockaddr*>(&peer), &pl) != 0) continue;
    auto port_of = [](const sockaddr_storage& s) -> int {
      if (s.ss_family == AF_INET) return ntohs(reinterpret_cast<const sockaddr_in&>(s).sin_port);
      if (s.ss_family == AF_INET6) return ntohs(reinterpret_cast<const sockaddr_in6&>(s).sin6_port);
      return -1;
    };
    if (port_of(local) == req.local_port && port_of(peer) == req.remote_port) {
      ::shutdown(fd, SHUT_RDWR);
      break;
    }
  }
  ::closedir(d);
}

// %XX decoded; '+' is a space in a query (form encoding) and literal in a path.
std::string PercentDecode(std::string_view s, bool plus_is_space) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    const std::optional<unsigned char> escaped =
        s[i] == '%' && i + 2 < s.size() ? ParseInt<unsigned char>(s.substr(i + 1, 2), 16)
                                        : std::nullopt;
    if (escaped) {
      out.push_back(static_cast<char>(*escaped));
      i += 2;
    } else {
      out.push_back(plus_is_space && s[i] == '+' ? ' ' : s[i]);
    }
  }
  return out;
}

// The URL's query parameters in order (httplib also mixes form bodies into req.params).
std::vector<std::pair<std::string, std::string>> QueryParams(const std::string& target) {
  std::vector<std::pair<std::string, std::string>> out;
  const auto q = target.find('?');
  if (q == std::string::npos) return out;
  std::string_view rest = std::string_view(target).substr(q + 1);
  while (!rest.empty()) {
    auto amp = rest.find('&');
    std::string_view item = rest.substr(0, amp);
    rest = amp == std::string_view::npos ? std::string_view() : rest.substr(amp + 1);
    if (item.empty()) continue;
    const auto eq = item.find('=');
    out.emplace_back(
        PercentDecode(item.substr(0, eq), true),
        eq == std::string_view::npos ? std::string() : PercentDecode(item.substr(eq + 1), true));
  }
  return out;
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

// A JAX-RS int query parameter: Java's Integer.valueOf (one optional sign, digits, no spaces,
// within int32).
Result<int32_t> ParseQueryInt(std::string_view s, const char* name) {
  if (s.starts_with('+') && !s.starts_with("+-")) s.remove_prefix(1);
  if (const std::optional<int32_t> v = ParseInt<int32_t>(s)) return *v;
  return InvalidArgument(std::string("query parameter ") + name + " must be an integer");
}

}  // namespace

SimServer::SimServer(SimOptions options) : options_(std::move(options)) {}

SimServer::~SimServer() { Stop(); }

std::string SimServer::url() const {
  const bool tls = !options_.tls_cert.empty();
  std::string host = host_;
  if (host.empty() || host == "0.0.0.0") host = "127.0.0.1";
  if (host.find(':') != std::string::npos) host = "[" + host + "]";
  return std::string(tls ? "https://" : "http://") + host + ":" + std::to_string(port_);
}

void SimServer::Count(const std::string& key) {
  std::lock_guard<std::mutex> lock(counters_mu_);
  ++counters_[key];
}

void SimServer::Persist() {
  if (persister_) persister_->MarkDirty();
}

Status SimServer::Open() {
  if (opened_.exchange(true)) return FailedPrecondition("already opened");
  ClusterConfig config = DefaultClusterConfig();
  if (!options_.cluster_file.empty()) {
    auto loaded = LoadClusterConfigFile(options_.cluster_file);
    if (!loaded.ok()) return loaded.status();
    config = std::move(*loaded);
  } else if (!options_.cluster_json.empty()) {
    auto parsed = ParseClusterConfig(options_.cluster_json);
    if (!parsed.ok()) return parsed.status();
    config = std::move(*parsed);
  }
  std::unique_ptr<Backing> backing;
  if (options_.backing == "loop") {
    if (options_.data_dir.empty()) return InvalidArgument("--backing=loop needs --data-dir");
    auto loop = LoopBacking::Open(options_.data_dir);
    if (!loop.ok()) return loop.status();
    backing = std::move(*loop);
  } else if (options_.backing == "none" || options_.backing.empty()) {
    backing = std::make_unique<NominalBacking>();
  } else {
    return InvalidArgument("--backing must be none or loop, not " + options_.backing);
  }
  state_ = std::make_unique<ClusterState>(std::move(config), std::move(backing), options_.seed);
  faults_ = std::make_unique<FaultInjector>();
  schema_ = &ApiSchema::Builtin();

  if (!options_.data_dir.empty()) {
    const std::string path = options_.data_dir + "/state.json";
    if (::access(path.c_str(), F_OK) == 0) {
      auto data = ReadWholeFile(path);
      if (!data.ok()) return data.status();
      Status st = state_->Load(*data);
      if (!st.ok()) return st.WithContext(path);
      spdlog::info("linstor-sim: state loaded from {}", path);
    }
    persister_ = std::make_unique<StatePersister>(
        path,
        [this] {
          std::lock_guard<std::mutex> lock(state_mu_);
          return state_->Serialize();
        },
        std::chrono::milliseconds(options_.persist_interval_ms));
  }

  RegisterRoutes();
  return Status::Ok();
}

Status SimServer::Start() {
  if (started_.exchange(true)) return FailedPrecondition("already started");
  std::signal(SIGPIPE, SIG_IGN);  // writes to dropped connections must not kill us
  LCSI_RETURN_IF_ERROR(Open());

  if (!options_.tls_cert.empty() || !options_.tls_key.empty()) {
    if (options_.tls_cert.empty() || options_.tls_key.empty()) {
      return InvalidArgument("--tls-cert and --tls-key go together");
    }
    const char* ca = options_.tls_client_ca.empty() ? nullptr : options_.tls_client_ca.c_str();
    auto ssl = std::make_unique<httplib::SSLServer>(options_.tls_cert.c_str(),
                                                    options_.tls_key.c_str(), ca);
    if (!ssl->is_valid()) return InvalidArgument("cannot load the TLS certificate or key");
    http_ = std::move(ssl);
  } else {
    http_ = std::make_unique<httplib::Server>();
  }
  const size_t threads = static_cast<size_t>(std::max(options_.threads, 2));
  http_->new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  http_->set_payload_max_length(64 * 1024 * 1024);
  // Answers go out in more than one write; without TCP_NODELAY, Nagle plus the client's
  // delayed ACK add ~40 ms to every request.
  http_->set_tcp_nodelay(true);
  // cpp-httplib closes a keep-alive connection after 5 requests by default; LINSTOR's HTTP
  // server (Grizzly) keeps it for 256. Reconnecting every 5 requests costs both sides CPU and,
  // with many clients, overflows the listen backlog (below).
  http_->set_keep_alive_max_count(256);
  // The compiled cpp-httplib listens with a backlog of 5: 32 clients connecting at once would
  // lose SYNs and stall for the 1 s SYN retransmit.
  HttpListenBacklog backlog(*http_);
  auto handler = [this](const httplib::Request& req, httplib::Response& res) { Handle(req, res); };
  http_->Get(".*", handler);
  http_->Post(".*", handler);
  http_->Put(".*", handler);
  http_->Delete(".*", handler);
  http_->Patch(".*", handler);

  const auto colon = options_.listen.rfind(':');
  if (colon == std::string::npos) return InvalidArgument("--listen needs HOST:PORT");
  host_ = options_.listen.substr(0, colon);
  if (host_.size() > 2 && host_.front() == '[' && host_.back() == ']') {
    host_ = host_.substr(1, host_.size() - 2);
  }
  const std::optional<int> port = ParseInt<int>(options_.listen.substr(colon + 1));
  if (!port || *port < 0 || *port > 65535) {
    return InvalidArgument("bad port in --listen " + options_.listen);
  }
  if (*port == 0) {
    port_ = http_->bind_to_any_port(host_);
    if (port_ <= 0) return Unavailable("cannot bind " + options_.listen);
  } else {
    if (!http_->bind_to_port(host_, static_cast<int>(*port))) {
      return Unavailable("cannot bind " + options_.listen);
    }
    port_ = static_cast<int>(*port);
  }
  if (!backlog.Raise()) {
    spdlog::warn("linstor-sim: cannot raise the listen backlog: {}", std::strerror(errno));
  }
  if (!options_.port_file.empty()) {
    LCSI_RETURN_IF_ERROR(WriteFileAtomically(options_.port_file, std::to_string(port_) + "\n", 0600,
                                             Durability::kSurvivesMachineCrash));
  }
  thread_ = std::thread([this] {
    if (!http_->listen_after_bind()) spdlog::error("linstor-sim: listen failed");
  });
  // Wait until the listener runs so that callers can connect right away.
  for (int i = 0; i < 500 && !http_->is_running(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
  }
  spdlog::info("linstor-sim: serving LINSTOR REST API on {} ({} nodes, backing {}{})", url(),
               state_->Summary().nodes, options_.backing,
               options_.strict_schema ? ", strict schema" : "");
  return Status::Ok();
}

void SimServer::Stop() {
  if (!opened_ || stopped_.exchange(true)) return;
  if (http_) http_->stop();
  if (thread_.joinable()) thread_.join();
  persister_.reset();  // final synchronous write
  if (state_) {
    std::lock_guard<std::mutex> lock(state_mu_);
    state_->DetachBacking();
  }
  spdlog::info("linstor-sim: stopped");
}

void SimServer::Wait() {
  if (thread_.joinable()) thread_.join();
}

Reply SimServer::Dispatch(const Route& route, const Context& ctx) {
  std::lock_guard<std::mutex> lock(state_mu_);
  Reply reply = route.handler(ctx);
  // GETs may change state too (clone status polls); persisting is cheap when coalesced.
  if (route.mutating || route.key.find("/clone/") != std::string::npos) Persist();
  return reply;
}

void SimServer::Handle(const httplib::Request& req, httplib::Response& res) {
  SimAnswer answer = Serve(SimRequest{req.method, req.target, req.body});
  if (answer.dropped) {
    DropConnection(req);
    return;
  }
  res.status = answer.status;
  res.set_content(std::move(answer.body), "application/json");
}

SimAnswer SimServer::Serve(const SimRequest& req) {
  const auto started = std::chrono::steady_clock::now();
  const std::string path = PercentDecode(req.target.substr(0, req.target.find('?')), false);
  if (path.rfind("/admin/", 0) == 0) return ServeAdmin(req, path);
  const auto segments = SplitPath(path);
  const Route* route = nullptr;
  Context ctx;
  ctx.body = &req.body;
  int best_literals = -1;
  for (const auto& r : routes_) {
    if (r->method != req.method || r->segments.size() != segments.size()) continue;
    std::vector<std::string> params;
    int literals = 0;
    bool match = true;
    for (size_t i = 0; i < segments.size() && match; ++i) {
      const std::string& t = r->segments[i];
      if (!t.empty() && t.front() == '{') {
        params.push_back(segments[i]);
      } else if (t == segments[i]) {
        ++literals;
      } else {
        match = false;
      }
    }
    if (match && literals > best_literals) {
      route = r.get();
      ctx.params = std::move(params);
      best_literals = literals;
    }
  }
  const std::string key = route != nullptr ? route->key : req.method + " <unknown>";
  Count(key);

  auto send = [&](const Reply& reply) {
    spdlog::debug("linstor-sim: {} {} -> {} ({} us)", req.method, path, reply.status,
                  std::chrono::duration_cast<std::chrono::microseconds>(
                      std::chrono::steady_clock::now() - started)
                      .count());
    return SimAnswer{reply.status, reply.body, false};
  };
  if (route == nullptr) {
    SimAnswer answer =
        send(ErrorReply(rc::kUnknownApiCall, "Unknown API call: " + req.method + " " + path));
    answer.status = 404;
    return answer;
  }

  // Faults before the request runs.
  if (!faults_->empty()) {
    FaultDecision d = faults_->Decide(req.method, path, false);
    if (d.latency_ms > 0) std::this_thread::sleep_for(std::chrono::milliseconds(d.latency_ms));
    if (d.action == FaultAction::kDrop) {
      spdlog::debug("linstor-sim: fault rule {} drops {} {}", d.rule_id, req.method, path);
      return SimAnswer{0, "", true};
    }
    if (d.action == FaultAction::kError) {
      Reply r = ErrorReply(rc::kFailUnknownError,
                           "Injected fault (rule " + std::to_string(d.rule_id) + ")",
                           "linstor-sim fault injection");
      r.status = d.http_status;
      return send(r);
    }
  }

  // Query parameters.
  const auto query = QueryParams(req.target);
  if (options_.strict_schema) {
    std::vector<std::string> names;
    for (const auto& [name, value] : query) names.push_back(name);
    // Beyond the OpenAPI shapes: only what linstor-server's handler reads (handler_reads.h).
    const EndpointReads* reads = FindEndpointReads(route->key);
    Status st = reads != nullptr ? CheckQueryRead(*reads, names) : Status::Ok();
    if (st.ok()) st = schema_->CheckQuery(route->key, names);
    if (st.ok() && route->mutating) st = schema_->CheckRequest(route->key, req.body);
    if (st.ok() && route->mutating && reads != nullptr) st = CheckBodyRead(*reads, req.body);
    if (!st.ok()) {
      spdlog::warn("linstor-sim: schema violation: {}", st.message());
      return send(ParseError(st));
    }
  }
  for (const auto& [name, value] : query) {
    std::vector<std::string>* list = nullptr;
    if (name == "nodes")
      list = &ctx.query.nodes;
    else if (name == "resources")
      list = &ctx.query.resources;
    else if (name == "storage_pools")
      list = &ctx.query.storage_pools;
    else if (name == "resource_groups")
      list = &ctx.query.resource_groups;
    else if (name == "resource_definitions")
      list = &ctx.query.resource_definitions;
    else if (name == "snapshots")
      list = &ctx.query.snapshots;
    if (list != nullptr) {
      // JAX-RS @QueryParam List<String>: one element per repetition, no splitting at commas.
      list->push_back(value);
    } else if (name == "props") {
      ctx.query.props.push_back(value);
    } else if (name == "offset" || name == "limit") {
      auto v = ParseQueryInt(value, name.c_str());
      if (!v.ok()) {
        // JAX-RS: a @QueryParam that cannot be converted is a 404 (NotFoundException).
        Reply r = ParseError(v.status());
        r.status = 404;
        return send(r);
      }
      (name == "offset" ? ctx.query.offset : ctx.query.limit) = *v;
    } else if (name == "with_volume_definitions") {
      // JAX-RS boolean: Boolean.valueOf, true only for "true" in any case.
      ctx.query.with_volume_definitions = EqualsIgnoreCase(value, "true");
    }
  }
  // View.viewResources and the other list handlers page only with limit > 0, so a negative limit
  // (or offset without a limit) means no paging; with limit > 0 they call Stream.skip(offset),
  // which throws for a negative offset. That failure's exact answer is not modelled: refused.
  if (ctx.query.limit > 0 && ctx.query.offset < 0) {
    Reply r = ParseError(InvalidArgument("query parameter offset must not be negative with limit"));
    r.status = 404;
    return send(r);
  }

  Reply reply = Dispatch(*route, ctx);
  // A handler answers 400 only for a body it cannot parse; LINSTOR's status for that depends
  // on how its handler reports it (handler_reads.h).
  if (const EndpointReads* reads = FindEndpointReads(route->key);
      reply.status == 400 && reads != nullptr) {
    reply.status = reads->parse_error_status;
  }

  if (options_.strict_schema) {
    Status st = schema_->CheckResponse(route->key, reply.status, reply.body);
    if (!st.ok()) {
      spdlog::error("linstor-sim: response violates the schema: {}", st.message());
      reply =
          ErrorReply(rc::kFailImplError, "linstor-sim response violates the schema", st.message());
    }
  }

  // Faults after the request ran: the change happened, the answer is lost or replaced.
  if (!faults_->empty()) {
    FaultDecision d = faults_->Decide(req.method, path, true);
    if (d.action == FaultAction::kDrop) return SimAnswer{0, "", true};
    if (d.action == FaultAction::kError) {
      reply = ErrorReply(rc::kFailUnknownError,
                         "Injected fault (rule " + std::to_string(d.rule_id) + ")",
                         "linstor-sim fault injection");
      reply.status = d.http_status;
    }
  }
  return send(reply);
}

}  // namespace lcsi::sim
