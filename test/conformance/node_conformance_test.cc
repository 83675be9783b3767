// Node service (spec §Node Service RPC): stage/publish/unpublish/unstage rules, the full life
// cycle in mount and block modes on real loop devices, stats, expansion and path rules.
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include <cerrno>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "test/conformance/conformance.h"

namespace lcsi::conformance {
namespace {

namespace fs = std::filesystem;
using grpc::StatusCode;
using N = v1::NodeServiceCapability::RPC;
using C = v1::ControllerServiceCapability::RPC;

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

bool WriteFile(const std::string& path, const std::string& content) {
  int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0) return false;
  bool ok = write(fd, content.data(), content.size()) == static_cast<ssize_t>(content.size()) &&
            fsync(fd) == 0;
  close(fd);
  return ok;
}

class NodeRules : public ConformanceTest {
 protected:
  void SetUp() override {
    ConformanceTest::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    staged_ = caps().Node(N::STAGE_UNSTAGE_VOLUME);
  }
  // Publishes on the controller side (when the plugin has that step) and returns the context.
  std::map<std::string, std::string> ControllerPublish(const std::string& volume,
                                                       const v1::VolumeCapability& cap) {
    std::map<std::string, std::string> out;
    if (!caps().Controller(C::PUBLISH_UNPUBLISH_VOLUME)) return out;
    v1::ControllerPublishVolumeRequest req;
    req.set_volume_id(volume);
    req.set_node_id(NodeId());
    *req.mutable_volume_capability() = cap;
    v1::ControllerPublishVolumeResponse r;
    EXPECT_RPC_OK(RPC(controller(), ControllerPublishVolume, req, &r));
    TrackPublication(volume, NodeId());
    out.insert(r.publish_context().begin(), r.publish_context().end());
    return out;
  }
  v1::NodeStageVolumeRequest StageRequest(const std::string& volume, const std::string& path,
                                          const v1::VolumeCapability& cap,
                                          const std::map<std::string, std::string>& context) {
    v1::NodeStageVolumeRequest req;
    req.set_volume_id(volume);
    req.set_staging_target_path(path);
    *req.mutable_volume_capability() = cap;
    req.mutable_publish_context()->insert(context.begin(), context.end());
    return req;
  }
  v1::NodePublishVolumeRequest PublishRequest(const std::string& volume, const std::string& staging,
                                              const std::string& target,
                                              const v1::VolumeCapability& cap,
                                              const std::map<std::string, std::string>& context,
                                              bool readonly = false) {
    v1::NodePublishVolumeRequest req;
    req.set_volume_id(volume);
    if (staged_) req.set_staging_target_path(staging);
    req.set_target_path(target);
    *req.mutable_volume_capability() = cap;
    req.mutable_publish_context()->insert(context.begin(), context.end());
    req.set_readonly(readonly);
    return req;
  }
  grpc::Status Unpublish(const std::string& volume, const std::string& target) {
    v1::NodeUnpublishVolumeRequest req;
    req.set_volume_id(volume);
    req.set_target_path(target);
    v1::NodeUnpublishVolumeResponse r;
    return RPC(node(), NodeUnpublishVolume, req, &r);
  }
  grpc::Status Unstage(const std::string& volume, const std::string& path) {
    v1::NodeUnstageVolumeRequest req;
    req.set_volume_id(volume);
    req.set_staging_target_path(path);
    v1::NodeUnstageVolumeResponse r;
    return RPC(node(), NodeUnstageVolume, req, &r);
  }

