// The shared life cycle of both plugin binaries: flags, logging, validation, serving until a
// signal, graceful shutdown. Each binary supplies its own flags and services.
#pragma once

#include <grpcpp/grpcpp.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "base/flags.h"
#include "base/status.h"
#include "csi/endpoint.h"

namespace lcsi {

struct CommonConfig {
  Endpoint endpoint;
  std::string driver_name;
  std::string http_address;
};

// What a binary builds once its flags are known. Owns its services.
class PluginParts {
 public:
  virtual ~PluginParts() = default;
  virtual std::vector<grpc::Service*> Services() = 0;
  // Health for /healthz, backend included (the gRPC server itself is checked by the caller).
  // /livez never calls it: it only says whether the process serves.
  virtual Status Health() { return Status::Ok(); }
};

struct PluginSpec {
  std::string program;    // e.g. "linstor-csi-controller"
  std::string component;  // "controller" or "node" (metrics label)
  std::string summary;    // first paragraph of --help
  std::function<void(FlagSet&)> add_flags;
  std::function<Result<std::unique_ptr<PluginParts>>(const FlagSet&, const CommonConfig&)> build;
};

// A PluginSpec::build for a Parts type whose `static Result<std::unique_ptr<Parts>>
// Create(const FlagSet&, const CommonConfig&)` builds it.
template <typename Parts>
Result<std::unique_ptr<PluginParts>> BuildParts(const FlagSet& flags, const CommonConfig& common) {
  auto parts = Parts::Create(flags, common);
  if (!parts.ok()) return parts.status();
  return std::unique_ptr<PluginParts>(std::move(parts).value());
}

// Exit codes: 0 clean shutdown, 2 bad flags or configuration (one-line error on stderr),
// 1 a failure while serving.
int RunPlugin(const PluginSpec& spec, int argc, char** argv);

}  // namespace lcsi
