#include "nodeplugin/replica_wait.h"

#include <spdlog/spdlog.h>

#include <algorithm>

#include "linstor/drbd_health.h"

namespace lcsi::node {
namespace {

std::string Seconds(std::chrono::milliseconds d) {
  const auto tenths = d.count() / 100;
  return std::to_string(tenths / 10) + (tenths % 10 != 0 ? "." + std::to_string(tenths % 10) : "") +
         " s";
}

std::string Join(const std::vector<std::string>& parts) {
  std::string out;
  for (const auto& p : parts) out += (out.empty() ? "" : ", ") + p;
  return out;
}

}  // namespace

std::string DescribeReplicas(const std::vector<linstor::Resource>& resources) {
  std::vector<std::string> parts;
  for (const auto& r : resources) {
    std::string disk = linstor::DiskStateOf(r);
    std::string text = r.node_name + " " + (disk.empty() ? std::string("(no disk state)") : disk);
    std::vector<std::string> notes;
    if (r.IsTieBreaker()) notes.push_back("tiebreaker");
    if (r.in_use.value_or(false)) notes.push_back("in use");
    if (linstor::QuorumLost(r)) notes.push_back("quorum lost");
    if (linstor::IoSuspended(r)) notes.push_back("I/O suspended");
    if (!notes.empty()) text += " (" + Join(notes) + ")";
    parts.push_back(std::move(text));
  }
  std::sort(parts.begin(), parts.end());
  return parts.empty() ? std::string("no replicas") : Join(parts);
}

Status WaitForUsableReplica(SatelliteDirectory& directory, Clock& clock, const std::string& volume,
                            const std::string& satellite, const ReplicaWaitOptions& options) {
  const auto start = clock.Now();
  const auto deadline = start + options.timeout;
  const auto in_use_deadline = start + options.in_use_wait;
  auto delay = options.first_poll;
  std::string last;  // what the last poll saw
  for (int poll = 0;; ++poll) {
    auto resources = directory.VolumeResources(volume);
    if (resources.ok()) {
      const bool here = std::any_of(resources->begin(), resources->end(),
                                    [&](const auto& r) { return r.node_name == satellite; });
      if (!here) {
        return NotFound("volume " + volume + " has no resource on satellite " + satellite +
                        " in LINSTOR (replicas: " + DescribeReplicas(*resources) + ")");
      }
      auto others = options.single_node ? linstor::InUseElsewhere(*resources, satellite)
                                        : std::vector<std::string>{};
      if (!others.empty() && clock.Now() >= in_use_deadline) {
        return FailedPrecondition(
            "volume " + volume + " is in use (DRBD Primary) on node " + Join(others) +
            " and its access mode allows a single node; stage it here after it is released" +
            (options.in_use_wait.count() > 0 ? " (waited " + Seconds(options.in_use_wait) + ")"
                                             : std::string()));
      }
      linstor::ReplicaAccess access = linstor::AssessReplica(*resources, satellite);
      if (others.empty() && access.usable) {
        if (poll > 0) {
          spdlog::info(
              "volume {}: replica on {} usable after {}: {}", volume, satellite,
              Seconds(std::chrono::duration_cast<std::chrono::milliseconds>(clock.Now() - start)),
              access.state);
        }
        return Status::Ok();
      }
      last = others.empty() ? "replica on " + satellite + ": " + access.state +
                                  "; replicas: " + DescribeReplicas(*resources)
                            : "in use on node " + Join(others);
    } else if (resources.status().code() == Code::kUnavailable ||
               resources.status().code() == Code::kDeadlineExceeded) {
      last = "LINSTOR unreachable: " + resources.status().message();
    } else {
      return resources.status().WithContext("reading the DRBD state of volume " + volume);
    }
    const auto now = clock.Now();
    if (now >= deadline) {
      return Unavailable("volume " + volume + " has no DRBD replica on " + satellite +
                         " that can serve I/O after " + Seconds(options.timeout) + ": " + last);
    }
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - now);
    clock.SleepFor(std::min(delay, left));
    delay = std::min(delay * 2, options.max_poll);
  }
}

}  // namespace lcsi::node
