// HTTPS: the simulator serves TLS with a given certificate and can require client
// certificates (mTLS). Certificates are made per test with the openssl command.
#include <gtest/gtest.h>
#include <httplib.h>

#include <cstdlib>
#include <filesystem>

#include "linstor-sim/sim_test_util.h"

namespace lcsi::sim::testing {
namespace {

class TlsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    if (std::system("openssl version > /dev/null 2>&1") != 0) GTEST_SKIP() << "no openssl";
    std::string templ = (std::filesystem::temp_directory_path() / "lcsi-tls-XXXXXX").string();
    ASSERT_NE(::mkdtemp(templ.data()), nullptr);
    dir_ = templ;
    const std::string d = dir_;
    const std::string script =
        "set -e; cd " + d +
        ";"
        "openssl req -x509 -newkey rsa:2048 -nodes -days 1 -subj /CN=test-ca "
        "  -keyout ca.key -out ca.crt 2>/dev/null;"
        "printf 'subjectAltName=IP:127.0.0.1,DNS:localhost' > san.ext;"
        "openssl req -newkey rsa:2048 -nodes -subj /CN=127.0.0.1 -keyout server.key "
        "  -out server.csr 2>/dev/null;"
        "openssl x509 -req -in server.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 1 "
        "  -extfile san.ext -out server.crt 2>/dev/null;"
        "openssl req -newkey rsa:2048 -nodes -subj /CN=client -keyout client.key "
        "  -out client.csr 2>/dev/null;"
        "openssl x509 -req -in client.csr -CA ca.crt -CAkey ca.key -CAcreateserial -days 1 "
        "  -out client.crt 2>/dev/null";
    ASSERT_EQ(std::system(("sh -c \"" + script + "\"").c_str()), 0);
  }
  void TearDown() override {
    std::error_code ec;
    if (!dir_.empty()) std::filesystem::remove_all(dir_, ec);
  }
  std::string dir_;
};

TEST_F(TlsTest, ServesHttpsWithVerifiableCertificate) {
  SimProcessOptions o;
  o.tls_cert = dir_ + "/server.crt";
  o.tls_key = dir_ + "/server.key";
  auto sim = SimProcess::Start(o);
  ASSERT_TRUE(sim.ok()) << sim.status().ToString();
  ASSERT_EQ((*sim)->url().rfind("https://", 0), 0u);
  httplib::Client verified((*sim)->url());
  verified.set_ca_cert_path((dir_ + "/ca.crt").c_str());
  verified.enable_server_certificate_verification(true);
  auto res = verified.Get("/v1/controller/version");
  ASSERT_TRUE(res) << httplib::to_string(res.error());
  EXPECT_EQ(res->status, 200);
  httplib::Client plain("http://127.0.0.1:" + std::to_string((*sim)->port()));
  auto no_tls = plain.Get("/v1/controller/version");
  EXPECT_TRUE(!no_tls || no_tls->status != 200);
}

TEST_F(TlsTest, RequiresClientCertificateWhenConfigured) {
  SimProcessOptions o;
  o.tls_cert = dir_ + "/server.crt";
  o.tls_key = dir_ + "/server.key";
  o.tls_client_ca = dir_ + "/ca.crt";
  auto sim = SimProcess::Start(o);
  ASSERT_TRUE(sim.ok()) << sim.status().ToString();
  httplib::SSLClient anonymous("127.0.0.1", (*sim)->port());
  anonymous.set_ca_cert_path((dir_ + "/ca.crt").c_str());
  anonymous.enable_server_certificate_verification(true);
  auto refused = anonymous.Get("/v1/controller/version");
  EXPECT_FALSE(refused && refused->status == 200);
  httplib::SSLClient with_cert("127.0.0.1", (*sim)->port(), dir_ + "/client.crt",
                               dir_ + "/client.key");
  with_cert.set_ca_cert_path((dir_ + "/ca.crt").c_str());
  with_cert.enable_server_certificate_verification(true);
  auto ok = with_cert.Get("/v1/controller/version");
  ASSERT_TRUE(ok) << httplib::to_string(ok.error());
  EXPECT_EQ(ok->status, 200);
}

}  // namespace
}  // namespace lcsi::sim::testing
