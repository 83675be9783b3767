// Fuzz target: csi/endpoint.h ParseEndpoint (the --endpoint flag / CSI_ENDPOINT).
// Besides "no crash", checks the parser's contract on every accepted input.
#include <cstdint>
#include <string>
#include <string_view>

#include "csi/endpoint.h"
#include "test/fuzz/fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto parsed = lcsi::ParseEndpoint(text);
  if (!parsed.ok()) {
    // Every rejection carries a message for the one-line start-up error.
    FUZZ_CHECK(!parsed.status().message().empty(), "a rejection carries a message");
    return 0;
  }
  const lcsi::Endpoint& ep = *parsed;
  if (ep.kind == lcsi::Endpoint::Kind::kUnix) {
    // Accepted unix paths are absolute, fit sockaddr_un, and round-trip through the gRPC URI.
    FUZZ_CHECK(!ep.path.empty() && ep.path.front() == '/' && ep.path.size() <= 107,
               "an accepted unix path is absolute and fits sockaddr_un");
    auto again = lcsi::ParseEndpoint(ep.GrpcUri());
    FUZZ_CHECK(again.ok() && again->kind == lcsi::Endpoint::Kind::kUnix && again->path == ep.path,
               "GrpcUri() of an accepted unix endpoint parses back to the same path (gRPC reads "
               "'unix://x' as authority x, so a path starting with '//' must be normalised)");
  } else {
    // tcp: host:port with a numeric port in range, and the address round-trips.
    size_t colon = ep.address.rfind(':');
    FUZZ_CHECK(colon != std::string::npos && colon + 1 < ep.address.size(),
               "an accepted tcp address is host:port");
    auto again = lcsi::ParseEndpoint("tcp://" + ep.address);
    FUZZ_CHECK(again.ok() && again->address == ep.address, "a tcp address round-trips");
  }
  return 0;
}
