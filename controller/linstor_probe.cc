#include "controller/linstor_probe.h"

namespace lcsi::controller {

LinstorProbe::LinstorProbe(linstor::LinstorClient* client, std::chrono::milliseconds ttl)
    : client_(client), ttl_(ttl) {}

Status LinstorProbe::Check() {
  std::lock_guard l(mu_);
  const auto now = std::chrono::steady_clock::now();
  if (has_result_ && now - checked_at_ < ttl_) return last_;
  auto version = client_->GetVersion();
  last_ = version.ok()
              ? Status::Ok()
              : Unavailable("LINSTOR controller unreachable: " + version.error().message());
  has_result_ = true;
  checked_at_ = now;
  return last_;
}

}  // namespace lcsi::controller
