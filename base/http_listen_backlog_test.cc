#include "base/http_listen_backlog.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <poll.h>
#include <unistd.h>

#include <vector>

namespace lcsi {
namespace {

// Opens `count` connections to 127.0.0.1:port at once, without anyone accepting them, and
// counts those the kernel completed within 300 ms (the others lost their SYN to a full backlog
// and would retry only after 1 s).
int ConnectsCompletedAtOnce(int port, int count) {
  std::vector<int> fds;
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  for (int i = 0; i < count; ++i) {
    int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    ::connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr);
    fds.push_back(fd);
  }
  std::vector<pollfd> polls;
  for (int fd : fds) polls.push_back({fd, POLLOUT, 0});
  ::usleep(300 * 1000);
  ::poll(polls.data(), polls.size(), 0);
  int completed = 0;
  for (const pollfd& p : polls) {
    int error = 0;
    socklen_t length = sizeof error;
    getsockopt(p.fd, SOL_SOCKET, SO_ERROR, &error, &length);
    if ((p.revents & POLLOUT) != 0 && error == 0) ++completed;
    ::close(p.fd);
  }
  return completed;
}

TEST(HttpListenBacklog, ManyClientsConnectAtOnce) {
  httplib::Server server;
  HttpListenBacklog backlog(server);
  const int port = server.bind_to_any_port("127.0.0.1");
  ASSERT_GT(port, 0);
  ASSERT_TRUE(backlog.Raise()) << std::strerror(errno);
  EXPECT_EQ(ConnectsCompletedAtOnce(port, 32), 32);
}

// Why the class exists: httplib's own backlog of 5 leaves most of 32 clients waiting.
TEST(HttpListenBacklog, WithoutItMostClientsWait) {
  httplib::Server server;
  const int port = server.bind_to_any_port("127.0.0.1");
  ASSERT_GT(port, 0);
  EXPECT_LE(ConnectsCompletedAtOnce(port, 32), 8);
}

TEST(HttpListenBacklog, RaiseBeforeBindIsFalse) {
  httplib::Server server;
  HttpListenBacklog backlog(server);
  EXPECT_FALSE(backlog.Raise());
}

}  // namespace
}  // namespace lcsi
