// Connection settings of the LINSTOR client, with golinstor's environment
// conventions so existing secrets and manifests keep working:
//   LS_CONTROLLERS          comma-separated controller URLs, tried in order (failover on
//                           connection errors). Schemes: http, https, linstor (http, or
//                           https when TLS material is set), linstor+ssl (https); no
//                           scheme = same as linstor. Default ports 3370 http / 3371 https.
//   LS_ROOT_CA              PEM of the CA that signed the controller's certificate
//   LS_USER_CERTIFICATE     PEM client certificate (mTLS)
//   LS_USER_KEY             PEM client key (mTLS)
//   LS_ROOT_CA_FILE, LS_USER_CERTIFICATE_FILE, LS_USER_KEY_FILE: the same, read from files
//   LS_USERNAME / LS_PASSWORD   HTTP basic auth
//   LS_BEARER_TOKEN_FILE    file holding a bearer token (also LS_BEARER_TOKEN)
// Any TLS setting switches scheme-less and linstor:// URLs to https. Server certificate
// verification is on unless insecure_skip_verify is set explicitly.
//
// Precedence: flags override the environment. Binaries set the fields from their
// flags first, then call ApplyEnv(), which only fills fields that are still unset.
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/env.h"
#include "base/read_file.h"
#include "base/status.h"

namespace lcsi::linstor {

// Reads a whole file (lcsi::ReadWholeFile; tests pass their own).
using FileReader = std::function<Result<std::string>(const std::string& path)>;

struct Endpoint {
  bool https = false;
  std::string host;  // without brackets for IPv6
  int port = 0;
  // "https://host:3371" (IPv6 hosts in brackets)
  std::string ToString() const;
  bool operator==(const Endpoint&) const = default;
};

inline constexpr int kDefaultHttpPort = 3370;
inline constexpr int kDefaultHttpsPort = 3371;

// Parses one LS_CONTROLLERS entry. 'tls' decides the scheme of "linstor://" and
// scheme-less entries.
Result<Endpoint> ParseEndpoint(std::string_view url, bool tls);

struct ClientConfig {
  // Controller URLs; empty after ApplyEnv means "http://localhost:3370".
  std::vector<std::string> controllers;

  // TLS material as PEM text (the *_FILE forms are read into these).
  std::string root_ca_pem;
  std::string client_cert_pem;
  std::string client_key_pem;
  bool insecure_skip_verify = false;

  std::string username;
  std::string password;
  std::string bearer_token;

  // Per-attempt timeouts.
  std::chrono::milliseconds connect_timeout{5000};
  std::chrono::milliseconds request_timeout{30000};
  // Retries of idempotent requests (GET/PUT/DELETE) on connection errors and 503;
  // POSTs are retried only when no connection could be made at all.
  int max_retries = 3;
  std::chrono::milliseconds retry_backoff{100};  // first delay, doubled each retry
  std::chrono::milliseconds max_retry_backoff{2000};
  // Client-side rate limit; 0 = off.
  double rate_limit_per_second = 0;
  int rate_limit_burst = 10;
  // Idle keep-alive connections kept per controller.
  int max_idle_connections = 8;
  std::string user_agent = "linstor-csi-cpp";

  bool UseTls() const {
    return !root_ca_pem.empty() || !client_cert_pem.empty() || !client_key_pem.empty();
  }

  // Fills unset fields from the environment (see the header comment). Fails with
  // InvalidArgument on unreadable files, a certificate without key (or the reverse),
  // or a username without password.
  Status ApplyEnv(const EnvLookup& env, const FileReader& read_file = ReadWholeFile);

  // Parses 'controllers' (default http://localhost:3370) into endpoints.
  Result<std::vector<Endpoint>> Endpoints() const;

  // Consistency checks (cert without key, bad URLs...).
  Status Validate() const;

  // For logs: endpoints and which auth/TLS features are on, never secrets.
  std::string Describe() const;
};

}  // namespace lcsi::linstor
