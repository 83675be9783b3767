#include "csi/server.h"

#include <signal.h>
#include <spdlog/spdlog.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <thread>

#include "csi/metrics.h"
#include "csi/rpc_interceptor.h"

namespace lcsi {

namespace {

Status PrepareSocketPath(const std::string& path) {
  struct stat st {};
  if (lstat(path.c_str(), &st) != 0) {
    if (errno == ENOENT) return Status::Ok();
    return FailedPrecondition("cannot inspect socket path " + path + ": " + std::strerror(errno));
  }
  if (!S_ISSOCK(st.st_mode)) {
    return FailedPrecondition("socket path " + path +
                              " exists and is not a socket; refusing to remove it");
  }
  if (unlink(path.c_str()) != 0) {
    return FailedPrecondition("cannot remove stale socket " + path + ": " + std::strerror(errno));
  }
  spdlog::info("removed stale socket {}", path);
  return Status::Ok();
}

}  // namespace

CsiServer::~CsiServer() { Shutdown(std::chrono::milliseconds(0)); }

Status CsiServer::Start(const Endpoint& endpoint, const std::vector<grpc::Service*>& services,
                        unsigned socket_mode) {
  endpoint_ = endpoint;
  if (endpoint.kind == Endpoint::Kind::kUnix)
    LCSI_RETURN_IF_ERROR(PrepareSocketPath(endpoint.path));
  grpc::ServerBuilder builder;
  builder.AddListeningPort(endpoint.GrpcUri(), grpc::InsecureServerCredentials(), &bound_port_);
  for (grpc::Service* s : services) builder.RegisterService(s);
  builder.experimental().SetInterceptorCreators(MakeRpcInterceptors());
  // The socket is created with the mode the umask allows; narrow it before bind so that no
  // moment exists where others could connect.
  mode_t old_mask = umask(0777 & ~socket_mode);
  server_ = builder.BuildAndStart();
  umask(old_mask);
  if (server_ == nullptr || (endpoint.kind == Endpoint::Kind::kTcp && bound_port_ == 0)) {
    server_.reset();
    return Unavailable("cannot listen on " + endpoint.GrpcUri() +
                       " (address in use, or directory missing or not writable)");
  }
  if (endpoint.kind == Endpoint::Kind::kUnix) chmod(endpoint.path.c_str(), socket_mode);
  spdlog::info("serving CSI on {}", endpoint.GrpcUri());
  return Status::Ok();
}

void CsiServer::Shutdown(std::chrono::milliseconds grace) {
  if (server_ == nullptr) return;
  // gRPC's own deadline also waits for clients to hang up idle connections, which a CO never
  // does; what must finish is the RPCs in flight, which the interceptor counts.
  auto deadline = std::chrono::steady_clock::now() + grace;
  while (Metrics::Global().Inflight() > 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  server_->Shutdown(std::chrono::system_clock::now());
  server_->Wait();
  server_.reset();
  if (endpoint_.kind == Endpoint::Kind::kUnix) unlink(endpoint_.path.c_str());
}

void BlockShutdownSignals() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  pthread_sigmask(SIG_BLOCK, &set, nullptr);
}

int WaitForShutdownSignal() {
  sigset_t set;
  sigemptyset(&set);
  sigaddset(&set, SIGTERM);
  sigaddset(&set, SIGINT);
  int sig = 0;
  while (sigwait(&set, &sig) != 0) {
  }
  return sig;
}

}  // namespace lcsi
