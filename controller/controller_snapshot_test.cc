// Snapshots, restores, clones and group snapshots of Controller against linstor-sim in process.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "controller/controller_sim_fixture.h"

namespace lcsi::controller::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;

class SnapshotSimTest : public ControllerSimTest {
 protected:
  csi::v1::Snapshot Snap(const std::string& name, const std::string& volume) {
    csi::v1::CreateSnapshotResponse resp;
    Status s = controller_->CreateSnapshot(SnapshotReq(name, volume), &resp);
    EXPECT_TRUE(s.ok()) << s.ToString();
    return resp.snapshot();
  }
  Status DeleteSnap(const std::string& id) {
    csi::v1::DeleteSnapshotRequest req;
    req.set_snapshot_id(id);
    return controller_->DeleteSnapshot(req);
  }
  Status DeleteVol(const std::string& id) {
    csi::v1::DeleteVolumeRequest req;
    req.set_volume_id(id);
    return controller_->DeleteVolume(req);
  }
  csi::v1::CreateVolumeRequest FromSnapshot(const std::string& name, const std::string& snap_id,
                                            int64_t bytes = 0) {
    auto req = CreateReq(name, bytes);
    req.mutable_volume_content_source()->mutable_snapshot()->set_snapshot_id(snap_id);
    return req;
  }
  csi::v1::CreateVolumeRequest FromVolume(const std::string& name, const std::string& vol,
                                          int64_t bytes = 0) {
    auto req = CreateReq(name, bytes);
    req.mutable_volume_content_source()->mutable_volume()->set_volume_id(vol);
    return req;
  }
};

TEST_F(SnapshotSimTest, CreateSnapshotIsIdempotentAndNamesAreGlobal) {
  Create(CreateReq("pvc-1", 4 * kMiB));
  Create(CreateReq("pvc-2", 4 * kMiB));
  auto s = Snap("snapshot-a", "pvc-1");
  EXPECT_EQ(s.snapshot_id(), "pvc-1/snapshot-a");
  EXPECT_EQ(s.source_volume_id(), "pvc-1");
  EXPECT_EQ(s.size_bytes(), 4 * kMiB);
  EXPECT_TRUE(s.ready_to_use());
  EXPECT_GT(s.creation_time().seconds(), 0);
  auto again = Snap("snapshot-a", "pvc-1");
  EXPECT_EQ(again.snapshot_id(), s.snapshot_id());
  EXPECT_EQ(again.creation_time().seconds(), s.creation_time().seconds());

  csi::v1::CreateSnapshotResponse resp;
  EXPECT_EQ(controller_->CreateSnapshot(SnapshotReq("snapshot-a", "pvc-2"), &resp).code(),
            Code::kAlreadyExists);
  EXPECT_EQ(controller_->CreateSnapshot(SnapshotReq("s", "pvc-none"), &resp).code(),
            Code::kNotFound);
  EXPECT_EQ(controller_->CreateSnapshot(SnapshotReq("", "pvc-1"), &resp).code(),
            Code::kInvalidArgument);
  EXPECT_EQ(controller_->CreateSnapshot(SnapshotReq("s", ""), &resp).code(),
            Code::kInvalidArgument);
  auto with_param = SnapshotReq("s2", "pvc-1");
  (*with_param.mutable_parameters())["linstor-cpp.csi.io/nope"] = "1";
  EXPECT_EQ(controller_->CreateSnapshot(with_param, &resp).code(), Code::kInvalidArgument);
}

TEST_F(SnapshotSimTest, NotReadyUntilLinstorSaysSuccessful) {
  Create(CreateReq("pvc-1", kMiB));
  auto s = Snap("snap-1", "pvc-1");
  ASSERT_TRUE(admin().SetSnapshotSuccessful("pvc-1", "snap-1", false).ok());
  csi::v1::GetSnapshotRequest get;
  get.set_snapshot_id(s.snapshot_id());
  csi::v1::GetSnapshotResponse got;
  ASSERT_TRUE(controller_->GetSnapshot(get, &got).ok());
  EXPECT_FALSE(got.snapshot().ready_to_use());
  EXPECT_EQ(CreateStatus(FromSnapshot("pvc-r", s.snapshot_id())).code(), Code::kUnavailable);
  ASSERT_TRUE(admin().SetSnapshotSuccessful("pvc-1", "snap-1", true).ok());
  ASSERT_TRUE(controller_->GetSnapshot(get, &got).ok());
  EXPECT_TRUE(got.snapshot().ready_to_use());
}

