#include "base/env.h"

#include <gtest/gtest.h>

#include <cstdlib>

namespace lcsi {
namespace {

TEST(Env, MapEnvHoldsExactlyItsVariables) {
  EnvLookup env = MapEnv({{"A", "1"}, {"EMPTY", ""}});
  EXPECT_EQ(env("A"), std::optional<std::string>("1"));
  EXPECT_EQ(env("EMPTY"), std::optional<std::string>(""));
  EXPECT_EQ(env("B"), std::nullopt);
  EXPECT_EQ(env("a"), std::nullopt) << "names are case-sensitive";
}

TEST(Env, ProcessEnvReadsTheEnvironment) {
  const std::string name = "LCSI_ENV_TEST_" + std::to_string(::getpid());
  EnvLookup env = ProcessEnv();
  EXPECT_EQ(env(name), std::nullopt);
  ASSERT_EQ(::setenv(name.c_str(), "value", 1), 0);
  EXPECT_EQ(env(name), std::optional<std::string>("value"));
  ASSERT_EQ(::unsetenv(name.c_str()), 0);
  EXPECT_EQ(env(name), std::nullopt);
}

}  // namespace
}  // namespace lcsi
