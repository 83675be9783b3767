#include "linstor/linstor_version.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace lcsi::linstor {
namespace {

using ::testing::HasSubstr;

ControllerVersion Reported(const std::string& version, const std::string& rest_api) {
  ControllerVersion v;
  v.version = version;
  v.rest_api_version = rest_api;
  return v;
}

TEST(LinstorVersionTest, Parses) {
  EXPECT_EQ(ParseVersion("1.26.0"), (std::array<int, 3>{1, 26, 0}));
  EXPECT_EQ(ParseVersion("1.34.0-rc.1"), (std::array<int, 3>{1, 34, 0}));
  EXPECT_EQ(ParseVersion("2.1"), (std::array<int, 3>{2, 1, 0}));
  EXPECT_EQ(ParseVersion(""), std::nullopt);
  EXPECT_EQ(ParseVersion("v1.2.3"), std::nullopt);
}

TEST(LinstorVersionTest, TheNewestFeatureIsTheMinimum) {
  EXPECT_EQ(kLinstorFeatures.back().rest_api, kMinRestApiVersion);
  EXPECT_EQ(kLinstorFeatures.back().linstor, kMinLinstorVersion);
  for (size_t i = 1; i < kLinstorFeatures.size(); ++i) {
    EXPECT_LT(*ParseVersion(kLinstorFeatures[i - 1].rest_api),
              *ParseVersion(kLinstorFeatures[i].rest_api));
  }
}

TEST(LinstorVersionTest, AcceptsTheMinimumAndNewer) {
  EXPECT_TRUE(CheckLinstorVersion(Reported("1.32.0", "1.26.0")).ok());
  EXPECT_TRUE(CheckLinstorVersion(Reported("1.34.0-rc.1", "1.28.0")).ok());
  EXPECT_TRUE(CheckLinstorVersion(Reported("2.0.0", "2.0.0")).ok());
}

TEST(LinstorVersionTest, RefusesOlderNamingTheVersionAndWhy) {
  Status st = CheckLinstorVersion(Reported("1.31.1", "1.25.1"));
  EXPECT_EQ(st.code(), Code::kFailedPrecondition);
  EXPECT_THAT(st.message(), HasSubstr("LINSTOR 1.31.1 (REST API 1.25.1) is too old"));
  EXPECT_THAT(st.message(), HasSubstr("needs LINSTOR 1.32.0 or newer (REST API 1.26.0)"));
  EXPECT_THAT(st.message(), HasSubstr("override_props and delete_props in clone requests"));
  EXPECT_THAT(st.message(), ::testing::Not(HasSubstr("query-size-info")));

  st = CheckLinstorVersion(Reported("1.20.0", "1.15.0"));
  EXPECT_THAT(st.message(), HasSubstr("query-size-info"));
  EXPECT_THAT(st.message(),
              HasSubstr("multi-resource snapshots (group snapshots) (LINSTOR 1.22.0)"));

  st = CheckLinstorVersion(Reported("1.32.0", ""));
  EXPECT_EQ(st.code(), Code::kFailedPrecondition);
  EXPECT_THAT(st.message(), HasSubstr("does not report a readable REST API version"));
}

}  // namespace
}  // namespace lcsi::linstor
