#include "linstor/linstor_flags.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <fstream>
#include <map>

namespace lcsi::linstor {
namespace {

Result<ClientConfig> Parse(std::vector<const char*> argv, std::map<std::string, std::string> env) {
  FlagSet flags("test", "test");
  AddLinstorFlags(flags);
  argv.insert(argv.begin(), "test");
  Status s = flags.Parse(static_cast<int>(argv.size()), argv.data(), MapEnv(env));
  if (!s.ok()) return s;
  return LinstorConfigFromFlags(flags, MapEnv(env));
}

TEST(LinstorFlags, FlagsWinOverEnvironment) {
  auto c =
      Parse({"--linstor-controllers", "http://a:3370, http://b:3370", "--linstor-timeout", "3s"},
            {{"LS_CONTROLLERS", "http://env:3370"},
             {"LS_USERNAME", "admin"},
             {"LS_PASSWORD", "pw-4711"}});
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  ASSERT_EQ(c->controllers.size(), 2u);
  EXPECT_NE(c->controllers[0].find("a"), std::string::npos);
  EXPECT_NE(c->controllers[1].find("b"), std::string::npos);
  EXPECT_EQ(c->request_timeout, std::chrono::seconds(3));
  EXPECT_EQ(c->username, "admin");  // env-only settings still come from the environment
  EXPECT_EQ(c->password, "pw-4711");
  EXPECT_EQ(c->Describe().find("pw-4711"), std::string::npos) << "secrets never in logs";
}

TEST(LinstorFlags, EnvironmentIsTheFallback) {
  auto c = Parse({}, {{"LS_CONTROLLERS", "http://env-host:3370"}});
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  ASSERT_EQ(c->controllers.size(), 1u);
  EXPECT_NE(c->controllers[0].find("env-host"), std::string::npos);
}

TEST(LinstorFlags, PemFilesAreReadAndMissingFilesNameTheFlag) {
  char tmpl[] = "/tmp/lcsi-flags-XXXXXX";
  int fd = mkstemp(tmpl);
  ASSERT_GE(fd, 0);
  close(fd);
  std::ofstream(tmpl) << "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
  auto c = Parse({"--linstor-controllers", "https://a:3371", "--linstor-root-ca", tmpl}, {});
  unlink(tmpl);
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_NE(c->root_ca_pem.find("BEGIN CERTIFICATE"), std::string::npos);

  auto bad = Parse({"--linstor-client-key", "/nonexistent/key.pem"}, {});
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("--linstor-client-key"), std::string::npos)
      << bad.status().message();
  // A key's path may be logged; its content never is.
}

TEST(LinstorFlags, BadTimeoutIsInvalidArgument) {
  auto c = Parse({"--linstor-timeout", "soon"}, {});
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().code(), Code::kInvalidArgument);
  EXPECT_NE(c.status().message().find("--linstor-timeout"), std::string::npos);
}

}  // namespace
}  // namespace lcsi::linstor
