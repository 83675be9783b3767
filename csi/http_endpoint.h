// The small HTTP side door of each binary: /metrics (Prometheus text), /livez and /healthz.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "base/status.h"

namespace httplib {
class Server;
}

namespace lcsi {

class HttpEndpoint {
 public:
  // health: OK when the plugin can do its work (its backend included); otherwise /healthz answers
  // 503 with the message. live: OK while the process serves, whatever its backend's state; /livez
  // answers 503 with the message otherwise. A liveness probe uses /livez, so an unreachable
  // backend never gets the process restarted.
  HttpEndpoint(std::function<Status()> health, std::function<Status()> live);
  ~HttpEndpoint();
  HttpEndpoint(const HttpEndpoint&) = delete;
  HttpEndpoint& operator=(const HttpEndpoint&) = delete;

  // address: "host:port" (port 0 picks a free one). Serves in a background thread.
  Status Start(const std::string& address);
  void Stop();
  int port() const { return port_; }

 private:
  std::function<Status()> health_;
  std::function<Status()> live_;
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  int port_ = 0;
};

}  // namespace lcsi