  bool staged_ = false;
};

TEST_F(NodeRules, StageRequiredFieldsAndUnknownVolume) {
  Spec(
      "NodeStageVolume: volume_id, staging_target_path or volume_capability missing -> "
      "INVALID_ARGUMENT; unknown volume -> NOT_FOUND",
      "§NodeStageVolume (REQUIRED fields), §NodeStageVolume Errors");
  if (!staged_) GTEST_SKIP() << "STAGE_UNSTAGE_VOLUME";
  v1::Volume v = MustCreateVolume(Unique("stagereq"));
  auto context = ControllerPublish(v.volume_id(), MountCap());
  std::string staging = StagingDir(Unique("st"));
  v1::NodeStageVolumeResponse r;
  EXPECT_CODE(RPC(node(), NodeStageVolume, StageRequest("", staging, MountCap(), context), &r),
              StatusCode::INVALID_ARGUMENT);
  EXPECT_CODE(
      RPC(node(), NodeStageVolume, StageRequest(v.volume_id(), "", MountCap(), context), &r),
      StatusCode::INVALID_ARGUMENT);
  auto no_cap = StageRequest(v.volume_id(), staging, MountCap(), context);
  no_cap.clear_volume_capability();
  EXPECT_CODE(RPC(node(), NodeStageVolume, no_cap, &r), StatusCode::INVALID_ARGUMENT);
  EXPECT_FALSE(IsMountPoint(staging));
  std::string other = StagingDir(Unique("st"));
  EXPECT_CODE(
      RPC(node(), NodeStageVolume, StageRequest("pvc-unknown-stage", other, MountCap(), {}), &r),
      StatusCode::NOT_FOUND);
  EXPECT_FALSE(IsMountPoint(other));
}

TEST_F(NodeRules, MountLifecycleKeepsDataAndIsIdempotent) {
  Spec(
      "mount mode life cycle: stage (twice OK) -> publish (twice OK) -> write -> unpublish -> "
      "unstage -> stage -> publish -> the data is there; each undo twice OK; nothing stays "
      "mounted",
      "§NodeStageVolume, §NodePublishVolume, §NodeUnpublishVolume, §NodeUnstageVolume (MUST be "
      "idempotent), Figure 6 (lifecycle)");
  v1::Volume v = MustCreateVolume(Unique("life"));
  auto context = ControllerPublish(v.volume_id(), MountCap());
  std::string staging = StagingDir(Unique("st"));
  std::string target = TargetPath(Unique("pod"));
  v1::NodeStageVolumeResponse sr;
  v1::NodePublishVolumeResponse pr;
  if (staged_) {
    ASSERT_RPC_OK(RPC(node(), NodeStageVolume,
                      StageRequest(v.volume_id(), staging, MountCap(), context), &sr));
    TrackStage(v.volume_id(), staging);
    ASSERT_RPC_OK(RPC(node(), NodeStageVolume,
                      StageRequest(v.volume_id(), staging, MountCap(), context), &sr))
        << "second stage";
    EXPECT_TRUE(IsMountPoint(staging));
  }
  auto publish = PublishRequest(v.volume_id(), staging, target, MountCap(), context);
  ASSERT_RPC_OK(RPC(node(), NodePublishVolume, publish, &pr));
  TrackNodePublish(v.volume_id(), target);
  ASSERT_RPC_OK(RPC(node(), NodePublishVolume, publish, &pr)) << "second publish";
  ASSERT_TRUE(IsMountPoint(target));
  ASSERT_TRUE(WriteFile(target + "/hello.txt", "conformance data\n"));

  EXPECT_RPC_OK(Unpublish(v.volume_id(), target));
  EXPECT_RPC_OK(Unpublish(v.volume_id(), target)) << "second unpublish";
  EXPECT_FALSE(IsMountPoint(target));
  EXPECT_FALSE(fs::exists(target)) << "the SP MUST delete the file or directory it created";
  if (staged_) {
    EXPECT_RPC_OK(Unstage(v.volume_id(), staging));
    EXPECT_RPC_OK(Unstage(v.volume_id(), staging)) << "second unstage";
    EXPECT_FALSE(IsMountPoint(staging));
    ASSERT_RPC_OK(RPC(node(), NodeStageVolume,
                      StageRequest(v.volume_id(), staging, MountCap(), context), &sr));
  }
  ASSERT_RPC_OK(RPC(node(), NodePublishVolume, publish, &pr));
  EXPECT_EQ(ReadFile(target + "/hello.txt"), "conformance data\n")
      << "re-staging MUST NOT reformat a volume that has a filesystem";
}

TEST_F(NodeRules, StageSamePathOtherCapabilityIsAlreadyExists) {
  Spec(
      "NodeStageVolume: staged at the path with a mount capability, then asked for block at "
      "the same path -> ALREADY_EXISTS",
      "§NodeStageVolume Errors (Volume published but is incompatible)");
  if (!staged_) GTEST_SKIP() << "STAGE_UNSTAGE_VOLUME";
  v1::Volume v = MustCreateVolume(Unique("stagex"));
  auto context = ControllerPublish(v.volume_id(), MountCap());
  std::string staging = StagingDir(Unique("st"));
  v1::NodeStageVolumeResponse r;
  ASSERT_RPC_OK(
      RPC(node(), NodeStageVolume, StageRequest(v.volume_id(), staging, MountCap(), context), &r));
  TrackStage(v.volume_id(), staging);
  EXPECT_CODE(
      RPC(node(), NodeStageVolume, StageRequest(v.volume_id(), staging, BlockCap(), context), &r),
      StatusCode::ALREADY_EXISTS);
}

TEST_F(NodeRules, PublishRequiredFieldsAndStagingPath) {
  Spec(
      "NodePublishVolume: volume_id, target_path or volume_capability missing -> "
      "INVALID_ARGUMENT; staging_target_path missing with STAGE_UNSTAGE_VOLUME -> "
      "FAILED_PRECONDITION",
      "§NodePublishVolume (REQUIRED fields), §NodePublishVolume Errors (Staging target path not "
      "set)");
  v1::Volume v = MustCreateVolume(Unique("pubreq"));
  auto context = ControllerPublish(v.volume_id(), MountCap());
  std::string staging = StagingDir(Unique("st"));
  std::string target = TargetPath(Unique("pod"));
  v1::NodePublishVolumeResponse r;
  EXPECT_CODE(
      RPC(node(), NodePublishVolume, PublishRequest("", staging, target, MountCap(), context), &r),
      StatusCode::INVALID_ARGUMENT);
  EXPECT_CODE(RPC(node(), NodePublishVolume,
                  PublishRequest(v.volume_id(), staging, "", MountCap(), context), &r),
              StatusCode::INVALID_ARGUMENT);
  auto no_cap = PublishRequest(v.volume_id(), staging, target, MountCap(), context);
  no_cap.clear_volume_capability();
  EXPECT_CODE(RPC(node(), NodePublishVolume, no_cap, &r), StatusCode::INVALID_ARGUMENT);
  if (staged_) {
    auto no_staging = PublishRequest(v.volume_id(), staging, target, MountCap(), context);
    no_staging.clear_staging_target_path();
    grpc::Status s = RPC(node(), NodePublishVolume, no_staging, &r);
    if (s.ok()) TrackNodePublish(v.volume_id(), target);
    EXPECT_CODE(s, StatusCode::FAILED_PRECONDITION);
  }
  EXPECT_FALSE(IsMountPoint(target));
}

TEST_F(NodeRules, SecondPublishRules) {
  Spec(
      "NodePublishVolume again: same target + other readonly -> ALREADY_EXISTS; with "
      "SINGLE_NODE_MULTI_WRITER: a second target of a SINGLE_NODE_SINGLE_WRITER volume -> "
      "FAILED_PRECONDITION, of a SINGLE_NODE_MULTI_WRITER volume -> OK. (SINGLE_NODE_WRITER's "
      "second target is not asserted: the table's SHOULD conflicts with Kubernetes RWO, which "
      "lets pods on one node share the volume)",
      "§NodePublishVolume (second-call tables), §NodePublishVolume Errors");
  v1::Volume v = MustCreateVolume(Unique("pub2"));
  std::string staging = StagingDir(Unique("st"));
  std::string target = TargetPath(Unique("pod"));
  auto context = MustPublishToNode(v.volume_id(), MountCap(), staging, target);
  v1::NodePublishVolumeResponse r;
  EXPECT_CODE(RPC(node(), NodePublishVolume,
                  PublishRequest(v.volume_id(), staging, target, MountCap(), context, true), &r),
              StatusCode::ALREADY_EXISTS);
  if (!caps().Node(N::SINGLE_NODE_MULTI_WRITER)) return;
  for (auto mode : {Mode::SINGLE_NODE_SINGLE_WRITER, Mode::SINGLE_NODE_MULTI_WRITER}) {
    auto cap = MountCap(mode);
    v1::Volume w = MustCreateVolume(Unique("pubsn"), kVolumeBytes, cap);
    std::string st = StagingDir(Unique("st"));
    std::string first = TargetPath(Unique("pod"));
    auto ctx = MustPublishToNode(w.volume_id(), cap, st, first);
    std::string second = TargetPath(Unique("pod"));
    grpc::Status s =
        RPC(node(), NodePublishVolume, PublishRequest(w.volume_id(), st, second, cap, ctx), &r);
    if (s.ok()) TrackNodePublish(w.volume_id(), second);
    if (mode == Mode::SINGLE_NODE_SINGLE_WRITER) {
      EXPECT_CODE(s, StatusCode::FAILED_PRECONDITION) << "SINGLE_NODE_SINGLE_WRITER";
    } else {
      EXPECT_RPC_OK(s) << "SINGLE_NODE_MULTI_WRITER";
    }
  }
}

TEST_F(NodeRules, ReadonlyPublishIsReadOnly) {
  Spec("NodePublishVolume readonly=true: the target is mounted read-only (writes fail)",
       "§NodePublishVolume (readonly: SP MUST publish the volume in readonly mode)");
  v1::Volume v = MustCreateVolume(Unique("ro"), kVolumeBytes, MountCap(Mode::SINGLE_NODE_WRITER));
  std::string staging = StagingDir(Unique("st"));
  std::string target = TargetPath(Unique("pod"));
  MustPublishToNode(v.volume_id(), MountCap(), staging, target, /*readonly=*/true);
  ASSERT_TRUE(IsMountPoint(target));
  int fd = open((target + "/denied").c_str(), O_WRONLY | O_CREAT, 0644);
  int err = errno;
  if (fd >= 0) close(fd);
  EXPECT_LT(fd, 0);
  EXPECT_EQ(err, EROFS);
  struct statvfs st {};
  ASSERT_EQ(statvfs(target.c_str(), &st), 0);
  EXPECT_TRUE(st.f_flag & ST_RDONLY);
}

TEST_F(NodeRules, UnpublishAndUnstageRules) {
  Spec(
      "NodeUnpublishVolume/NodeUnstageVolume: volume_id or path missing -> INVALID_ARGUMENT; "
      "nothing published/staged there -> OK",
      "§NodeUnpublishVolume, §NodeUnstageVolume (MUST reply OK when not staged)");
  v1::Volume v = MustCreateVolume(Unique("undo"));
  std::string target = TargetPath(Unique("pod"));
  EXPECT_CODE(Unpublish("", target), StatusCode::INVALID_ARGUMENT);
  EXPECT_CODE(Unpublish(v.volume_id(), ""), StatusCode::INVALID_ARGUMENT);
  EXPECT_RPC_OK(Unpublish(v.volume_id(), target)) << "never published";
  if (staged_) {
    std::string staging = StagingDir(Unique("st"));
    EXPECT_CODE(Unstage("", staging), StatusCode::INVALID_ARGUMENT);
    EXPECT_CODE(Unstage(v.volume_id(), ""), StatusCode::INVALID_ARGUMENT);
    EXPECT_RPC_OK(Unstage(v.volume_id(), staging)) << "never staged";
  }
}

TEST_F(NodeRules, BlockLifecycle) {
  Spec(
      "block mode: publish places a block device file at target_path; bytes written through it "
      "read back; unpublish removes it",
      "§NodePublishVolume (for block, the SP SHALL place the block device at target_path), "
      "§NodeUnpublishVolume");
  v1::Volume v = MustCreateVolume(Unique("block"), kVolumeBytes, BlockCap());
  std::string staging = StagingDir(Unique("st"));
  std::string target = TargetPath(Unique("pod"));
  MustPublishToNode(v.volume_id(), BlockCap(), staging, target);
  struct stat st {};
  ASSERT_EQ(stat(target.c_str(), &st), 0);
  EXPECT_TRUE(S_ISBLK(st.st_mode)) << "target is not a block device";
  std::string pattern(4096, '\0');
  for (size_t i = 0; i < pattern.size(); ++i) pattern[i] = static_cast<char>(i * 7 + 3);
  int fd = open(target.c_str(), O_RDWR);
  ASSERT_GE(fd, 0) << strerror(errno);
  ASSERT_EQ(pwrite(fd, pattern.data(), pattern.size(), kMiB), static_cast<ssize_t>(pattern.size()));
  ASSERT_EQ(fsync(fd), 0);
  std::string back(pattern.size(), '\0');
  ASSERT_EQ(pread(fd, back.data(), back.size(), kMiB), static_cast<ssize_t>(back.size()));
  close(fd);
  EXPECT_EQ(back, pattern);
  v1::NodeGetVolumeStatsRequest stats;
  stats.set_volume_id(v.volume_id());
  stats.set_volume_path(target);
  v1::NodeGetVolumeStatsResponse sr;
  if (caps().Node(N::GET_VOLUME_STATS)) {
    ASSERT_RPC_OK(RPC(node(), NodeGetVolumeStats, stats, &sr));
    bool bytes = false;
    for (const auto& u : sr.usage()) {
      if (u.unit() == v1::VolumeUsage::BYTES) {
        bytes = true;
        EXPECT_GE(u.total(), v.capacity_bytes() / 2);
      }
    }
    EXPECT_TRUE(bytes) << sr.ShortDebugString();
  }
  EXPECT_RPC_OK(Unpublish(v.volume_id(), target));
  EXPECT_FALSE(fs::exists(target));
}

TEST_F(NodeRules, VolumeStats) {
  Spec(
      "NodeGetVolumeStats: volume_id or volume_path missing -> INVALID_ARGUMENT; a path where "
      "the volume is not -> NOT_FOUND; mounted: BYTES and INODES with used/available <= total; "
      "volume_condition with VOLUME_CONDITION",
      "§NodeGetVolumeStats, §NodeGetVolumeStats Errors, §VolumeUsage");
  if (!caps().Node(N::GET_VOLUME_STATS)) GTEST_SKIP() << "GET_VOLUME_STATS";
  v1::Volume v = MustCreateVolume(Unique("stats"));
  std::string staging = StagingDir(Unique("st"));
  std::string target = TargetPath(Unique("pod"));
  MustPublishToNode(v.volume_id(), MountCap(), staging, target);
  v1::NodeGetVolumeStatsResponse r;
  v1::NodeGetVolumeStatsRequest no_id;
  no_id.set_volume_path(target);
  EXPECT_CODE(RPC(node(), NodeGetVolumeStats, no_id, &r), StatusCode::INVALID_ARGUMENT);
  v1::NodeGetVolumeStatsRequest no_path;
  no_path.set_volume_id(v.volume_id());
  EXPECT_CODE(RPC(node(), NodeGetVolumeStats, no_path, &r), StatusCode::INVALID_ARGUMENT);
  v1::NodeGetVolumeStatsRequest elsewhere;
  elsewhere.set_volume_id(v.volume_id());
  elsewhere.set_volume_path(stack().kubelet_dir() + "/pods/nothing-here/mount");
  EXPECT_CODE(RPC(node(), NodeGetVolumeStats, elsewhere, &r), StatusCode::NOT_FOUND);

  v1::NodeGetVolumeStatsRequest req;
  req.set_volume_id(v.volume_id());
  req.set_volume_path(target);
  if (staged_) req.set_staging_target_path(staging);
  ASSERT_RPC_OK(RPC(node(), NodeGetVolumeStats, req, &r));
  std::set<int> units;
  for (const auto& u : r.usage()) {
    units.insert(u.unit());
    EXPECT_GT(u.total(), 0);
    EXPECT_GE(u.used(), 0);
    EXPECT_GE(u.available(), 0);
    EXPECT_LE(u.used(), u.total());
    EXPECT_LE(u.available(), u.total());
  }
  EXPECT_TRUE(units.count(v1::VolumeUsage::BYTES));
  EXPECT_TRUE(units.count(v1::VolumeUsage::INODES));
  if (caps().Node(N::VOLUME_CONDITION)) {
    ASSERT_TRUE(r.has_volume_condition()) << "MUST be specified with VOLUME_CONDITION";
    EXPECT_FALSE(r.volume_condition().abnormal()) << r.volume_condition().message();
    EXPECT_FALSE(r.volume_condition().message().empty());
  }
}

TEST_F(NodeRules, StatsOfAnUnknownVolumeOrAWrongPathIsNotFound) {
  Spec(
      "NodeGetVolumeStats: an unknown volume_id -> NOT_FOUND, even with a relative, missing or "
      "another volume's volume_path; a known volume at a relative path -> NOT_FOUND",
      "§NodeGetVolumeStats Errors (Volume does not exist: no volume with volume_id at "
      "volume_path)");
  if (!caps().Node(N::GET_VOLUME_STATS)) GTEST_SKIP() << "GET_VOLUME_STATS";
  v1::Volume v = MustCreateVolume(Unique("statsnf"));
  std::string staging = StagingDir(Unique("st"));
  std::string target = TargetPath(Unique("pod"));
  MustPublishToNode(v.volume_id(), MountCap(), staging, target);
  const std::string missing = stack().kubelet_dir() + "/pods/nothing-here/mount";
  struct Case {
    std::string id, path;
  };
  for (const Case& c : std::vector<Case>{{"pvc-unknown-stats", "some/path"},
                                         {"id", "some/path"},
                                         {"pvc-unknown-stats", missing},
                                         {"pvc-unknown-stats", target},
                                         {"pvc-unknown-stats", staging},
                                         {v.volume_id(), "some/path"},
                                         {v.volume_id(), missing}}) {
    v1::NodeGetVolumeStatsRequest req;
    req.set_volume_id(c.id);
    req.set_volume_path(c.path);
    v1::NodeGetVolumeStatsResponse r;
    EXPECT_CODE(RPC(node(), NodeGetVolumeStats, req, &r), StatusCode::NOT_FOUND)
        << c.id << " at " << c.path;
  }
  for (const std::string& path : {target, staging}) {
    v1::NodeGetVolumeStatsRequest req;
    req.set_volume_id(v.volume_id());
    req.set_volume_path(path);
    v1::NodeGetVolumeStatsResponse r;
    EXPECT_RPC_OK(RPC(node(), NodeGetVolumeStats, req, &r)) << path;
  }
}

TEST_F(NodeRules, ExpandOfAnUnknownVolumeIsNotFoundBeforeThePath) {
  Spec(
      "NodeExpandVolume: an unknown volume_id -> NOT_FOUND before volume_path is judged "
      "(relative, missing, or another volume's path); a known volume at a relative path -> "
      "INVALID_ARGUMENT",
      "§NodeExpandVolume Errors (Volume not found), §Error Scheme");
  if (!caps().Node(N::EXPAND_VOLUME)) GTEST_SKIP() << "node EXPAND_VOLUME";
  v1::Volume v = MustCreateVolume(Unique("expnf"));
  std::string staging = StagingDir(Unique("st"));
  std::string target = TargetPath(Unique("pod"));
  MustPublishToNode(v.volume_id(), MountCap(), staging, target);
  for (const std::string& path :
       {std::string("some/path"), stack().kubelet_dir() + "/pods/nothing-here/mount", target,
        std::string("/etc")}) {
    v1::NodeExpandVolumeRequest req;
    req.set_volume_id("pvc-unknown-expand");
    req.set_volume_path(path);
    v1::NodeExpandVolumeResponse r;
    EXPECT_CODE(RPC(node(), NodeExpandVolume, req, &r), StatusCode::NOT_FOUND) << path;
  }
  v1::NodeExpandVolumeRequest relative;
  relative.set_volume_id(v.volume_id());
  relative.set_volume_path("some/path");
  v1::NodeExpandVolumeResponse r;
  EXPECT_CODE(RPC(node(), NodeExpandVolume, relative, &r), StatusCode::INVALID_ARGUMENT);
}

// ext4 online growth needs CAP_SYS_RESOURCE (some sandboxes drop it); xfs does not.
bool HasCapSysResource() {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("CapEff:", 0) == 0) {
      return (std::stoull(line.substr(7), nullptr, 16) >> 24) & 1;  // CAP_SYS_RESOURCE = 24
    }
  }
  return false;
}

