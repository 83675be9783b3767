// A filesystem volume is big enough for its filesystem (issue 15 part 2): a mount volume asked
// for below mkfs.xfs's minimum is created at that minimum and then stages (the node's real
// mkfs.xfs on the loop device) instead of failing at every NodeStageVolume; a capacity range
// that cannot hold the minimum fails at CreateVolume.
#include "test/conformance/conformance.h"

namespace lcsi::conformance {
namespace {

using StatusCode = grpc::StatusCode;
constexpr int64_t kXfsMinBytes = 300 * kMiB;

class FilesystemSize : public ConformanceTest {};

TEST_F(FilesystemSize, XfsBelowMinimumIsRoundedUpAndStages) {
  Spec(
      "CreateVolume with a mount capability of fs_type xfs and required_bytes below mkfs.xfs's "
      "minimum (300 MiB), no limit: capacity_bytes >= the minimum, and the volume stages and "
      "mounts (mkfs.xfs succeeds)",
      "§CreateVolume (capacity_bytes MAY exceed required_bytes), §NodeStageVolume");
  auto cap = MountCap(Mode::SINGLE_NODE_WRITER, "xfs");
  v1::Volume v = MustCreateVolume(Unique("xfs-small"), 64 * kMiB, cap);
  EXPECT_GE(v.capacity_bytes(), kXfsMinBytes);
  MustPublishToNode(v.volume_id(), cap, StagingDir("xfs-small"), TargetPath("xfs-small"));
}

TEST_F(FilesystemSize, XfsLimitBelowMinimumIsOutOfRange) {
  Spec(
      "CreateVolume with fs_type xfs and limit_bytes below mkfs.xfs's minimum -> OUT_OF_RANGE "
      "(the message names the minimum)",
      "§CreateVolume Errors (Unsupported capacity_range: OUT_OF_RANGE)");
  auto req =
      CreateRequest(Unique("xfs-tight"), 64 * kMiB, MountCap(Mode::SINGLE_NODE_WRITER, "xfs"));
  req.mutable_capacity_range()->set_limit_bytes(64 * kMiB);
  v1::CreateVolumeResponse r;
  grpc::Status s = RPC(controller(), CreateVolume, req, &r);
  if (s.ok()) TrackVolume(r.volume().volume_id());
  EXPECT_CODE(s, StatusCode::OUT_OF_RANGE);
  EXPECT_NE(s.error_message().find(std::to_string(kXfsMinBytes)), std::string::npos)
      << s.error_message();
}

}  // namespace
}  // namespace lcsi::conformance