TEST_F(SnapshotSimTest, GarbageSnapshotIdsFollowTheSpec) {
  for (const std::string id : {"garbage", "pvc-1/nosnap", "a/b/c", "group:x"}) {
    EXPECT_TRUE(DeleteSnap(id).ok()) << id;
    csi::v1::GetSnapshotRequest get;
    get.set_snapshot_id(id);
    csi::v1::GetSnapshotResponse got;
    EXPECT_EQ(controller_->GetSnapshot(get, &got).code(), Code::kNotFound) << id;
    csi::v1::ListSnapshotsRequest list;
    list.set_snapshot_id(id);
    csi::v1::ListSnapshotsResponse listed;
    ASSERT_TRUE(controller_->ListSnapshots(list, &listed).ok()) << id;
    EXPECT_EQ(listed.entries_size(), 0) << id;
    EXPECT_EQ(CreateStatus(FromSnapshot("pvc-x", id)).code(), Code::kNotFound) << id;
  }
  EXPECT_EQ(DeleteSnap("").code(), Code::kInvalidArgument);
}

TEST_F(SnapshotSimTest, ListSnapshotsFiltersAndPaginates) {
  Create(CreateReq("pvc-1", kMiB));
  Create(CreateReq("pvc-2", kMiB));
  Snap("s1", "pvc-1");
  Snap("s2", "pvc-1");
  Snap("s3", "pvc-2");
  csi::v1::ListSnapshotsRequest req;
  csi::v1::ListSnapshotsResponse resp;
  req.set_max_entries(2);
  ASSERT_TRUE(controller_->ListSnapshots(req, &resp).ok());
  ASSERT_EQ(resp.entries_size(), 2);
  EXPECT_EQ(resp.entries(0).snapshot().snapshot_id(), "pvc-1/s1");
  ASSERT_FALSE(resp.next_token().empty());
  req.set_starting_token(resp.next_token());
  resp.Clear();
  ASSERT_TRUE(controller_->ListSnapshots(req, &resp).ok());
  ASSERT_EQ(resp.entries_size(), 1);
  EXPECT_EQ(resp.entries(0).snapshot().snapshot_id(), "pvc-2/s3");
  EXPECT_TRUE(resp.next_token().empty());

  csi::v1::ListSnapshotsRequest by_source;
  by_source.set_source_volume_id("pvc-1");
  resp.Clear();
  ASSERT_TRUE(controller_->ListSnapshots(by_source, &resp).ok());
  EXPECT_EQ(resp.entries_size(), 2);
  by_source.set_source_volume_id("pvc-none");
  resp.Clear();
  ASSERT_TRUE(controller_->ListSnapshots(by_source, &resp).ok());
  EXPECT_EQ(resp.entries_size(), 0);
  csi::v1::ListSnapshotsRequest bad;
  bad.set_starting_token("nope");
  EXPECT_EQ(controller_->ListSnapshots(bad, &resp).code(), Code::kAborted);
}

TEST_F(SnapshotSimTest, DeletedVolumeLivesOnForItsSnapshots) {
  Create(CreateReq("pvc-1", kMiB, {{"placementCount", "2"}}));
  auto s1 = Snap("s1", "pvc-1");
  auto s2 = Snap("s2", "pvc-1");
  ASSERT_TRUE(DeleteVol("pvc-1").ok());
  EXPECT_TRUE(RdExists("pvc-1"));
  EXPECT_EQ(RdProps("pvc-1")["Aux/csi-deleted"], "true");
  EXPECT_TRUE(Resources("pvc-1").empty()) << "replicas are freed";
  csi::v1::ListVolumesResponse list;
  ASSERT_TRUE(controller_->ListVolumes({}, &list).ok());
  EXPECT_EQ(list.entries_size(), 0);
  ASSERT_TRUE(DeleteVol("pvc-1").ok());  // idempotent
  // The snapshot still restores.
  auto restored = Create(FromSnapshot("pvc-r", s1.snapshot_id()));
  EXPECT_EQ(restored.capacity_bytes(), kMiB);
  // A new volume with the same name cannot reuse the hidden RD.
  EXPECT_EQ(CreateStatus(CreateReq("pvc-1", kMiB, {{"placementCount", "2"}})).code(),
            Code::kAlreadyExists);
  ASSERT_TRUE(DeleteSnap(s1.snapshot_id()).ok());
  EXPECT_TRUE(RdExists("pvc-1"));
  ASSERT_TRUE(DeleteSnap(s2.snapshot_id()).ok());
  EXPECT_FALSE(RdExists("pvc-1")) << "the RD goes with its last snapshot";
  ASSERT_TRUE(DeleteSnap(s2.snapshot_id()).ok());
}

