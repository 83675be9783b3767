#include "controller/linstor_probe.h"

#include <spdlog/spdlog.h>

#include "linstor/linstor_version.h"

namespace lcsi::controller {

LinstorProbe::LinstorProbe(linstor::LinstorClient* client, std::chrono::milliseconds ttl,
                           Clock& clock)
    : client_(client), ttl_(ttl), clock_(clock) {}

Status LinstorProbe::Query() {
  auto version = client_->GetVersion();
  if (!version.ok()) {
    return Unavailable("LINSTOR controller unreachable: " + version.error().message());
  }
  return linstor::CheckLinstorVersion(*version);
}

Status LinstorProbe::Check() {
  std::lock_guard l(mu_);
  const auto now = clock_.Now();
  if (has_result_ && now - checked_at_ < ttl_) return last_;
  last_ = Query();
  has_result_ = true;
  checked_at_ = now;
  const std::string outcome = last_.ok() ? "" : last_.message();
  if (outcome != last_logged_ || !has_logged_) {
    if (last_.ok()) {
      spdlog::info("LINSTOR controller reachable and recent enough: ready");
    } else {
      spdlog::error("not ready: {}", last_.message());
    }
    last_logged_ = outcome;
    has_logged_ = true;
  }
  return last_;
}

}  // namespace lcsi::controller
