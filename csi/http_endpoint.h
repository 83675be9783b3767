// The small HTTP side door of each binary: /metrics (Prometheus text) and /healthz.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "csi/status.h"

namespace httplib {
class Server;
}

namespace lcsi {

class HttpEndpoint {
 public:
  // health: OK when the process is healthy; otherwise /healthz answers 503 with the message.
  explicit HttpEndpoint(std::function<Status()> health);
  ~HttpEndpoint();
  HttpEndpoint(const HttpEndpoint&) = delete;
  HttpEndpoint& operator=(const HttpEndpoint&) = delete;

  // address: "host:port" (port 0 picks a free one). Serves in a background thread.
  Status Start(const std::string& address);
  void Stop();
  int port() const { return port_; }

 private:
  std::function<Status()> health_;
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  int port_ = 0;
};

}  // namespace lcsi
