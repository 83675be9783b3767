// Parsing of the CSI endpoint flag (unix socket for production, tcp for tests).
#pragma once

#include <string>
#include <string_view>

#include "base/status.h"

namespace lcsi {

struct Endpoint {
  enum class Kind { kUnix, kTcp };
  Kind kind = Kind::kUnix;
  std::string path;     // unix: absolute socket path
  std::string address;  // tcp: host:port
  // The URI gRPC understands: "unix:/abs/path" or "host:port".
  std::string GrpcUri() const;
};

// Accepts "unix:///abs/path", "unix:/abs/path", "tcp://host:port" and "host:port".
// Anything else (relative unix paths, empty, bad port) is InvalidArgument.
Result<Endpoint> ParseEndpoint(std::string_view text);

}  // namespace lcsi