class NodeExpand : public NodeRules, public ::testing::WithParamInterface<std::string> {};

TEST_P(NodeExpand, GrowsPublishedFilesystemOnline) {
  Spec("ControllerExpandVolume then NodeExpandVolume on a published " + GetParam() +
           " filesystem: it grows (statfs), capacity_bytes >= required; volume_id/volume_path "
           "missing -> INVALID_ARGUMENT; a path where the volume is not -> NOT_FOUND; repeat -> OK",
       "§NodeExpandVolume, §NodeExpandVolume Errors, §PluginCapability.VolumeExpansion ONLINE");
  if (!caps().Node(N::EXPAND_VOLUME)) GTEST_SKIP() << "node EXPAND_VOLUME";
  if (GetParam() == "ext4" && !HasCapSysResource()) {
    GTEST_SKIP() << "ext4 online resize needs CAP_SYS_RESOURCE, which this environment lacks";
  }
  // xfs needs at least 300 MiB; the backing files are sparse.
  const int64_t start = GetParam() == "xfs" ? 320 * kMiB : 64 * kMiB;
  const int64_t grown = start + 96 * kMiB;
  auto cap = MountCap(Mode::SINGLE_NODE_WRITER, GetParam());
  v1::Volume v = MustCreateVolume(Unique("grow"), start, cap);
  std::string staging = StagingDir(Unique("st"));
  std::string target = TargetPath(Unique("pod"));
  MustPublishToNode(v.volume_id(), cap, staging, target);
  struct statvfs before {};
  ASSERT_EQ(statvfs(target.c_str(), &before), 0);
  if (caps().Controller(C::EXPAND_VOLUME)) {
    v1::ControllerExpandVolumeRequest grow;
    grow.set_volume_id(v.volume_id());
    grow.mutable_capacity_range()->set_required_bytes(grown);
    *grow.mutable_volume_capability() = cap;
    v1::ControllerExpandVolumeResponse gr;
    ASSERT_RPC_OK(RPC(controller(), ControllerExpandVolume, grow, &gr));
    EXPECT_TRUE(gr.node_expansion_required()) << "a filesystem volume needs node expansion";
  }
  v1::NodeExpandVolumeResponse r;
  v1::NodeExpandVolumeRequest no_id;
  no_id.set_volume_path(target);
  EXPECT_CODE(RPC(node(), NodeExpandVolume, no_id, &r), StatusCode::INVALID_ARGUMENT);
  v1::NodeExpandVolumeRequest no_path;
  no_path.set_volume_id(v.volume_id());
  EXPECT_CODE(RPC(node(), NodeExpandVolume, no_path, &r), StatusCode::INVALID_ARGUMENT);
  v1::NodeExpandVolumeRequest elsewhere;
  elsewhere.set_volume_id(v.volume_id());
  elsewhere.set_volume_path(stack().kubelet_dir() + "/pods/nothing-here/mount");
  EXPECT_CODE(RPC(node(), NodeExpandVolume, elsewhere, &r), StatusCode::NOT_FOUND);

  v1::NodeExpandVolumeRequest req;
  req.set_volume_id(v.volume_id());
  req.set_volume_path(target);
  if (staged_) req.set_staging_target_path(staging);
  req.mutable_capacity_range()->set_required_bytes(grown);
  *req.mutable_volume_capability() = cap;
  ASSERT_RPC_OK(RPC(node(), NodeExpandVolume, req, &r));
  if (r.capacity_bytes() != 0) {
    EXPECT_GE(r.capacity_bytes(), grown - 16 * kMiB);
  }
  ASSERT_RPC_OK(RPC(node(), NodeExpandVolume, req, &r)) << "repeat";
  struct statvfs after {};
  ASSERT_EQ(statvfs(target.c_str(), &after), 0);
  EXPECT_GT(after.f_blocks * after.f_frsize, before.f_blocks * before.f_frsize + 64 * kMiB)
      << "the mounted filesystem did not grow";
}

