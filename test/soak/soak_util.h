// Small pieces shared by the soak's CO model and checks: gRPC code names, which codes a CO
// retries, the mount table, the volume capability the soak uses, and LINSTOR reads through the
// faulty sim.
#pragma once

#include <grpcpp/grpcpp.h>
#include <simdjson.h>

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

#include "csi/csi.grpc.pb.h"
#include "test/conformance/mount_table.h"
#include "test/conformance/sim_admin.h"

namespace lcsi::soak {

using Clock = std::chrono::steady_clock;
constexpr int64_t kMiB = 1024 * 1024;
constexpr int kMaxAttempts = 80;

double Seconds(Clock::time_point since);
std::string CodeName(grpc::StatusCode code);
// Codes a CO retries with backoff. A LINSTOR fault (5xx, dropped connection, latency) or a
// controller crash must surface as one of these, never as an answer the CO takes as final
// (INVALID_ARGUMENT, NOT_FOUND, ALREADY_EXISTS, FAILED_PRECONDITION, OUT_OF_RANGE, ...).
bool Retryable(grpc::StatusCode code);
std::string Lower(std::string s);
using testing::IsMountPoint;
using testing::MountsUnder;
// ext4, SINGLE_NODE_WRITER.
csi::v1::VolumeCapability MountCap();

// LINSTOR REST reads through the faulty sim: retried until a non-5xx answer.
class Backend {
 public:
  explicit Backend(const std::string& url) : admin_(url) {}
  // Status 200 or 404 (0 when it never got an answer).
  int Get(const std::string& path, simdjson::dom::element* out);
  testing::SimAdmin& admin() { return admin_; }

 private:
  testing::SimAdmin admin_;
  simdjson::dom::parser parser_;
  std::string body_;
};

}  // namespace lcsi::soak
