#include "base/status.h"

#include <gtest/gtest.h>

namespace lcsi {
namespace {

Result<int> Half(int v) {
  if (v % 2 != 0) return InvalidArgument("odd");
  return v / 2;
}

Status Chain(int v) {
  LCSI_RETURN_IF_ERROR(Half(v).status());
  return Status::Ok();
}

TEST(Status, OkAndErrors) {
  EXPECT_TRUE(Status::Ok().ok());
  Status s = NotFound("volume pvc-1 does not exist");
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(s.code(), Code::kNotFound);
  EXPECT_EQ(s.ToString(), "NotFound: volume pvc-1 does not exist");
  EXPECT_EQ(s.WithContext("DeleteVolume").message(), "DeleteVolume: volume pvc-1 does not exist");
}

TEST(Result, ValueOrStatus) {
  auto ok = Half(4);
  ASSERT_TRUE(ok.ok());
  EXPECT_EQ(*ok, 2);
  auto bad = Half(3);
  EXPECT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().code(), Code::kInvalidArgument);
  EXPECT_EQ(Chain(3).code(), Code::kInvalidArgument);
  EXPECT_TRUE(Chain(2).ok());
}

}  // namespace
}  // namespace lcsi
