#include "csi/endpoint.h"

#include <gtest/gtest.h>

namespace lcsi {
namespace {

TEST(Endpoint, UnixForms) {
  auto a = ParseEndpoint("unix:///var/lib/kubelet/plugins/x/csi.sock");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->kind, Endpoint::Kind::kUnix);
  EXPECT_EQ(a->path, "/var/lib/kubelet/plugins/x/csi.sock");
  EXPECT_EQ(a->GrpcUri(), "unix:/var/lib/kubelet/plugins/x/csi.sock");
  auto b = ParseEndpoint("unix:/csi/csi.sock");
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->path, "/csi/csi.sock");
  // Found by the endpoint fuzzer: extra slashes must not turn the path into a gRPC authority.
  auto c = ParseEndpoint("unix:////run//csi/csi.sock");
  ASSERT_TRUE(c.ok());
  EXPECT_EQ(c->path, "/run/csi/csi.sock");
  EXPECT_EQ(c->GrpcUri(), "unix:/run/csi/csi.sock");
}

TEST(Endpoint, Tcp) {
  auto a = ParseEndpoint("tcp://127.0.0.1:10000");
  ASSERT_TRUE(a.ok());
  EXPECT_EQ(a->kind, Endpoint::Kind::kTcp);
  EXPECT_EQ(a->GrpcUri(), "127.0.0.1:10000");
  auto b = ParseEndpoint("localhost:0");
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->address, "localhost:0");
}

TEST(Endpoint, Rejects) {
  for (const char* bad : {"", "unix://relative/path", "unix:", "/abs/path", "tcp://host",
                          "tcp://host:99999", "http://x:1", "tcp://h:12ab"}) {
    auto r = ParseEndpoint(bad);
    EXPECT_FALSE(r.ok()) << bad;
    if (!r.ok()) {
      EXPECT_EQ(r.status().code(), Code::kInvalidArgument) << bad;
    }
  }
  EXPECT_FALSE(ParseEndpoint("unix:///" + std::string(200, 'a')).ok());
}

}  // namespace
}  // namespace lcsi
