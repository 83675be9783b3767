#include "linstor/http_transport.h"

#include <httplib.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <spdlog/spdlog.h>

#include <algorithm>
#include <mutex>
#include <random>

namespace lcsi::linstor {

// TLS material shared by all connections: CA PEM (a fresh X509_STORE per connection,
// since each SSL_CTX takes ownership of its store) and the client certificate/key.
struct HttpTransport::Tls {
  std::string ca_pem;
  X509* cert = nullptr;
  EVP_PKEY* key = nullptr;
  bool verify = true;

  ~Tls() {
    if (cert != nullptr) X509_free(cert);
    if (key != nullptr) EVP_PKEY_free(key);
  }

  // Returns a store with every certificate of ca_pem, or nullptr if there is none.
  X509_STORE* MakeStore() const {
    BIO* bio = BIO_new_mem_buf(ca_pem.data(), static_cast<int>(ca_pem.size()));
    if (bio == nullptr) return nullptr;
    X509_STORE* store = X509_STORE_new();
    int count = 0;
    while (X509* x = PEM_read_bio_X509(bio, nullptr, nullptr, nullptr)) {
      X509_STORE_add_cert(store, x);
      X509_free(x);
      ++count;
    }
    ERR_clear_error();
    BIO_free(bio);
    if (count == 0) {
      X509_STORE_free(store);
      return nullptr;
    }
    return store;
  }
};

namespace {

template <typename T, typename Read>
T* ReadPem(const std::string& pem, Read read) {
  BIO* bio = BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size()));
  if (bio == nullptr) return nullptr;
  T* out = read(bio);
  BIO_free(bio);
  ERR_clear_error();
  return out;
}

// The request reached no server: safe to send elsewhere whatever the method.
bool NothingSent(httplib::Error e) {
  switch (e) {
    case httplib::Error::Connection:
    case httplib::Error::ConnectionTimeout:
    case httplib::Error::BindIPAddress:
    case httplib::Error::SSLConnection:
    case httplib::Error::SSLLoadingCerts:
    case httplib::Error::SSLServerVerification:
      return true;
    default:
      return false;
  }
}

bool RetryableStatus(int status) { return status == 502 || status == 503 || status == 504; }

void SetTimeout(httplib::ClientImpl& cli, std::chrono::milliseconds connect,
                std::chrono::milliseconds request) {
  cli.set_connection_timeout(static_cast<time_t>(connect.count() / 1000),
                             static_cast<time_t>((connect.count() % 1000) * 1000));
  cli.set_read_timeout(static_cast<time_t>(request.count() / 1000),
                       static_cast<time_t>((request.count() % 1000) * 1000));
  cli.set_write_timeout(static_cast<time_t>(request.count() / 1000),
                        static_cast<time_t>((request.count() % 1000) * 1000));
}

}  // namespace

// Idle keep-alive connections to one controller. httplib clients are not safe for
// concurrent requests, so each request borrows one exclusively.
class HttpTransport::Pool {
 public:
  Pool(Endpoint ep, const ClientConfig& config, std::shared_ptr<Tls> tls)
      : ep_(std::move(ep)), name_(ep_.ToString()), config_(config), tls_(std::move(tls)) {}

  const std::string& name() const { return name_; }

  std::unique_ptr<httplib::ClientImpl> Acquire() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      if (!idle_.empty()) {
        auto cli = std::move(idle_.back());
        idle_.pop_back();
        return cli;
      }
    }
    return Make();
  }

  void Release(std::unique_ptr<httplib::ClientImpl> cli) {
    std::lock_guard<std::mutex> lock(mu_);
    if (static_cast<int>(idle_.size()) < config_.max_idle_connections) {
      idle_.push_back(std::move(cli));
    }
  }

 private:
  std::unique_ptr<httplib::ClientImpl> Make() {
    std::unique_ptr<httplib::ClientImpl> cli;
    if (ep_.https) {
      std::unique_ptr<httplib::SSLClient> ssl;
      if (tls_->cert != nullptr) {
        ssl = std::make_unique<httplib::SSLClient>(ep_.host, ep_.port, tls_->cert, tls_->key);
      } else {
        ssl = std::make_unique<httplib::SSLClient>(ep_.host, ep_.port);
      }
      if (!tls_->ca_pem.empty()) {
        if (X509_STORE* store = tls_->MakeStore()) ssl->set_ca_cert_store(store);
      }
      ssl->enable_server_certificate_verification(tls_->verify);
      cli = std::move(ssl);
    } else {
      cli = std::make_unique<httplib::ClientImpl>(ep_.host, ep_.port);
    }
    cli->set_keep_alive(true);
    cli->set_tcp_nodelay(true);
    SetTimeout(*cli, config_.connect_timeout, config_.request_timeout);
    return cli;
  }

  const Endpoint ep_;
  const std::string name_;
  const ClientConfig& config_;
  std::shared_ptr<Tls> tls_;
  std::mutex mu_;
  std::vector<std::unique_ptr<httplib::ClientImpl>> idle_;
};

