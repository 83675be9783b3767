// cpp-httplib as Debian builds it (0.11, a compiled library) listens with a backlog of 5: when
// more clients connect at once, the kernel drops their SYNs and they wait for the 1 s SYN
// retransmit. HttpListenBacklog remembers the server's socket while httplib creates it and,
// once it is bound, listens on it again with a real backlog (Linux then updates the backlog of
// the listening socket). Header-only: its users link cpp-httplib already.
#pragma once

#include <httplib.h>
#include <sys/socket.h>

#include <memory>

namespace lcsi {

class HttpListenBacklog {
 public:
  // Connections waiting for accept(); the kernel caps it at net.core.somaxconn.
  static constexpr int kBacklog = 1024;

  // Call before server.bind_to_port() or bind_to_any_port(); it sets the server's socket
  // options (httplib's defaults) to remember the socket.
  explicit HttpListenBacklog(httplib::Server& server) {
    server.set_socket_options([fd = fd_](int sock) {
      httplib::default_socket_options(sock);
      *fd = sock;
    });
  }

  // After a successful bind. False, with errno set, when listen() fails; false with errno 0
  // when no socket was created.
  bool Raise(int backlog = kBacklog) {
    errno = 0;
    return *fd_ >= 0 && ::listen(*fd_, backlog) == 0;
  }

 private:
  // Shared with the server's callback, which may outlive this object.
  std::shared_ptr<int> fd_ = std::make_shared<int>(-1);
};

}  // namespace lcsi
