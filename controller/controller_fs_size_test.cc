// CreateVolume sizes a filesystem volume for its filesystem (issue 15 part 2), through the real
// gRPC server, the HTTP client and linstor-sim: a request below mkfs's minimum is rounded up
// when the capacity range allows it, and OUT_OF_RANGE naming the minimum otherwise.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "controller/controller_integration_fixture.h"
#include "controller/volume_size.h"

namespace lcsi::controller::testing {
namespace {

using ::testing::HasSubstr;

constexpr int64_t kXfsMinBytes = 300 * kMiB;

csi::v1::CreateVolumeRequest XfsReq(const std::string& name, int64_t required, int64_t limit,
                                    const std::string& fs_type = "xfs") {
  auto req = CreateReq(name, required);
  req.mutable_volume_capabilities(0)->mutable_mount()->set_fs_type(fs_type);
  if (limit > 0) req.mutable_capacity_range()->set_limit_bytes(limit);
  return req;
}

class ControllerFsSizeTest : public ControllerIntegrationTest {
 protected:
  int64_t LinstorSizeKib(const std::string& rd) {
    auto vds = client_->ListVolumeDefinitions(rd);
    EXPECT_TRUE(vds.ok());
    return vds.ok() ? VolumeZeroKib(*vds) : -1;
  }
};

TEST_F(ControllerFsSizeTest, XfsBelowItsMinimumIsRoundedUp) {
  auto v = MustCreate(XfsReq("pvc-xfs-small", 256 * kMiB, 0));
  EXPECT_EQ(v.capacity_bytes(), kXfsMinBytes);
  EXPECT_EQ(LinstorSizeKib("pvc-xfs-small"), kXfsMinBytes / 1024);
  // Idempotent: the same request finds the rounded volume.
  EXPECT_EQ(MustCreate(XfsReq("pvc-xfs-small", 256 * kMiB, 0)).capacity_bytes(), kXfsMinBytes);

  // The class's default filesystem counts when the capability names none.
  auto by_class = XfsReq("pvc-class-xfs", 64 * kMiB, 0, "");
  (*by_class.mutable_parameters())["csi.storage.k8s.io/fstype"] = "xfs";
  EXPECT_EQ(MustCreate(by_class).capacity_bytes(), kXfsMinBytes);
  // ext4 formats far smaller devices: 64 MiB stays 64 MiB.
  EXPECT_EQ(MustCreate(XfsReq("pvc-ext4", 64 * kMiB, 0, "ext4")).capacity_bytes(), 64 * kMiB);
  // A block volume is not formatted.
  auto block = CreateReq("pvc-block", 64 * kMiB);
  *block.mutable_volume_capabilities(0) = BlockCap();
  EXPECT_EQ(MustCreate(block).capacity_bytes(), 64 * kMiB);
}

TEST_F(ControllerFsSizeTest, XfsLimitBelowItsMinimumIsOutOfRange) {
  csi::v1::CreateVolumeResponse resp;
  grpc::Status s = CreateVolume(XfsReq("pvc-xfs-tight", 256 * kMiB, 256 * kMiB), &resp);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::OUT_OF_RANGE) << s.error_message();
  EXPECT_THAT(s.error_message(), HasSubstr("314572800 bytes"));
  EXPECT_THAT(s.error_message(), HasSubstr("xfs"));
  EXPECT_TRUE(client_->GetResourceDefinition("pvc-xfs-tight").IsNotFound());

  auto by_class = XfsReq("pvc-class-tight", 0, 100 * kMiB, "");
  (*by_class.mutable_parameters())["csi.storage.k8s.io/fstype"] = "xfs";
  s = CreateVolume(by_class, &resp);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::OUT_OF_RANGE) << s.error_message();

  // A limit that leaves room: rounded up to the minimum, within the limit.
  EXPECT_EQ(MustCreate(XfsReq("pvc-xfs-room", 256 * kMiB, 512 * kMiB)).capacity_bytes(),
            kXfsMinBytes);
}

}  // namespace
}  // namespace lcsi::controller::testing