INSTANTIATE_TEST_SUITE_P(Filesystems, NodeExpand, ::testing::Values("ext4", "xfs"),
                         [](const auto& info) { return info.param; });

TEST_F(NodeRules, RestoredVolumeHasTheSnapshotData) {
  Spec("a volume created from a snapshot (and a clone) is pre-populated with the source's data",
       "§CreateVolume (volume_content_source: pre-populated with data from this source)");
  if (!caps().Controller(C::CREATE_DELETE_SNAPSHOT)) GTEST_SKIP() << "CREATE_DELETE_SNAPSHOT";
  v1::Volume v = MustCreateVolume(Unique("datasrc"));
  std::string staging = StagingDir(Unique("st"));
  std::string target = TargetPath(Unique("pod"));
  MustPublishToNode(v.volume_id(), MountCap(), staging, target);
  ASSERT_TRUE(WriteFile(target + "/data.bin", "bytes that must survive a snapshot\n"));
  // Flush the filesystem to the device: the CO freezes or unmounts before a snapshot.
  ASSERT_RPC_OK(Unpublish(v.volume_id(), target));
  if (staged_) {
    ASSERT_RPC_OK(Unstage(v.volume_id(), staging));
  }
  v1::Snapshot snap = MustCreateSnapshot(v.volume_id(), Unique("data"));
  auto req = CreateRequest(Unique("restored"), kVolumeBytes, MountCap());
  req.mutable_volume_content_source()->mutable_snapshot()->set_snapshot_id(snap.snapshot_id());
  v1::CreateVolumeResponse restored;
  ASSERT_RPC_OK(RPC(controller(), CreateVolume, req, &restored));
  TrackVolume(restored.volume().volume_id());
  std::vector<std::string> copies = {restored.volume().volume_id()};
  if (caps().Controller(C::CLONE_VOLUME)) {
    auto clone = CreateRequest(Unique("clone"), kVolumeBytes, MountCap());
    clone.mutable_volume_content_source()->mutable_volume()->set_volume_id(v.volume_id());
    v1::CreateVolumeResponse cloned;
    ASSERT_RPC_OK(RPC(controller(), CreateVolume, clone, &cloned));
    TrackVolume(cloned.volume().volume_id());
    copies.push_back(cloned.volume().volume_id());
  }
  for (const auto& id : copies) {
    std::string st = StagingDir(Unique("st"));
    std::string tg = TargetPath(Unique("pod"));
    MustPublishToNode(id, MountCap(), st, tg);
    EXPECT_EQ(ReadFile(tg + "/data.bin"), "bytes that must survive a snapshot\n") << id;
    EXPECT_RPC_OK(Unpublish(id, tg));
    if (staged_) {
      EXPECT_RPC_OK(Unstage(id, st));
    }
    if (caps().Controller(C::PUBLISH_UNPUBLISH_VOLUME)) {
      v1::ControllerUnpublishVolumeRequest cu;
      cu.set_volume_id(id);
      cu.set_node_id(NodeId());
      v1::ControllerUnpublishVolumeResponse cr;
      EXPECT_RPC_OK(RPC(controller(), ControllerUnpublishVolume, cu, &cr));
    }
  }
}