Result<std::unique_ptr<HttpTransport>> HttpTransport::Create(const ClientConfig& config,
                                                             RequestObserver observer,
                                                             Clock& clock) {
  LCSI_RETURN_IF_ERROR(config.Validate());
  auto endpoints = config.Endpoints();
  if (!endpoints.ok()) return endpoints.status();
  auto tls = std::make_shared<Tls>();
  tls->verify = !config.insecure_skip_verify;
  if (!config.root_ca_pem.empty()) {
    tls->ca_pem = config.root_ca_pem;
    X509_STORE* probe = tls->MakeStore();
    if (probe == nullptr) return InvalidArgument("LINSTOR root CA: no PEM certificate found");
    X509_STORE_free(probe);
  }
  if (!config.client_cert_pem.empty()) {
    tls->cert = ReadPem<X509>(config.client_cert_pem, [](BIO* b) {
      return PEM_read_bio_X509(b, nullptr, nullptr, nullptr);
    });
    if (tls->cert == nullptr) {
      return InvalidArgument("LINSTOR client certificate: no PEM certificate found");
    }
    tls->key = ReadPem<EVP_PKEY>(config.client_key_pem, [](BIO* b) {
      return PEM_read_bio_PrivateKey(b, nullptr, nullptr, nullptr);
    });
    if (tls->key == nullptr) return InvalidArgument("LINSTOR client key: no PEM private key found");
    if (X509_check_private_key(tls->cert, tls->key) != 1) {
      ERR_clear_error();
      return InvalidArgument("LINSTOR client key does not match the client certificate");
    }
  }
  std::unique_ptr<HttpTransport> t(
      new HttpTransport(config, *endpoints, std::move(observer), clock));
  t->tls_ = tls;
  for (const auto& ep : t->endpoints_) {
    t->pools_.push_back(std::make_unique<Pool>(ep, t->config_, tls));
  }
  spdlog::info("LINSTOR client: {}", config.Describe());
  return t;
}

HttpTransport::HttpTransport(ClientConfig config, std::vector<Endpoint> endpoints,
                             RequestObserver observer, Clock& clock)
    : config_(std::move(config)),
      endpoints_(std::move(endpoints)),
      observer_(std::move(observer)),
      clock_(clock),
      limiter_(config_.rate_limit_per_second, config_.rate_limit_burst, clock) {}

HttpTransport::~HttpTransport() = default;

LinstorResult<HttpResponse> HttpTransport::Send(std::string_view method,
                                                std::string_view path_template,
                                                const std::string& path, const std::string* body) {
  return SendImpl(method, path_template, path, body, nullptr);
}

LinstorResult<HttpResponse> HttpTransport::SendStreaming(std::string_view method,
                                                         std::string_view path_template,
                                                         const std::string& path,
                                                         const BodySink& on_body) {
  return SendImpl(method, path_template, path, nullptr, &on_body);
}

