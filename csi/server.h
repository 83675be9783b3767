// gRPC server bootstrap for a CSI endpoint: stale socket removal, socket mode 0600, the RPC
// interceptor, and graceful shutdown on SIGTERM/SIGINT.
#pragma once

#include <grpcpp/grpcpp.h>

#include <chrono>
#include <memory>
#include <vector>

#include "csi/endpoint.h"
#include "base/status.h"

namespace lcsi {

class CsiServer {
 public:
  CsiServer() = default;
  ~CsiServer();
  CsiServer(const CsiServer&) = delete;
  CsiServer& operator=(const CsiServer&) = delete;

  // Binds and starts serving. A stale unix socket left by a dead process is removed first; a
  // path that exists and is not a socket is FailedPrecondition. The socket gets `socket_mode`.
  Status Start(const Endpoint& endpoint, const std::vector<grpc::Service*>& services,
               unsigned socket_mode = 0600);
  // Stops accepting, lets in-flight RPCs finish until `grace` ends (then cancels them), and
  // removes the socket file. Idempotent.
  void Shutdown(std::chrono::milliseconds grace);
  bool serving() const { return server_ != nullptr; }
  // The bound address for a tcp endpoint with port 0.
  int bound_port() const { return bound_port_; }

 private:
  std::unique_ptr<grpc::Server> server_;
  Endpoint endpoint_;
  int bound_port_ = 0;
};

// Blocks SIGTERM and SIGINT in the calling thread and every thread it creates later; call first
// thing in main() so WaitForShutdownSignal() can take them synchronously.
void BlockShutdownSignals();
// Waits for SIGTERM or SIGINT and returns its number.
int WaitForShutdownSignal();

}  // namespace lcsi