TEST_F(NodeRules, PathRules) {
  Spec(
      "paths: a relative staging/target path -> INVALID_ARGUMENT (MUST be absolute); paths "
      "outside the allowed prefix or escaping it with '..' -> INVALID_ARGUMENT (plugin safety "
      "rule); a 200-byte path is accepted (SP MUST accept at least 128 bytes)",
      "§NodeStageVolume/§NodePublishVolume (staging_target_path, target_path), §Error Scheme");
  v1::Volume v = MustCreateVolume(Unique("paths"));
  auto context = ControllerPublish(v.volume_id(), MountCap());
  v1::NodeStageVolumeResponse sr;
  v1::NodePublishVolumeResponse pr;
  std::string outside = stack().dir() + "/not-kubelet/globalmount";
  fs::create_directories(outside);
  std::string traversal = stack().kubelet_dir() + "/../not-kubelet/globalmount";
  if (staged_) {
    for (const std::string& bad : {std::string("relative/globalmount"), outside, traversal}) {
      grpc::Status s =
          RPC(node(), NodeStageVolume, StageRequest(v.volume_id(), bad, MountCap(), context), &sr);
      if (s.ok()) TrackStage(v.volume_id(), bad);
      EXPECT_CODE(s, StatusCode::INVALID_ARGUMENT) << bad;
    }
  }
  std::string staging = StagingDir(Unique("st"));
  if (staged_) {
    ASSERT_RPC_OK(RPC(node(), NodeStageVolume,
                      StageRequest(v.volume_id(), staging, MountCap(), context), &sr));
    TrackStage(v.volume_id(), staging);
  }
  for (const std::string& bad :
       {std::string("relative/mount"), stack().dir() + "/not-kubelet/mount",
        stack().kubelet_dir() + "/../not-kubelet/mount"}) {
    grpc::Status s = RPC(node(), NodePublishVolume,
                         PublishRequest(v.volume_id(), staging, bad, MountCap(), context), &pr);
    if (s.ok()) TrackNodePublish(v.volume_id(), bad);
    EXPECT_CODE(s, StatusCode::INVALID_ARGUMENT) << bad;
  }
  std::string long_tag(150, 'p');
  std::string long_target = TargetPath(long_tag);
  ASSERT_GE(long_target.size(), 200u) << long_target;
  grpc::Status s =
      RPC(node(), NodePublishVolume,
          PublishRequest(v.volume_id(), staging, long_target, MountCap(), context), &pr);
  if (s.ok()) TrackNodePublish(v.volume_id(), long_target);
  EXPECT_RPC_OK(s) << long_target.size() << "-byte path";
}

}  // namespace
}  // namespace lcsi::conformance
