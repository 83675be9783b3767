#include "csi/endpoint.h"

#include <charconv>

#include "base/parse_int.h"

namespace lcsi {

namespace {

constexpr size_t kMaxUnixPath = 107;  // sizeof(sockaddr_un::sun_path) - 1

Result<Endpoint> ParseTcp(std::string_view original, std::string_view hostport) {
  size_t colon = hostport.rfind(':');
  if (colon == std::string_view::npos || colon + 1 == hostport.size()) {
    return InvalidArgument("endpoint \"" + std::string(original) +
                           "\": tcp address needs host:port");
  }
  std::string_view port = hostport.substr(colon + 1);
  const int value = ParseInt<int>(port).value_or(-1);
  if (value < 0 || value > 65535) {
    return InvalidArgument("endpoint \"" + std::string(original) + "\": bad port \"" +
                           std::string(port) + "\"");
  }
  Endpoint ep;
  ep.kind = Endpoint::Kind::kTcp;
  ep.address = std::string(hostport);
  return ep;
}

}  // namespace

std::string Endpoint::GrpcUri() const { return kind == Kind::kUnix ? "unix:" + path : address; }

Result<Endpoint> ParseEndpoint(std::string_view text) {
  if (text.empty()) return InvalidArgument("endpoint is empty; expected unix:///path/to/csi.sock");
  std::string_view rest;
  if (text.starts_with("unix://")) {
    rest = text.substr(7);
  } else if (text.starts_with("unix:")) {
    rest = text.substr(5);
  } else if (text.starts_with("tcp://")) {
    return ParseTcp(text, text.substr(6));
  } else if (text.find("://") == std::string_view::npos &&
             text.find(':') != std::string_view::npos && text.front() != '/') {
    return ParseTcp(text, text);
  } else {
    return InvalidArgument("endpoint \"" + std::string(text) +
                           "\": expected unix:///abs/path, unix:/abs/path or tcp://host:port");
  }
  if (rest.empty() || rest.front() != '/') {
    return InvalidArgument("endpoint \"" + std::string(text) +
                           "\": unix socket path must be absolute");
  }
  if (rest.size() > kMaxUnixPath) {
    return InvalidArgument("endpoint \"" + std::string(text) + "\": socket path longer than " +
                           std::to_string(kMaxUnixPath) + " bytes");
  }
  Endpoint ep;
  // Collapse repeated slashes: gRPC would read "unix://x/..." as an authority, not a path.
  for (char c : rest) {
    if (c == '/' && !ep.path.empty() && ep.path.back() == '/') continue;
    ep.path += c;
  }
  return ep;
}

}  // namespace lcsi
