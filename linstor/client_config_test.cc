#include "linstor/client_config.h"

#include <gtest/gtest.h>

#include <map>

namespace lcsi::linstor {
namespace {

struct FakeEnv {
  std::map<std::string, std::string> vars;
  std::map<std::string, std::string> files;

  EnvLookup env() const { return MapEnv(vars); }
  FileReader reader() const {
    return [this](const std::string& path) -> Result<std::string> {
      auto it = files.find(path);
      if (it == files.end()) return InvalidArgument("cannot open " + path);
      return it->second;
    };
  }
};

TEST(ParseEndpointTest, Table) {
  struct Case {
    const char* url;
    bool tls;
    bool ok;
    bool https;
    const char* host;
    int port;
  };
  const Case cases[] = {
      {"http://ctrl:3370", false, true, false, "ctrl", 3370},
      {"ctrl", false, true, false, "ctrl", 3370},
      {"ctrl", true, true, true, "ctrl", 3371},
      {"ctrl:4000", false, true, false, "ctrl", 4000},
      {"https://ctrl", false, true, true, "ctrl", 3371},
      {"linstor://ctrl", false, true, false, "ctrl", 3370},
      {"linstor://ctrl", true, true, true, "ctrl", 3371},
      {"linstor+ssl://ctrl", false, true, true, "ctrl", 3371},
      {"http://10.0.0.1:3370/", false, true, false, "10.0.0.1", 3370},
      {"http://[fd00::1]:3370", false, true, false, "fd00::1", 3370},
      {"[::1]", true, true, true, "::1", 3371},
      {"  http://ctrl  ", false, true, false, "ctrl", 3370},
      {"ftp://ctrl", false, false, false, "", 0},
      {"http://", false, false, false, "", 0},
      {"http://ctrl:0", false, false, false, "", 0},
      {"http://ctrl:70000", false, false, false, "", 0},
      {"http://ctrl:abc", false, false, false, "", 0},
      {"http://ctrl:-1", false, false, false, "", 0},
      {"http://ctrl:+80", false, false, false, "", 0},
      {"http://ctrl:003370", false, false, false, "", 0},
      {"http://ctrl:03370", false, true, false, "ctrl", 3370},
      {"http://ctrl:65535", false, true, false, "ctrl", 65535},
      {"fd00::1", false, false, false, "", 0},
      {"http://user:pw@ctrl", false, false, false, "", 0},
      {"", false, false, false, "", 0},
  };
  for (const auto& c : cases) {
    auto ep = ParseEndpoint(c.url, c.tls);
    EXPECT_EQ(ep.ok(), c.ok) << c.url;
    if (!ep.ok() || !c.ok) continue;
    EXPECT_EQ(ep->https, c.https) << c.url;
    EXPECT_EQ(ep->host, c.host) << c.url;
    EXPECT_EQ(ep->port, c.port) << c.url;
  }
  EXPECT_EQ(ParseEndpoint("http://[fd00::1]", false)->ToString(), "http://[fd00::1]:3370");
}

TEST(ClientConfigTest, DefaultsToLocalhostHttp) {
  ClientConfig c;
  FakeEnv env;
  ASSERT_TRUE(c.ApplyEnv(env.env(), env.reader()).ok());
  auto eps = c.Endpoints();
  ASSERT_TRUE(eps.ok());
  ASSERT_EQ(eps->size(), 1u);
  EXPECT_EQ((*eps)[0].ToString(), "http://localhost:3370");
  EXPECT_FALSE(c.UseTls());
}

TEST(ClientConfigTest, ControllersListAndTlsSwitchesScheme) {
  FakeEnv env;
  env.vars["LS_CONTROLLERS"] = "ctrl-a, linstor://ctrl-b:3999 ,,http://ctrl-c";
  env.vars["LS_ROOT_CA"] = "-----BEGIN CERTIFICATE-----\nCA\n-----END CERTIFICATE-----\n";
  ClientConfig c;
  ASSERT_TRUE(c.ApplyEnv(env.env(), env.reader()).ok());
  auto eps = c.Endpoints();
  ASSERT_TRUE(eps.ok());
  ASSERT_EQ(eps->size(), 3u);
  EXPECT_EQ((*eps)[0].ToString(), "https://ctrl-a:3371");
  EXPECT_EQ((*eps)[1].ToString(), "https://ctrl-b:3999");
  EXPECT_EQ((*eps)[2].ToString(), "http://ctrl-c:3370");
  EXPECT_TRUE(c.UseTls());
}

TEST(ClientConfigTest, FileFormsAreRead) {
  FakeEnv env;
  env.vars["LS_ROOT_CA_FILE"] = "/etc/ca.pem";
  env.vars["LS_USER_CERTIFICATE_FILE"] = "/etc/tls.crt";
  env.vars["LS_USER_KEY_FILE"] = "/etc/tls.key";
  env.vars["LS_BEARER_TOKEN_FILE"] = "/etc/token";
  env.files = {{"/etc/ca.pem", "CA"},
               {"/etc/tls.crt", "CERT"},
               {"/etc/tls.key", "KEY"},
               {"/etc/token", "tok-123\n"}};
  ClientConfig c;
  ASSERT_TRUE(c.ApplyEnv(env.env(), env.reader()).ok());
  EXPECT_EQ(c.root_ca_pem, "CA");
  EXPECT_EQ(c.client_cert_pem, "CERT");
  EXPECT_EQ(c.client_key_pem, "KEY");
  EXPECT_EQ(c.bearer_token, "tok-123");  // trailing newline trimmed
  // Describe never includes secrets.
  const std::string d = c.Describe();
  EXPECT_EQ(d.find("tok-123"), std::string::npos);
  EXPECT_EQ(d.find("KEY"), std::string::npos);
  EXPECT_NE(d.find("auth=bearer"), std::string::npos);
}

TEST(ClientConfigTest, ValueWinsOverFileAndFlagsWinOverEnv) {
  FakeEnv env;
  env.vars["LS_ROOT_CA"] = "from-env";
  env.vars["LS_ROOT_CA_FILE"] = "/ca";
  env.files["/ca"] = "from-file";
  env.vars["LS_CONTROLLERS"] = "env-ctrl";
  env.vars["LS_USERNAME"] = "env-user";
  env.vars["LS_PASSWORD"] = "env-pw";
  ClientConfig c;
  c.controllers = {"flag-ctrl"};
  c.bearer_token = "flag-token";
  ASSERT_TRUE(c.ApplyEnv(env.env(), env.reader()).ok());
  EXPECT_EQ(c.root_ca_pem, "from-env");
  EXPECT_EQ(c.controllers, (std::vector<std::string>{"flag-ctrl"}));
  EXPECT_EQ(c.bearer_token, "flag-token");
  EXPECT_TRUE(c.username.empty());  // auth from flags: env auth ignored
}

TEST(ClientConfigTest, BasicAuthFromEnv) {
  FakeEnv env;
  env.vars["LS_USERNAME"] = "admin";
  env.vars["LS_PASSWORD"] = "s3cret";
  ClientConfig c;
  ASSERT_TRUE(c.ApplyEnv(env.env(), env.reader()).ok());
  EXPECT_EQ(c.username, "admin");
  EXPECT_EQ(c.password, "s3cret");
  EXPECT_EQ(c.Describe().find("s3cret"), std::string::npos);
}

TEST(ClientConfigTest, Errors) {
  {
    FakeEnv env;
    env.vars["LS_USER_CERTIFICATE"] = "CERT";
    ClientConfig c;
    EXPECT_EQ(c.ApplyEnv(env.env(), env.reader()).code(), Code::kInvalidArgument);
  }
  {
    FakeEnv env;
    env.vars["LS_ROOT_CA_FILE"] = "/missing";
    ClientConfig c;
    Status s = c.ApplyEnv(env.env(), env.reader());
    EXPECT_EQ(s.code(), Code::kInvalidArgument);
    EXPECT_NE(s.message().find("LS_ROOT_CA_FILE"), std::string::npos);
  }
  {
    FakeEnv env;
    env.vars["LS_USERNAME"] = "u";
    ClientConfig c;
    EXPECT_EQ(c.ApplyEnv(env.env(), env.reader()).code(), Code::kInvalidArgument);
  }
  {
    FakeEnv env;
    env.vars["LS_CONTROLLERS"] = "gopher://x";
    ClientConfig c;
    EXPECT_EQ(c.ApplyEnv(env.env(), env.reader()).code(), Code::kInvalidArgument);
  }
  {
    ClientConfig c;
    c.max_retries = -1;
    EXPECT_EQ(c.Validate().code(), Code::kInvalidArgument);
  }
}

}  // namespace
}  // namespace lcsi::linstor
