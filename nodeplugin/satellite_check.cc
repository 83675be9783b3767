#include "nodeplugin/satellite_check.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "nodeplugin/closest_names.h"

namespace lcsi::node {
namespace {

std::string QuotedList(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& name : names) out += (out.empty() ? "\"" : ", \"") + name + "\"";
  return out;
}

}  // namespace

std::string UnknownSatelliteMessage(const std::string& satellite, const std::string& source,
                                    const std::vector<std::string>& known) {
  std::string message =
      "satellite \"" + satellite + "\" (from " + source + ") is not known to LINSTOR; ";
  auto closest = ClosestNames(satellite, known);
  if (!closest.empty()) {
    message += "closest known satellites: " + QuotedList(closest);
  } else if (known.empty()) {
    message += "LINSTOR knows no satellites at all";
  } else {
    std::vector<std::string> some(known.begin(), known.begin() + std::min<size_t>(known.size(), 5));
    message += "none is similar; known satellites include: " + QuotedList(some);
  }
  return message + "; set --satellite-name or map this node in --satellite-map";
}

SatelliteCheck::SatelliteCheck(std::string satellite, std::string source,
                               SatelliteDirectory& directory, Clock& clock,
                               std::chrono::milliseconds min_backoff,
                               std::chrono::milliseconds max_backoff)
    : satellite_(std::move(satellite)),
      source_(std::move(source)),
      directory_(directory),
      clock_(clock),
      min_backoff_(min_backoff),
      max_backoff_(max_backoff) {}

Status SatelliteCheck::Query() {
  Status version = directory_.CheckLinstorVersion();
  if (!version.ok()) {
    if (version.code() == Code::kFailedPrecondition) return version;
    return Unavailable("cannot ask LINSTOR for its version: " + version.message());
  }
  auto props = directory_.SatelliteProps(satellite_);
  if (props.ok()) return Status::Ok();
  if (props.status().code() != Code::kNotFound) {
    return Unavailable("cannot ask LINSTOR whether satellite \"" + satellite_ +
                       "\" exists: " + props.status().message());
  }
  auto known = directory_.ListSatellites();
  if (!known.ok()) {
    return FailedPrecondition(
        "satellite \"" + satellite_ + "\" (from " + source_ +
        ") is not known to LINSTOR (listing satellites failed: " + known.status().message() + ")");
  }
  return FailedPrecondition(UnknownSatelliteMessage(satellite_, source_, *known));
}

Status SatelliteCheck::Check() {
  std::lock_guard lock(mu_);
  if (confirmed_) return Status::Ok();
  if (checked_once_ && clock_.Now() < next_attempt_) return last_;

  last_ = Query();
  checked_once_ = true;
  if (last_.ok()) {
    confirmed_ = true;
    spdlog::info("LINSTOR is recent enough and knows satellite \"{}\" (from {})", satellite_,
                 source_);
    return last_;
  }
  backoff_ = backoff_.count() == 0 ? min_backoff_ : std::min(backoff_ * 2, max_backoff_);
  next_attempt_ = clock_.Now() + backoff_;
  if (last_.message() != last_logged_) {
    spdlog::error("{}", last_.message());
    last_logged_ = last_.message();
  } else {
    spdlog::debug("satellite check still failing, next attempt in {} ms", backoff_.count());
  }
  return last_;
}

}  // namespace lcsi::node