TEST_F(SnapshotSimTest, RestoreFromAnySnapshotLargerAndWithReplicas) {
  Create(CreateReq("pvc-1", 8 * kMiB, {{"placementCount", "2"}}));
  auto old_snap = Snap("s-old", "pvc-1");
  Snap("s-new", "pvc-1");
  auto req = FromSnapshot("pvc-r", old_snap.snapshot_id(), 16 * kMiB);
  (*req.mutable_parameters())["placementCount"] = "3";
  auto v = Create(req);
  EXPECT_EQ(v.capacity_bytes(), 16 * kMiB);
  EXPECT_EQ(v.content_source().snapshot().snapshot_id(), old_snap.snapshot_id());
  EXPECT_EQ(DiskfulNodes("pvc-r").size(), 3u) << "remaining replicas placed";
  EXPECT_EQ(RdProps("pvc-r").count("Aux/csi-incomplete"), 0u);
  EXPECT_EQ(Calls(calls::kRollback), 0);
  auto again = Create(req);
  EXPECT_EQ(again.volume_id(), "pvc-r");
  // Too small for the snapshot / different source: errors of the spec.
  auto small = FromSnapshot("pvc-small", old_snap.snapshot_id());
  small.mutable_capacity_range()->set_limit_bytes(4 * kMiB);
  EXPECT_EQ(CreateStatus(small).code(), Code::kOutOfRange);
  EXPECT_FALSE(RdExists("pvc-small"));
  auto other_source = FromVolume("pvc-r", "pvc-1", 16 * kMiB);
  (*other_source.mutable_parameters())["placementCount"] = "3";
  EXPECT_EQ(CreateStatus(other_source).code(), Code::kAlreadyExists);
}

TEST_F(SnapshotSimTest, FailedRestoreLeavesNothingAndRetryConverges) {
  Create(CreateReq("pvc-1", kMiB));
  auto s = Snap("s1", "pvc-1");
  Fault(R"({"path_regex":"/snapshot-restore-resource/","method":"POST","error_rate":1,
             "http_status":500,"count":1})");
  Status failed = CreateStatus(FromSnapshot("pvc-r", s.snapshot_id()));
  EXPECT_EQ(failed.code(), Code::kInternal);
  EXPECT_THAT(failed.message(), HasSubstr("Injected fault")) << "LINSTOR's message is passed on";
  EXPECT_FALSE(RdExists("pvc-r"));
  auto v = Create(FromSnapshot("pvc-r", s.snapshot_id()));
  EXPECT_EQ(DiskfulNodes("pvc-r").size(), 1u);

  // An incomplete leftover (e.g. a crash mid-way) is removed and redone by the retry.
  Fault(R"({"path_regex":"/snapshot-restore-resource/","method":"POST","drop_rate":1,"count":1})");
  Fault(R"({"path_regex":"^/v1/resource-definitions/[^/]+$","method":"DELETE","drop_rate":1,
             "count":1})");
  EXPECT_EQ(CreateStatus(FromSnapshot("pvc-r2", s.snapshot_id())).code(), Code::kUnavailable);
  EXPECT_EQ(RdProps("pvc-r2")["Aux/csi-incomplete"], "pvc-r2");
  Create(FromSnapshot("pvc-r2", s.snapshot_id()));
  EXPECT_EQ(RdProps("pvc-r2").count("Aux/csi-incomplete"), 0u);
  EXPECT_EQ(DiskfulNodes("pvc-r2").size(), 1u);
}

TEST_F(SnapshotSimTest, CloneUsesLinstorCloneAndFallsBackToASnapshot) {
  Create(CreateReq("pvc-src", 4 * kMiB, {{"placementCount", "2"}}));
  csi::v1::ControllerPublishVolumeResponse pub;
  ASSERT_TRUE(controller_->ControllerPublishVolume(PublishReq("pvc-src", "delta"), &pub).ok());
  auto clone = Create(FromVolume("pvc-clone", "pvc-src", 8 * kMiB));
  EXPECT_EQ(Calls(calls::kClone), 1);
  EXPECT_EQ(clone.capacity_bytes(), 8 * kMiB);
  auto props = RdProps("pvc-clone");
  EXPECT_EQ(props["Aux/csi-name"], "pvc-clone");
  EXPECT_EQ(props["Aux/csi-source"], "volume:pvc-src");
  EXPECT_EQ(props.count("Aux/csi-published/delta"), 0u) << "source's publications not copied";
  EXPECT_EQ(props.count("Aux/csi-incomplete"), 0u);

  // An older LINSTOR refuses the clone API: the fallback takes a snapshot.
  Fault(R"({"path_regex":"/clone$","method":"POST","error_rate":1,"http_status":400,"count":1})");
  auto fallback = Create(FromVolume("pvc-clone2", "pvc-src"));
  EXPECT_EQ(fallback.capacity_bytes(), 4 * kMiB);
  EXPECT_EQ(DiskfulNodes("pvc-clone2").size(), 1u) << "the target class wants one replica";
  auto snaps = client().ListSnapshots("pvc-src");
  ASSERT_TRUE(snaps.ok());
  EXPECT_TRUE(snaps->empty()) << "the temporary snapshot is removed";

  EXPECT_EQ(CreateStatus(FromVolume("pvc-clone3", "pvc-none")).code(), Code::kNotFound);
}

