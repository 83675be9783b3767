#include "linstor/client_config.h"

#include <cstdlib>
#include <optional>

#include "base/parse_int.h"

namespace lcsi::linstor {

namespace {

std::string_view Trim(std::string_view s) {
  while (!s.empty() &&
         (s.front() == ' ' || s.front() == '\t' || s.front() == '\n' || s.front() == '\r')) {
    s.remove_prefix(1);
  }
  while (!s.empty() &&
         (s.back() == ' ' || s.back() == '\t' || s.back() == '\n' || s.back() == '\r')) {
    s.remove_suffix(1);
  }
  return s;
}

bool ParsePort(std::string_view s, int& port) {
  if (s.size() > 5) return false;  // digits only: "03370" is the longest accepted form
  const std::optional<int> v = ParseInt<int>(s);
  if (!v || *v < 1 || *v > 65535) return false;
  port = *v;
  return true;
}

// Sets 'field' from VAR, else from the file named by VAR_FILE; leaves it when already set.
Status FillSecret(std::string& field, const std::string& var, const EnvLookup& env,
                  const FileReader& read_file) {
  if (!field.empty()) return Status::Ok();
  if (auto v = env(var); v && !v->empty()) {
    field = *v;
    return Status::Ok();
  }
  if (auto path = env(var + "_FILE"); path && !path->empty()) {
    auto content = read_file(*path);
    if (!content.ok()) return InvalidArgument(var + "_FILE: " + content.status().message());
    field = std::move(content).value();
  }
  return Status::Ok();
}

}  // namespace

std::string Endpoint::ToString() const {
  const bool v6 = host.find(':') != std::string::npos;
  return std::string(https ? "https://" : "http://") + (v6 ? "[" + host + "]" : host) + ":" +
         std::to_string(port);
}

Result<Endpoint> ParseEndpoint(std::string_view url, bool tls) {
  std::string_view s = Trim(url);
  if (s.empty()) return InvalidArgument("empty LINSTOR controller URL");
  Endpoint ep;
  ep.https = tls;
  if (auto pos = s.find("://"); pos != std::string_view::npos) {
    const std::string_view scheme = s.substr(0, pos);
    if (scheme == "http") {
      ep.https = false;
    } else if (scheme == "https" || scheme == "linstor+ssl") {
      ep.https = true;
    } else if (scheme == "linstor") {
      ep.https = tls;
    } else {
      return InvalidArgument("unsupported scheme in LINSTOR controller URL '" + std::string(s) +
                             "' (want http, https, linstor or linstor+ssl)");
    }
    s.remove_prefix(pos + 3);
  }
  // Drop a trailing path ("/" or "/v1"); the client adds its own paths.
  if (auto slash = s.find('/'); slash != std::string_view::npos) s = s.substr(0, slash);
  if (s.find('@') != std::string_view::npos) {
    return InvalidArgument(
        "credentials in LINSTOR controller URLs are not supported; use "
        "LS_USERNAME/LS_PASSWORD");
  }
  std::string_view host = s;
  std::string_view port;
  if (!s.empty() && s.front() == '[') {
    const auto close = s.find(']');
    if (close == std::string_view::npos) {
      return InvalidArgument("bad IPv6 address in LINSTOR controller URL '" + std::string(url) +
                             "'");
    }
    host = s.substr(1, close - 1);
    std::string_view rest = s.substr(close + 1);
    if (!rest.empty()) {
      if (rest.front() != ':') {
        return InvalidArgument("bad LINSTOR controller URL '" + std::string(url) + "'");
      }
      port = rest.substr(1);
    }
  } else if (auto colon = s.rfind(':'); colon != std::string_view::npos) {
    if (s.find(':') != colon) {
      return InvalidArgument("IPv6 addresses in LINSTOR controller URLs need brackets: '" +
                             std::string(url) + "'");
    }
    host = s.substr(0, colon);
    port = s.substr(colon + 1);
  }
  if (host.empty()) {
    return InvalidArgument("no host in LINSTOR controller URL '" + std::string(url) + "'");
  }
  ep.host = std::string(host);
  ep.port = ep.https ? kDefaultHttpsPort : kDefaultHttpPort;
  if (!port.empty() && !ParsePort(port, ep.port)) {
    return InvalidArgument("bad port in LINSTOR controller URL '" + std::string(url) + "'");
  }
  return ep;
}

Status ClientConfig::ApplyEnv(const EnvLookup& env, const FileReader& read_file) {
  if (controllers.empty()) {
    if (auto v = env("LS_CONTROLLERS"); v && !v->empty()) {
      std::string_view rest = *v;
      while (!rest.empty()) {
        const auto comma = rest.find(',');
        std::string_view item = Trim(rest.substr(0, comma));
        if (!item.empty()) controllers.emplace_back(item);
        if (comma == std::string_view::npos) break;
        rest.remove_prefix(comma + 1);
      }
    }
  }
  LCSI_RETURN_IF_ERROR(FillSecret(root_ca_pem, "LS_ROOT_CA", env, read_file));
  LCSI_RETURN_IF_ERROR(FillSecret(client_cert_pem, "LS_USER_CERTIFICATE", env, read_file));
  LCSI_RETURN_IF_ERROR(FillSecret(client_key_pem, "LS_USER_KEY", env, read_file));
  // Authentication given by flags (either kind) wins over all auth from the environment.
  const bool auth_from_flags = !username.empty() || !bearer_token.empty();
  if (!auth_from_flags) {
    if (auto u = env("LS_USERNAME")) username = *u;
    if (auto p = env("LS_PASSWORD")) password = *p;
  }
  if (!auth_from_flags) {
    std::string token;
    LCSI_RETURN_IF_ERROR(FillSecret(token, "LS_BEARER_TOKEN", env, read_file));
    bearer_token = std::string(Trim(token));
  }
  return Validate();
}

Result<std::vector<Endpoint>> ClientConfig::Endpoints() const {
  std::vector<Endpoint> out;
  if (controllers.empty()) {
    auto ep = ParseEndpoint("localhost", UseTls());
    if (!ep.ok()) return ep.status();
    out.push_back(*ep);
    return out;
  }
  for (const auto& c : controllers) {
    auto ep = ParseEndpoint(c, UseTls());
    if (!ep.ok()) return ep.status();
    out.push_back(*ep);
  }
  return out;
}

Status ClientConfig::Validate() const {
  if (client_cert_pem.empty() != client_key_pem.empty()) {
    return InvalidArgument(
        "LINSTOR client certificate and key must be given together (LS_USER_CERTIFICATE and "
        "LS_USER_KEY)");
  }
  if (!username.empty() && password.empty()) {
    return InvalidArgument("LS_USERNAME is set but LS_PASSWORD is empty");
  }
  if (!bearer_token.empty() && !username.empty()) {
    return InvalidArgument("choose either basic auth (LS_USERNAME) or a bearer token, not both");
  }
  if (request_timeout.count() <= 0 || connect_timeout.count() <= 0) {
    return InvalidArgument("LINSTOR timeouts must be positive");
  }
  if (max_retries < 0) return InvalidArgument("LINSTOR max retries must not be negative");
  if (rate_limit_per_second < 0 || rate_limit_burst < 1) {
    return InvalidArgument("LINSTOR rate limit must be >= 0 with a burst >= 1");
  }
  auto eps = Endpoints();
  if (!eps.ok()) return eps.status();
  return Status::Ok();
}

std::string ClientConfig::Describe() const {
  std::string out = "controllers=";
  auto eps = Endpoints();
  if (eps.ok()) {
    for (size_t i = 0; i < eps->size(); ++i) {
      if (i) out += ",";
      out += (*eps)[i].ToString();
    }
  } else {
    out += "<invalid>";
  }
  out += UseTls() ? " tls=on" : " tls=off";
  if (!root_ca_pem.empty()) out += " root_ca=set";
  if (!client_cert_pem.empty()) out += " client_cert=set";
  if (insecure_skip_verify) out += " verify=off";
  if (!username.empty()) out += " auth=basic(user=" + username + ")";
  if (!bearer_token.empty()) out += " auth=bearer";
  return out;
}

}  // namespace lcsi::linstor
