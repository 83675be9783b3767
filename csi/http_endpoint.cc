#include "csi/http_endpoint.h"

#include <httplib.h>
#include <spdlog/spdlog.h>

#include <charconv>

#include "base/http_listen_backlog.h"
#include "base/parse_int.h"
#include "csi/metrics.h"

namespace lcsi {

namespace {

void AnswerCheck(const std::function<Status()>& check, httplib::Response& res) {
  Status s = check ? check() : Status::Ok();
  res.status = s.ok() ? 200 : 503;
  res.set_content(s.ok() ? "ok\n" : s.message() + "\n", "text/plain");
}

}  // namespace

HttpEndpoint::HttpEndpoint(std::function<Status()> health, std::function<Status()> live)
    : health_(std::move(health)), live_(std::move(live)) {}

HttpEndpoint::~HttpEndpoint() { Stop(); }

Status HttpEndpoint::Start(const std::string& address) {
  size_t colon = address.rfind(':');
  int port = -1;
  if (colon != std::string::npos) {
    port = ParseInt<int>(std::string_view(address).substr(colon + 1)).value_or(-1);
  }
  if (port < 0 || port > 65535) {
    return InvalidArgument("--http-address \"" + address + "\": expected host:port");
  }
  std::string host = address.substr(0, colon);
  if (host.empty()) host = "0.0.0.0";
  server_ = std::make_unique<httplib::Server>();
  server_->Get("/metrics", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(Metrics::Global().RenderPrometheus(), "text/plain; version=0.0.4");
  });
  server_->Get("/healthz", [this](const httplib::Request&, httplib::Response& res) {
    AnswerCheck(health_, res);
  });
  server_->Get("/livez", [this](const httplib::Request&, httplib::Response& res) {
    AnswerCheck(live_, res);
  });
  // Probes and scrapes that arrive together are not held back by httplib's backlog of 5.
  HttpListenBacklog backlog(*server_);
  port_ =
      port == 0 ? server_->bind_to_any_port(host) : (server_->bind_to_port(host, port) ? port : -1);
  if (port_ <= 0) {
    server_.reset();
    return Unavailable("cannot listen on http address " + address);
  }
  if (!backlog.Raise()) spdlog::warn("cannot raise the listen backlog of {}", address);
  thread_ = std::thread([this] { server_->listen_after_bind(); });
  spdlog::info("serving /metrics, /livez and /healthz on {}:{}", host, port_);
  return Status::Ok();
}

void HttpEndpoint::Stop() {
  if (server_ == nullptr) return;
  server_->stop();
  if (thread_.joinable()) thread_.join();
  server_.reset();
}

}  // namespace lcsi
