#include "csi/metrics.h"

#include <sstream>

namespace lcsi {

namespace {

// Label values are escaped as the exposition format requires.
std::string Label(std::string_view v) {
  std::string out;
  for (char c : v) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

std::string StatusClass(int status) {
  if (status == 0) return "conn_error";
  return std::to_string(status / 100) + "xx";
}

}  // namespace

Metrics& Metrics::Global() {
  static Metrics* m = new Metrics();  // never destroyed: used from detached threads at exit
  return *m;
}

void Metrics::Histogram::Observe(double seconds) {
  for (size_t i = 0; i < kBuckets.size(); ++i) {
    if (seconds <= kBuckets[i]) ++counts[i];
  }
  ++count;
  sum += seconds;
}

void Metrics::SetBuildInfo(std::string version, std::string driver_name, std::string component) {
  std::lock_guard l(mu_);
  version_ = std::move(version);
  driver_ = std::move(driver_name);
  component_ = std::move(component);
}

void Metrics::ObserveRpc(std::string_view method, Code code, double seconds) {
  std::lock_guard l(mu_);
  ++rpc_counts_[{std::string(method), CodeName(code)}];
  rpc_latency_[std::string(method)].Observe(seconds);
}

void Metrics::ObserveLinstorRequest(std::string_view method, std::string_view endpoint, int status,
                                    double seconds) {
  std::lock_guard l(mu_);
  ++linstor_counts_[{std::string(method), std::string(endpoint), StatusClass(status)}];
  linstor_latency_[{std::string(method), std::string(endpoint)}].Observe(seconds);
}

void Metrics::ObserveStageStep(std::string_view step, double seconds) {
  std::lock_guard l(mu_);
  stage_steps_[std::string(step)].Observe(seconds);
}

void Metrics::ResetForTest() {
  std::lock_guard l(mu_);
  inflight_ = 0;
  rpc_counts_.clear();
  rpc_latency_.clear();
  linstor_counts_.clear();
  linstor_latency_.clear();
  stage_steps_.clear();
}

std::string Metrics::RenderPrometheus() const {
  std::lock_guard l(mu_);
  std::ostringstream out;
  auto histogram = [&out](const std::string& name, const std::string& labels, const Histogram& h) {
    for (size_t i = 0; i < kBuckets.size(); ++i) {
      out << name << "_bucket{" << labels << ",le=\"" << kBuckets[i] << "\"} " << h.counts[i]
          << "\n";
    }
    out << name << "_bucket{" << labels << ",le=\"+Inf\"} " << h.count << "\n";
    out << name << "_sum{" << labels << "} " << h.sum << "\n";
    out << name << "_count{" << labels << "} " << h.count << "\n";
  };
  out << "# HELP lcsi_build_info Build information.\n# TYPE lcsi_build_info gauge\n";
  out << "lcsi_build_info{version=\"" << Label(version_) << "\",driver=\"" << Label(driver_)
      << "\",component=\"" << Label(component_) << "\"} 1\n";
  out << "# HELP lcsi_inflight_operations CSI RPCs being served now.\n"
         "# TYPE lcsi_inflight_operations gauge\nlcsi_inflight_operations "
      << inflight_ << "\n";
  out << "# HELP lcsi_rpc_total CSI RPCs served, by method and gRPC code.\n"
         "# TYPE lcsi_rpc_total counter\n";
  for (const auto& [key, n] : rpc_counts_) {
    out << "lcsi_rpc_total{method=\"" << Label(std::get<0>(key)) << "\",code=\""
        << Label(std::get<1>(key)) << "\"} " << n << "\n";
  }
  out << "# HELP lcsi_rpc_duration_seconds CSI RPC latency.\n"
         "# TYPE lcsi_rpc_duration_seconds histogram\n";
  for (const auto& [method, h] : rpc_latency_) {
    histogram("lcsi_rpc_duration_seconds", "method=\"" + Label(method) + "\"", h);
  }
  out << "# HELP lcsi_linstor_requests_total LINSTOR REST requests, by endpoint and status.\n"
         "# TYPE lcsi_linstor_requests_total counter\n";
  for (const auto& [key, n] : linstor_counts_) {
    out << "lcsi_linstor_requests_total{method=\"" << Label(std::get<0>(key)) << "\",endpoint=\""
        << Label(std::get<1>(key)) << "\",status=\"" << Label(std::get<2>(key)) << "\"} " << n
        << "\n";
  }
  out << "# HELP lcsi_linstor_request_duration_seconds LINSTOR REST request latency.\n"
         "# TYPE lcsi_linstor_request_duration_seconds histogram\n";
  for (const auto& [key, h] : linstor_latency_) {
    histogram(
        "lcsi_linstor_request_duration_seconds",
        "method=\"" + Label(std::get<0>(key)) + "\",endpoint=\"" + Label(std::get<1>(key)) + "\"",
        h);
  }
  if (!stage_steps_.empty()) {
    out << "# HELP lcsi_node_stage_step_seconds Time spent in each step of NodeStageVolume.\n"
           "# TYPE lcsi_node_stage_step_seconds histogram\n";
    for (const auto& [step, h] : stage_steps_) {
      histogram("lcsi_node_stage_step_seconds", "step=\"" + Label(step) + "\"", h);
    }
  }
  return out.str();
}

}  // namespace lcsi
