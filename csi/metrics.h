// Process metrics in Prometheus text format: CSI RPCs, LINSTOR requests, in-flight operations.
// Thread-safe; one global registry per process (the HTTP endpoint renders it).
#pragma once

#include <array>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <tuple>

#include "base/status.h"

namespace lcsi {

class Metrics {
 public:
  static Metrics& Global();

  void SetBuildInfo(std::string version, std::string driver_name, std::string component);
  // method: the short RPC name, e.g. "CreateVolume".
  void ObserveRpc(std::string_view method, Code code, double seconds);
  void RpcStarted() {
    std::lock_guard l(mu_);
    ++inflight_;
  }
  void RpcFinished() {
    std::lock_guard l(mu_);
    --inflight_;
  }
  long long Inflight() const {
    std::lock_guard l(mu_);
    return inflight_;
  }
  // endpoint: a path template such as "/v1/resource-groups/{rg}/spawn"; status: HTTP status or
  // 0 for a connection failure.
  void ObserveLinstorRequest(std::string_view method, std::string_view endpoint, int status,
                             double seconds);

  // step: one step of NodeStageVolume, e.g. "replica_wait", "probe", "mkfs.ext4", "mount".
  void ObserveStageStep(std::string_view step, double seconds);

  std::string RenderPrometheus() const;
  void ResetForTest();

 private:
  static constexpr std::array<double, 13> kBuckets = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1,
                                                      0.25,  0.5,    1,     2.5,  5,     10};
  struct Histogram {
    std::array<unsigned long long, kBuckets.size()> counts{};
    unsigned long long count = 0;
    double sum = 0;
    void Observe(double seconds);
  };

  mutable std::mutex mu_;
  std::string version_, driver_, component_;
  long long inflight_ = 0;
  std::map<std::tuple<std::string, std::string>, unsigned long long> rpc_counts_;  // method, code
  std::map<std::string, Histogram> rpc_latency_;                                   // method
  std::map<std::tuple<std::string, std::string, std::string>, unsigned long long>
      linstor_counts_;  // method, endpoint, status class
  std::map<std::tuple<std::string, std::string>, Histogram> linstor_latency_;
  std::map<std::string, Histogram> stage_steps_;  // step
};

// Counts an RPC as in flight for the guard's lifetime.
class InflightGuard {
 public:
  explicit InflightGuard(Metrics& m) : m_(m) { m_.RpcStarted(); }
  ~InflightGuard() { m_.RpcFinished(); }
  InflightGuard(const InflightGuard&) = delete;
  InflightGuard& operator=(const InflightGuard&) = delete;

 private:
  Metrics& m_;
};

}  // namespace lcsi