LinstorResult<HttpResponse> HttpTransport::SendImpl(std::string_view method,
                                                    std::string_view path_template,
                                                    const std::string& path,
                                                    const std::string* body,
                                                    const BodySink* on_body) {
  const bool idempotent = method != "POST";
  const std::string context = std::string(method) + " " + path;

  httplib::Request req;
  req.method = std::string(method);
  req.path = path;
  req.headers.emplace("Accept", "application/json");
  req.headers.emplace("User-Agent", config_.user_agent);
  if (!config_.username.empty()) {
    req.headers.insert(
        httplib::make_basic_authentication_header(config_.username, config_.password));
  } else if (!config_.bearer_token.empty()) {
    req.headers.emplace("Authorization", "Bearer " + config_.bearer_token);
  }
  if (body != nullptr) {
    req.body = *body;
    req.headers.emplace("Content-Type", "application/json");
  }

  bool delivered = false;  // streaming: some of the body went to on_body
  thread_local std::minstd_rand jitter_rng{std::random_device{}()};
  std::chrono::milliseconds backoff = config_.retry_backoff;
  int attempt = 0;
  const size_t n = pools_.size();
  for (int round = 0;; ++round) {
    limiter_.Acquire();
    std::string last_error;
    bool all_unsent = true;
    std::optional<HttpResponse> answer;
    const size_t start = preferred_.load(std::memory_order_relaxed) % n;
    for (size_t i = 0; i < n; ++i) {
      const size_t idx = (start + i) % n;
      Pool& pool = *pools_[idx];
      auto cli = pool.Acquire();
      httplib::Response res;
      httplib::Error err = httplib::Error::Success;
      // Streaming: a success body goes to the sink, anything else into `other_body`.
      int streamed_status = 0;
      std::string other_body;
      if (on_body != nullptr) {
        req.response_handler = [&](const httplib::Response& head) {
          streamed_status = head.status;
          return true;
        };
        req.content_receiver = [&](const char* data, size_t size, uint64_t, uint64_t) {
          if (streamed_status >= 200 && streamed_status < 300) {
            delivered = true;
            return (*on_body)(data, size);
          }
          other_body.append(data, size);
          return true;
        };
      }
      ++attempt;
      // Real time, not the Clock: this is the attempt's latency for the metrics.
      const auto t0 = std::chrono::steady_clock::now();
      const bool sent = cli->send(req, res, err);
      const auto elapsed = std::chrono::steady_clock::now() - t0;
      if (observer_) {
        observer_(HttpRequestInfo{method, path_template, pool.name(), sent ? res.status : 0,
                                  std::chrono::duration_cast<std::chrono::nanoseconds>(elapsed),
                                  attempt});
      }
      if (sent) {
        pool.Release(std::move(cli));
        if (idx != start) {
          spdlog::warn("LINSTOR: failed over to {}", pool.name());
          preferred_.store(idx, std::memory_order_relaxed);
        }
        spdlog::debug("LINSTOR {} -> {} ({} ms)", context, res.status,
                      std::chrono::duration_cast<std::chrono::milliseconds>(elapsed).count());
        answer = HttpResponse{res.status,
                              on_body != nullptr ? std::move(other_body) : std::move(res.body)};
        break;
      }
      if (delivered) {
        // Part of the answer was passed on: it cannot be taken back, so no retry.
        return LinstorError::Transport(pool.name() + ": " + httplib::to_string(err), context);
      }
      // A failed connection is not reused.
      last_error = pool.name() + ": " + httplib::to_string(err);
      spdlog::debug("LINSTOR {} via {} failed: {}", context, pool.name(), httplib::to_string(err));
      if (!NothingSent(err)) {
        all_unsent = false;
        break;  // the request may have been processed: do not send it elsewhere now
      }
    }

    bool retry = false;
    if (answer) {
      if (!(RetryableStatus(answer->status) && idempotent)) return std::move(*answer);
      retry = round < config_.max_retries;
      if (!retry) return std::move(*answer);
      spdlog::info("LINSTOR {} answered {}, retrying", context, answer->status);
    } else {
      retry = (idempotent || all_unsent) && round < config_.max_retries;
      if (!retry) return LinstorError::Transport(last_error, context);
      spdlog::info("LINSTOR {} failed ({}), retrying", context, last_error);
    }
    std::uniform_real_distribution<double> jitter(0.5, 1.0);
    const auto delay = std::chrono::milliseconds(
        static_cast<int64_t>(static_cast<double>(backoff.count()) * jitter(jitter_rng)));
    clock_.SleepFor(delay);
    backoff = std::min(backoff * 2, config_.max_retry_backoff);
  }
}

}  // namespace lcsi::linstor
