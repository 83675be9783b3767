#include "csi/driver_name.h"

#include <gtest/gtest.h>

namespace lcsi {
namespace {

TEST(DriverName, Valid) {
  for (const char* n : {"linstor-cpp.csi.io", "a", "x1", "linstor.csi.linbit.com", "a_b-c.d"}) {
    EXPECT_TRUE(ValidateDriverName(n).ok()) << n;
  }
  EXPECT_TRUE(ValidateDriverName(kDefaultDriverName).ok());
}

TEST(DriverName, Invalid) {
  EXPECT_FALSE(ValidateDriverName("").ok());
  EXPECT_FALSE(ValidateDriverName(std::string(64, 'a')).ok());
  EXPECT_TRUE(ValidateDriverName(std::string(63, 'a')).ok());
  EXPECT_FALSE(ValidateDriverName("-abc").ok());
  EXPECT_FALSE(ValidateDriverName("abc.").ok());
  Status s = ValidateDriverName("bad name");
  EXPECT_EQ(s.code(), Code::kInvalidArgument);
  EXPECT_NE(s.message().find("\"bad name\""), std::string::npos);
}

}  // namespace
}  // namespace lcsi
