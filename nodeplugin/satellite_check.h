// SatelliteCheck: is LINSTOR recent enough for this plugin (GET /v1/controller/version,
// linstor/linstor_version.h), and does it know this node's satellite? Asked at start-up and by
// Probe.
// Answers are cached: a confirmed satellite stays confirmed; a failed check is repeated only after
// a back-off (doubling from `min_backoff` to `max_backoff`), so a Probe loop never hammers
// LINSTOR. The explanatory error line is logged when the outcome changes, not on every Probe.
#pragma once

#include <chrono>
#include <mutex>
#include <string>

#include "base/clock.h"
#include "base/status.h"
#include "nodeplugin/satellite_directory.h"

namespace lcsi::node {

class SatelliteCheck {
 public:
  SatelliteCheck(std::string satellite, std::string source, SatelliteDirectory& directory,
                 Clock& clock, std::chrono::milliseconds min_backoff = std::chrono::seconds(1),
                 std::chrono::milliseconds max_backoff = std::chrono::seconds(60));

  // OK when LINSTOR is recent enough and knows the satellite. FailedPrecondition when LINSTOR is
  // too old (the message names the version needed and why) or does not know the satellite (the
  // message names the closest known satellites), Unavailable when LINSTOR cannot be asked.
  Status Check();

  const std::string& satellite() const { return satellite_; }

 private:
  Status Query();

  const std::string satellite_;
  const std::string source_;
  SatelliteDirectory& directory_;
  Clock& clock_;
  const std::chrono::milliseconds min_backoff_;
  const std::chrono::milliseconds max_backoff_;

  std::mutex mu_;
  bool confirmed_ = false;
  bool checked_once_ = false;
  Status last_;
  std::string last_logged_;
  Clock::TimePoint next_attempt_{};
  std::chrono::milliseconds backoff_{0};
};

// The one log line for an unknown satellite, e.g.
// satellite "n1.example.com" (from node name) is not known to LINSTOR; closest known
// satellites: "n1", "n11"; set --satellite-name or map the node in --satellite-map
std::string UnknownSatelliteMessage(const std::string& satellite, const std::string& source,
                                    const std::vector<std::string>& known);

}  // namespace lcsi::node
