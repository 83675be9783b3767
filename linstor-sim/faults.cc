#include "linstor-sim/faults.h"

#include <simdjson.h>

#include "base/json_writer.h"

namespace lcsi::sim {

namespace {

Status ParseRule(simdjson::dom::element e, FaultRule& r) {
  simdjson::dom::object obj;
  if (e.get_object().get(obj) != simdjson::SUCCESS) {
    return InvalidArgument("a fault rule must be a JSON object");
  }
  for (auto [key, v] : obj) {
    std::string_view s;
    double d = 0;
    int64_t n = 0;
    if (key == "path_regex" && v.get_string().get(s) == simdjson::SUCCESS) {
      r.path_regex = std::string(s);
    } else if (key == "method" && v.get_string().get(s) == simdjson::SUCCESS) {
      r.method = std::string(s);
    } else if (key == "error_rate" && v.get_double().get(d) == simdjson::SUCCESS) {
      r.error_rate = d;
    } else if (key == "http_status" && v.get_int64().get(n) == simdjson::SUCCESS) {
      r.http_status = static_cast<int>(n);
    } else if (key == "latency_ms" && v.get_int64().get(n) == simdjson::SUCCESS) {
      r.latency_ms = static_cast<int>(n);
    } else if (key == "drop_rate" && v.get_double().get(d) == simdjson::SUCCESS) {
      r.drop_rate = d;
    } else if (key == "seed" && v.get_int64().get(n) == simdjson::SUCCESS) {
      r.seed = static_cast<uint64_t>(n);
    } else if (key == "count" && v.get_int64().get(n) == simdjson::SUCCESS) {
      r.count = n;
    } else if (key == "phase" && v.get_string().get(s) == simdjson::SUCCESS &&
               (s == "before" || s == "after")) {
      r.after = s == "after";
    } else {
      return InvalidArgument("fault rule: bad or unknown field '" + std::string(key) + "'");
    }
  }
  if (r.error_rate < 0 || r.error_rate > 1 || r.drop_rate < 0 || r.drop_rate > 1) {
    return InvalidArgument("fault rule: rates must be within [0, 1]");
  }
  if (r.http_status < 100 || r.http_status > 599) {
    return InvalidArgument("fault rule: http_status must be 100..599");
  }
  try {
    std::regex re(r.path_regex);
  } catch (const std::regex_error&) {
    return InvalidArgument("fault rule: invalid path_regex '" + r.path_regex + "'");
  }
  return Status::Ok();
}

}  // namespace

Result<std::vector<FaultRule>> ParseFaultRules(std::string_view body) {
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  if (parser.parse(body.data(), body.size()).get(root) != simdjson::SUCCESS) {
    return InvalidArgument("fault body is not JSON");
  }
  std::vector<FaultRule> rules;
  simdjson::dom::array arr;
  if (root["rules"].get_array().get(arr) == simdjson::SUCCESS) {
    for (auto e : arr) LCSI_RETURN_IF_ERROR(ParseRule(e, rules.emplace_back()));
  } else {
    LCSI_RETURN_IF_ERROR(ParseRule(root, rules.emplace_back()));
  }
  return rules;
}

std::vector<int> FaultInjector::Add(const std::vector<FaultRule>& rules) {
  std::lock_guard<std::mutex> lock(mu_);
  std::vector<int> ids;
  for (const auto& r : rules) {
    rules_.push_back({next_id_, r, std::regex(r.path_regex), std::mt19937_64(r.seed)});
    ids.push_back(next_id_++);
  }
  return ids;
}

void FaultInjector::Clear() {
  std::lock_guard<std::mutex> lock(mu_);
  rules_.clear();
}

bool FaultInjector::empty() const {
  std::lock_guard<std::mutex> lock(mu_);
  return rules_.empty();
}

int64_t FaultInjector::injected() const {
  std::lock_guard<std::mutex> lock(mu_);
  return injected_;
}

std::string FaultInjector::ToJson() const {
  std::lock_guard<std::mutex> lock(mu_);
  JsonWriter w;
  w.BeginObject().Key("rules").BeginArray();
  for (const auto& a : rules_) {
    w.BeginObject()
        .Field("id", a.id)
        .Field("path_regex", a.rule.path_regex)
        .Field("method", a.rule.method)
        .Field("error_rate", a.rule.error_rate)
        .Field("http_status", a.rule.http_status)
        .Field("latency_ms", a.rule.latency_ms)
        .Field("drop_rate", a.rule.drop_rate)
        .Field("seed", static_cast<int64_t>(a.rule.seed))
        .Field("phase", a.rule.after ? "after" : "before")
        .Field("count", a.rule.count)
        .EndObject();
  }
  w.EndArray().Field("injected", injected_).EndObject();
  return w.Take();
}

FaultDecision FaultInjector::Decide(std::string_view method, const std::string& path, bool after) {
  std::lock_guard<std::mutex> lock(mu_);
  FaultDecision d;
  std::uniform_real_distribution<double> uniform(0.0, 1.0);
  for (auto& a : rules_) {
    if (a.rule.after != after) continue;
    if (!a.rule.method.empty() && a.rule.method != method) continue;
    if (!std::regex_search(path, a.re)) continue;
    if (!after) d.latency_ms += a.rule.latency_ms;
    if (d.action != FaultAction::kNone || a.rule.count == 0) continue;
    // Always draw both numbers so one rule's sequence does not depend on its outcomes.
    const double drop = uniform(a.rng);
    const double err = uniform(a.rng);
    if (drop < a.rule.drop_rate) {
      d.action = FaultAction::kDrop;
    } else if (err < a.rule.error_rate) {
      d.action = FaultAction::kError;
      d.http_status = a.rule.http_status;
    } else {
      continue;
    }
    d.rule_id = a.id;
    if (a.rule.count > 0) --a.rule.count;
    ++injected_;
  }
  return d;
}

}  // namespace lcsi::sim