TEST_F(SnapshotSimTest, SlowCloneIsAbortedThenPickedUp) {
  Create(CreateReq("pvc-src", kMiB));
  // The clone answers CLONING to its first status poll; the controller waits for no poll.
  ASSERT_TRUE(admin().SetClonePolls(1).ok());
  ControllerOptions impatient = TestControllerOptions();
  impatient.clone_timeout = std::chrono::milliseconds(0);
  MakeController(impatient);
  EXPECT_EQ(CreateStatus(FromVolume("pvc-slow", "pvc-src")).code(), Code::kAborted);
  EXPECT_EQ(RdProps("pvc-slow")["Aux/csi-incomplete"], "pvc-slow");
  auto v = Create(FromVolume("pvc-slow", "pvc-src"));
  EXPECT_EQ(v.volume_id(), "pvc-slow");
  EXPECT_EQ(RdProps("pvc-slow").count("Aux/csi-incomplete"), 0u);
  EXPECT_EQ(Calls(calls::kDeleteRd), 0)
      << "the running clone is picked up, not removed and started again";
}

TEST_F(SnapshotSimTest, CloneWaitPollsOnTheClockUntilCloneTimeout) {
  Create(CreateReq("pvc-src", kMiB));
  // CLONING for 80 status polls; the controller polls every 1 ms for 50 ms (fake time).
  ASSERT_TRUE(admin().SetClonePolls(80).ok());
  EXPECT_EQ(CreateStatus(FromVolume("pvc-slow", "pvc-src")).code(), Code::kAborted);
  EXPECT_EQ(clock_.slept(), std::chrono::milliseconds(50)) << "waited the clone_timeout";
  EXPECT_EQ(clock_.sleeps().size(), 50u) << "one poll_interval between polls";
  auto v = Create(FromVolume("pvc-slow", "pvc-src"));
  EXPECT_EQ(v.volume_id(), "pvc-slow");
  EXPECT_EQ(RdProps("pvc-slow").count("Aux/csi-incomplete"), 0u);
}

