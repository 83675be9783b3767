// HttpTransport: sends LINSTOR REST requests over cpp-httplib.
//  - a small pool of keep-alive connections per controller, safe for concurrent callers;
//  - failover: controllers are tried in order starting with the last one that answered;
//    a request that could not be sent (connection refused, TLS handshake, connect
//    timeout) moves on to the next controller, whatever its method;
//  - bounded retries with exponential backoff and jitter: idempotent requests (GET, PUT,
//    DELETE) on any transport error and on 502/503/504; POSTs only when no controller
//    could be reached at all (nothing was sent);
//  - optional token-bucket rate limit; per-attempt connect/read timeouts;
//  - basic auth or bearer token headers; https with CA verification on by default and
//    optional client certificate (mTLS). Secrets are never logged.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.h"
#include "linstor/client_config.h"
#include "linstor/errors.h"
#include "linstor/rate_limiter.h"
#include "linstor/transport.h"

namespace lcsi::linstor {

// One HTTP attempt, for metrics (LINSTOR calls by endpoint).
struct HttpRequestInfo {
  std::string_view method;         // "GET"
  std::string_view path_template;  // "/v1/resource-definitions/{resource}"
  std::string_view controller;     // "http://127.0.0.1:3370"
  int status = 0;                  // HTTP status; 0 when no answer was received
  std::chrono::nanoseconds duration{0};
  int attempt = 1;  // 1-based, counts retries and failovers
};
// Called after every attempt, concurrently from the calling threads: must be thread-safe
// and quick. The string_views are valid only during the call.
using RequestObserver = std::function<void(const HttpRequestInfo&)>;

class HttpTransport : public Transport {
 public:
  // Validates the config and loads TLS material. InvalidArgument on bad PEM or URLs.
  // The retry back-off and the rate limit wait on `clock`.
  static Result<std::unique_ptr<HttpTransport>> Create(const ClientConfig& config,
                                                       RequestObserver observer = nullptr,
                                                       Clock& clock = SystemClock::Instance());
  ~HttpTransport();
  HttpTransport(const HttpTransport&) = delete;
  HttpTransport& operator=(const HttpTransport&) = delete;

  // Transport (see transport.h), with retries and failover as described above.
  LinstorResult<HttpResponse> Send(std::string_view method, std::string_view path_template,
                                   const std::string& path, const std::string* body) override;
  // Chunks are passed on as they arrive; retries happen only while none has been passed on.
  LinstorResult<HttpResponse> SendStreaming(std::string_view method, std::string_view path_template,
                                            const std::string& path,
                                            const BodySink& on_body) override;

  const std::vector<Endpoint>& endpoints() const { return endpoints_; }

 private:
  LinstorResult<HttpResponse> SendImpl(std::string_view method, std::string_view path_template,
                                       const std::string& path, const std::string* body,
                                       const BodySink* on_body);
  class Pool;
  struct Tls;
  HttpTransport(ClientConfig config, std::vector<Endpoint> endpoints, RequestObserver observer,
                Clock& clock);

  ClientConfig config_;
  std::vector<Endpoint> endpoints_;
  std::vector<std::unique_ptr<Pool>> pools_;
  std::shared_ptr<Tls> tls_;
  RequestObserver observer_;
  Clock& clock_;
  RateLimiter limiter_;
  std::atomic<size_t> preferred_{0};
};

}  // namespace lcsi::linstor
