// Fault injection for the LINSTOR API (never for /admin/): per rule a path regex
// (searched in the request path), an optional method, an error rate with an HTTP status,
// added latency, a connection-drop rate, a seed and optionally a maximum number of faults.
// Each rule draws from its own seeded generator, so a sequential client sees the same
// faults on every run. Rules apply "before" the request is executed (default) or "after"
// it (the change happens, the answer is lost or replaced).
#pragma once

#include <cstdint>
#include <mutex>
#include <optional>
#include <random>
#include <regex>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace lcsi::sim {

struct FaultRule {
  std::string path_regex = ".*";
  std::string method;  // "" = any
  double error_rate = 0;
  int http_status = 503;
  int latency_ms = 0;
  double drop_rate = 0;
  uint64_t seed = 0;
  bool after = false;  // phase "after"
  int64_t count = -1;  // faults (errors + drops) left; -1 = unlimited
};

enum class FaultAction { kNone, kError, kDrop };

struct FaultDecision {
  int latency_ms = 0;
  FaultAction action = FaultAction::kNone;
  int http_status = 0;
  int rule_id = 0;
};

// Parses POST /admin/v1/faults: one rule object or {"rules": [...]}.
Result<std::vector<FaultRule>> ParseFaultRules(std::string_view body);

class FaultInjector {
 public:
  // Returns the new rule ids.
  std::vector<int> Add(const std::vector<FaultRule>& rules);
  void Clear();
  bool empty() const;
  std::string ToJson() const;
  // Combined decision of all matching rules for this phase (latencies add up; the first
  // drop or error wins).
  FaultDecision Decide(std::string_view method, const std::string& path, bool after);
  int64_t injected() const;

 private:
  struct Active {
    int id;
    FaultRule rule;
    std::regex re;
    std::mt19937_64 rng;
  };
  mutable std::mutex mu_;
  std::vector<Active> rules_;
  int next_id_ = 1;
  int64_t injected_ = 0;
};

}  // namespace lcsi::sim
