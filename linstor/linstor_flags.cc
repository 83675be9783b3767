#include "linstor/linstor_flags.h"

namespace lcsi::linstor {

void AddLinstorFlags(FlagSet& flags) {
  flags.AddString("linstor-controllers", "LS_CONTROLLERS", "http://127.0.0.1:3370",
                  "LINSTOR controller URLs, comma-separated (tried in order, failover).");
  flags.AddString("linstor-root-ca", "LS_ROOT_CA_FILE", "",
                  "PEM file of the CA that signed the LINSTOR controller's certificate (also "
                  "LS_ROOT_CA with PEM content); enables https.");
  flags.AddString("linstor-client-cert", "LS_USER_CERTIFICATE_FILE", "",
                  "PEM client certificate for mutual TLS with LINSTOR.");
  flags.AddString("linstor-client-key", "LS_USER_KEY_FILE", "",
                  "PEM client key for mutual TLS with LINSTOR.");
  flags.AddString("linstor-timeout", "LS_TIMEOUT", "10s", "Timeout of one LINSTOR request.");
}

Result<ClientConfig> LinstorConfigFromFlags(const FlagSet& flags, const EnvLookup& env) {
  ClientConfig config;
  const std::string urls = flags.GetString("linstor-controllers");
  size_t pos = 0;
  while (pos <= urls.size()) {
    size_t end = urls.find(',', pos);
    if (end == std::string::npos) end = urls.size();
    std::string entry = urls.substr(pos, end - pos);
    while (!entry.empty() && entry.front() == ' ') entry.erase(entry.begin());
    while (!entry.empty() && entry.back() == ' ') entry.pop_back();
    if (!entry.empty()) config.controllers.push_back(entry);
    pos = end + 1;
  }
  struct PemFlag {
    const char* flag;
    std::string* into;
  };
  for (const PemFlag& pem : {PemFlag{"linstor-root-ca", &config.root_ca_pem},
                             PemFlag{"linstor-client-cert", &config.client_cert_pem},
                             PemFlag{"linstor-client-key", &config.client_key_pem}}) {
    const std::string& file = flags.GetString(pem.flag);
    if (file.empty()) continue;
    auto content = ReadWholeFile(file);
    // A file named on the command line that cannot be read is a configuration error (exit 2).
    if (!content.ok())
      return InvalidArgument("--" + std::string(pem.flag) + ": " + content.status().message());
    *pem.into = *content;
  }
  auto timeout = flags.GetDuration("linstor-timeout");
  if (!timeout.ok()) return timeout.status().WithContext("--linstor-timeout");
  config.request_timeout = *timeout;
  LCSI_RETURN_IF_ERROR(config.ApplyEnv(env));
  LCSI_RETURN_IF_ERROR(config.Validate());
  return config;
}

}  // namespace lcsi::linstor