TEST_F(SnapshotSimTest, GroupSnapshotsAreAtomicAndIdempotent) {
  Create(CreateReq("pvc-a", kMiB));
  Create(CreateReq("pvc-b", 2 * kMiB));
  Create(CreateReq("pvc-c", kMiB));
  csi::v1::CreateVolumeGroupSnapshotRequest req;
  req.set_name("group-1");
  req.add_source_volume_ids("pvc-a");
  req.add_source_volume_ids("pvc-b");
  csi::v1::CreateVolumeGroupSnapshotResponse resp;
  ASSERT_TRUE(controller_->CreateVolumeGroupSnapshot(req, &resp).ok());
  EXPECT_EQ(Calls(calls::kMultiSnapshot), 1);
  const auto& g = resp.group_snapshot();
  EXPECT_EQ(g.group_snapshot_id(), "group:group-1");
  EXPECT_TRUE(g.ready_to_use());
  ASSERT_EQ(g.snapshots_size(), 2);
  EXPECT_EQ(g.snapshots(0).snapshot_id(), "pvc-a/group-1");
  EXPECT_EQ(g.snapshots(0).group_snapshot_id(), "group:group-1");
  EXPECT_EQ(g.snapshots(1).size_bytes(), 2 * kMiB);

  csi::v1::CreateVolumeGroupSnapshotResponse again;
  ASSERT_TRUE(controller_->CreateVolumeGroupSnapshot(req, &again).ok());
  EXPECT_EQ(again.group_snapshot().snapshots_size(), 2);
  EXPECT_EQ(Calls(calls::kMultiSnapshot), 1);
  req.add_source_volume_ids("pvc-c");
  EXPECT_EQ(controller_->CreateVolumeGroupSnapshot(req, &again).code(), Code::kAlreadyExists);
  csi::v1::CreateVolumeGroupSnapshotRequest missing;
  missing.set_name("group-2");
  missing.add_source_volume_ids("pvc-a");
  missing.add_source_volume_ids("pvc-none");
  EXPECT_EQ(controller_->CreateVolumeGroupSnapshot(missing, &again).code(), Code::kNotFound);
  EXPECT_TRUE(client().ListSnapshots("pvc-a")->size() == 1) << "nothing taken for a failed group";

  // A member restores like any snapshot.
  Create(FromSnapshot("pvc-from-group", g.snapshots(1).snapshot_id()));

  csi::v1::GetVolumeGroupSnapshotRequest get;
  get.set_group_snapshot_id("group:group-1");
  csi::v1::GetVolumeGroupSnapshotResponse got;
  ASSERT_TRUE(controller_->GetVolumeGroupSnapshot(get, &got).ok())
      << "the group is found by its id; snapshot_ids is ignored when absent";
  EXPECT_EQ(got.group_snapshot().snapshots_size(), 2);
  got.Clear();
  get.add_snapshot_ids("pvc-a/group-1");
  EXPECT_EQ(controller_->GetVolumeGroupSnapshot(get, &got).code(), Code::kInvalidArgument)
      << "a list that misses a member is a mismatch";
  get.add_snapshot_ids("pvc-b/group-1");
  ASSERT_TRUE(controller_->GetVolumeGroupSnapshot(get, &got).ok());
  EXPECT_EQ(got.group_snapshot().snapshots_size(), 2);

  // A member goes only with its group.
  csi::v1::DeleteSnapshotRequest member;
  member.set_snapshot_id("pvc-a/group-1");
  Status refused = controller_->DeleteSnapshot(member);
  EXPECT_EQ(refused.code(), Code::kInvalidArgument);
  EXPECT_NE(refused.message().find("group"), std::string::npos) << refused.message();
  EXPECT_EQ(client().ListSnapshots("pvc-a")->size(), 1u);
  get.set_group_snapshot_id("group:nope");
  EXPECT_EQ(controller_->GetVolumeGroupSnapshot(get, &got).code(), Code::kNotFound);
  get.set_group_snapshot_id("garbage");
  EXPECT_EQ(controller_->GetVolumeGroupSnapshot(get, &got).code(), Code::kNotFound);

  csi::v1::DeleteVolumeGroupSnapshotRequest del;
  del.set_group_snapshot_id("group:group-1");
  del.add_snapshot_ids("pvc-a/group-1");
  EXPECT_EQ(controller_->DeleteVolumeGroupSnapshot(del).code(), Code::kInvalidArgument);
  del.add_snapshot_ids("pvc-b/group-1");
  ASSERT_TRUE(controller_->DeleteVolumeGroupSnapshot(del).ok());
  EXPECT_TRUE(client().ListSnapshots("pvc-a")->empty());
  ASSERT_TRUE(controller_->DeleteVolumeGroupSnapshot(del).ok());
  del.set_group_snapshot_id("garbage");
  ASSERT_TRUE(controller_->DeleteVolumeGroupSnapshot(del).ok());
  del.clear_snapshot_ids();
  ASSERT_TRUE(controller_->DeleteVolumeGroupSnapshot(del).ok()) << "unknown, without snapshot_ids";
  get.clear_snapshot_ids();
  EXPECT_EQ(controller_->GetVolumeGroupSnapshot(get, &got).code(), Code::kNotFound)
      << "unknown, without snapshot_ids";
}

TEST_F(SnapshotSimTest, ForeignSnapshotsAreNeverDeleted) {
  Create(CreateReq("pvc-1", kMiB));
  linstor::SnapshotCreate theirs;
  theirs.resource_name = "pvc-1";
  theirs.name = "admin-backup";
  ASSERT_TRUE(client().CreateSnapshot(theirs).ok());
  EXPECT_EQ(DeleteSnap("pvc-1/admin-backup").code(), Code::kFailedPrecondition);
  EXPECT_TRUE(client().GetSnapshot("pvc-1", "admin-backup").ok());
  csi::v1::ListSnapshotsResponse list;
  ASSERT_TRUE(controller_->ListSnapshots({}, &list).ok());
  EXPECT_EQ(list.entries_size(), 0);
  EXPECT_EQ(CreateStatus(FromSnapshot("pvc-r", "pvc-1/admin-backup")).code(), Code::kNotFound);
}

}  // namespace
}  // namespace lcsi::controller::testing
