// CreateSnapshot, DeleteSnapshot, ListSnapshots, GetSnapshot (spec §Controller Service RPC) and
// the GroupController's volume group snapshots (§Group Controller Service RPCs).
#include <algorithm>
#include <set>
#include <thread>

#include "test/conformance/conformance.h"

namespace lcsi::conformance {
namespace {

using grpc::StatusCode;
using C = v1::ControllerServiceCapability::RPC;

class Snapshots : public ConformanceTest {
 protected:
  void SetUp() override {
    ConformanceTest::SetUp();
    if (!caps().Controller(C::CREATE_DELETE_SNAPSHOT)) GTEST_SKIP() << "CREATE_DELETE_SNAPSHOT";
  }
  v1::CreateSnapshotRequest SnapRequest(const std::string& source, const std::string& name) {
    v1::CreateSnapshotRequest req;
    req.set_source_volume_id(source);
    req.set_name(name);
    return req;
  }
  std::vector<v1::Snapshot> ListAll(v1::ListSnapshotsRequest req) {
    std::vector<v1::Snapshot> out;
    for (int pages = 0; pages < 1000; ++pages) {
      v1::ListSnapshotsResponse r;
      EXPECT_RPC_OK(RPC(controller(), ListSnapshots, req, &r));
      if (req.max_entries() > 0) {
        EXPECT_LE(r.entries_size(), req.max_entries());
      }
      for (const auto& e : r.entries()) out.push_back(e.snapshot());
      if (r.next_token().empty()) break;
      req.set_starting_token(r.next_token());
    }
    return out;
  }
};

TEST_F(Snapshots, CreateRequiredFieldsMissing) {
  Spec("CreateSnapshot: name or source_volume_id missing -> INVALID_ARGUMENT",
       "§CreateSnapshot (REQUIRED fields), §Error Scheme");
  v1::Volume v = MustCreateVolume(Unique("snapreq"));
  v1::CreateSnapshotResponse r;
  EXPECT_CODE(RPC(controller(), CreateSnapshot, SnapRequest(v.volume_id(), ""), &r),
              StatusCode::INVALID_ARGUMENT);
  EXPECT_CODE(RPC(controller(), CreateSnapshot, SnapRequest("", Unique("s")), &r),
              StatusCode::INVALID_ARGUMENT);
}

TEST_F(Snapshots, CreateFromUnknownVolumeFails) {
  Spec("CreateSnapshot: source volume does not exist -> fails (NOT_FOUND)",
       "§CreateSnapshot (MUST return a non-ok code when it cannot complete)");
  v1::CreateSnapshotResponse r;
  grpc::Status s =
      RPC(controller(), CreateSnapshot, SnapRequest("pvc-unknown-snapsrc", Unique("s")), &r);
  if (s.ok()) TrackSnapshot(r.snapshot().snapshot_id());
  EXPECT_CODE(s, StatusCode::NOT_FOUND);
}

TEST_F(Snapshots, CreateReturnsCompleteSnapshotAndIsIdempotent) {
  Spec(
      "CreateSnapshot: response has snapshot_id, source_volume_id, creation_time, size_bytes "
      ">= 0, ready_to_use becomes true; the same name and source again -> OK, same snapshot",
      "§CreateSnapshot (MUST be idempotent), §Snapshot, §The ready_to_use Parameter");
  v1::Volume v = MustCreateVolume(Unique("snapok"));
  std::string name = Unique("snap");
  v1::Snapshot snap = MustCreateSnapshot(v.volume_id(), name);
  EXPECT_FALSE(snap.snapshot_id().empty());
  EXPECT_EQ(snap.source_volume_id(), v.volume_id());
  EXPECT_TRUE(snap.has_creation_time());
  EXPECT_GT(snap.creation_time().seconds(), 0);
  EXPECT_GE(snap.size_bytes(), 0);
  EXPECT_TRUE(snap.ready_to_use());
  EXPECT_TRUE(snap.group_snapshot_id().empty());
  v1::CreateSnapshotResponse again;
  ASSERT_RPC_OK(RPC(controller(), CreateSnapshot, SnapRequest(v.volume_id(), name), &again));
  EXPECT_EQ(again.snapshot().snapshot_id(), snap.snapshot_id());
  EXPECT_EQ(again.snapshot().creation_time().seconds(), snap.creation_time().seconds());
}

TEST_F(Snapshots, SameNameOtherSourceIsAlreadyExists) {
  Spec("CreateSnapshot: existing name with a different source volume -> ALREADY_EXISTS",
       "§CreateSnapshot Errors (Snapshot already exists but is incompatible)");
  v1::Volume a = MustCreateVolume(Unique("snapa"));
  v1::Volume b = MustCreateVolume(Unique("snapb"));
  std::string name = Unique("shared");
  MustCreateSnapshot(a.volume_id(), name);
  v1::CreateSnapshotResponse r;
  grpc::Status s = RPC(controller(), CreateSnapshot, SnapRequest(b.volume_id(), name), &r);
  if (s.ok() && r.snapshot().source_volume_id() == b.volume_id()) {
    TrackSnapshot(r.snapshot().snapshot_id());
  }
  EXPECT_CODE(s, StatusCode::ALREADY_EXISTS);
}

TEST_F(Snapshots, DeleteRules) {
  Spec(
      "DeleteSnapshot: snapshot_id missing -> INVALID_ARGUMENT; unknown -> OK; twice -> OK; "
      "gone from ListSnapshots afterwards",
      "§DeleteSnapshot (MUST be idempotent; does not exist -> MUST reply OK)");
  v1::DeleteSnapshotResponse r;
  EXPECT_CODE(RPC(controller(), DeleteSnapshot, v1::DeleteSnapshotRequest(), &r),
              StatusCode::INVALID_ARGUMENT);
  v1::DeleteSnapshotRequest unknown;
  unknown.set_snapshot_id("pvc-nope/snapshot-nope");
  EXPECT_RPC_OK(RPC(controller(), DeleteSnapshot, unknown, &r));
  unknown.set_snapshot_id("not even an id");
  EXPECT_RPC_OK(RPC(controller(), DeleteSnapshot, unknown, &r));
  v1::Volume v = MustCreateVolume(Unique("snapdel"));
  v1::Snapshot snap = MustCreateSnapshot(v.volume_id(), Unique("gone"));
  v1::DeleteSnapshotRequest req;
  req.set_snapshot_id(snap.snapshot_id());
  EXPECT_RPC_OK(RPC(controller(), DeleteSnapshot, req, &r));
  EXPECT_RPC_OK(RPC(controller(), DeleteSnapshot, req, &r));
  if (caps().Controller(C::LIST_SNAPSHOTS)) {
    v1::ListSnapshotsRequest ls;
    ls.set_snapshot_id(snap.snapshot_id());
    EXPECT_TRUE(ListAll(ls).empty());
  }
}

TEST_F(Snapshots, ListFiltersAndPagination) {
  Spec(
      "ListSnapshots: filter by snapshot_id (one entry; unknown -> empty, OK), by "
      "source_volume_id (only its snapshots; unknown -> empty), max_entries bounds pages and "
      "tokens reach every snapshot once",
      "§ListSnapshots");
  if (!caps().Controller(C::LIST_SNAPSHOTS)) GTEST_SKIP() << "LIST_SNAPSHOTS";
  v1::Volume a = MustCreateVolume(Unique("lsa"));
  v1::Volume b = MustCreateVolume(Unique("lsb"));
  std::set<std::string> of_a;
  for (int i = 0; i < 3; ++i)
    of_a.insert(MustCreateSnapshot(a.volume_id(), Unique("s")).snapshot_id());
  v1::Snapshot of_b = MustCreateSnapshot(b.volume_id(), Unique("s"));

  v1::ListSnapshotsRequest by_id;
  by_id.set_snapshot_id(of_b.snapshot_id());
  auto one = ListAll(by_id);
  ASSERT_EQ(one.size(), 1u);
  EXPECT_EQ(one[0].snapshot_id(), of_b.snapshot_id());
  EXPECT_EQ(one[0].source_volume_id(), b.volume_id());
  by_id.set_snapshot_id("pvc-nope/snapshot-nope");
  EXPECT_TRUE(ListAll(by_id).empty());

  v1::ListSnapshotsRequest by_source;
  by_source.set_source_volume_id(a.volume_id());
  by_source.set_max_entries(2);
  std::multiset<std::string> seen;
  for (const auto& s : ListAll(by_source)) {
    EXPECT_EQ(s.source_volume_id(), a.volume_id());
    seen.insert(s.snapshot_id());
  }
  for (const auto& id : of_a) EXPECT_EQ(seen.count(id), 1u) << id;
  EXPECT_EQ(seen.size(), of_a.size());
  by_source.set_source_volume_id("pvc-unknown-source");
  EXPECT_TRUE(ListAll(by_source).empty());

  v1::ListSnapshotsRequest everything;
  everything.set_max_entries(1);
  std::multiset<std::string> all;
  for (const auto& s : ListAll(everything)) all.insert(s.snapshot_id());
  for (const auto& id : of_a) EXPECT_EQ(all.count(id), 1u) << id;
  EXPECT_EQ(all.count(of_b.snapshot_id()), 1u);
}

TEST_F(Snapshots, ListBadTokenIsAborted) {
  Spec("ListSnapshots: invalid starting_token -> ABORTED", "§ListSnapshots Errors");
  if (!caps().Controller(C::LIST_SNAPSHOTS)) GTEST_SKIP() << "LIST_SNAPSHOTS";
  v1::ListSnapshotsRequest req;
  req.set_starting_token("garbage-token-%%%");
  v1::ListSnapshotsResponse r;
  EXPECT_CODE(RPC(controller(), ListSnapshots, req, &r), StatusCode::ABORTED);
}

TEST_F(Snapshots, GetSnapshot) {
  Spec(
      "GetSnapshot: snapshot_id missing -> INVALID_ARGUMENT; unknown -> NOT_FOUND; known -> "
      "the snapshot",
      "§GetSnapshot, §GetSnapshot Errors");
  if (!caps().Controller(C::GET_SNAPSHOT)) GTEST_SKIP() << "GET_SNAPSHOT (gate checked elsewhere)";
  v1::GetSnapshotResponse r;
  EXPECT_CODE(RPC(controller(), GetSnapshot, v1::GetSnapshotRequest(), &r),
              StatusCode::INVALID_ARGUMENT);
  v1::GetSnapshotRequest unknown;
  unknown.set_snapshot_id("pvc-nope/snapshot-nope");
  EXPECT_CODE(RPC(controller(), GetSnapshot, unknown, &r), StatusCode::NOT_FOUND);
  v1::Volume v = MustCreateVolume(Unique("getsnap"));
  v1::Snapshot snap = MustCreateSnapshot(v.volume_id(), Unique("s"));
  v1::GetSnapshotRequest req;
  req.set_snapshot_id(snap.snapshot_id());
  ASSERT_RPC_OK(RPC(controller(), GetSnapshot, req, &r));
  EXPECT_EQ(r.snapshot().snapshot_id(), snap.snapshot_id());
}

TEST_F(Snapshots, UnknownSourceIsNotFoundBeforeOtherVerdicts) {
  Spec(
      "CreateSnapshot: an unknown source_volume_id -> NOT_FOUND even with an unsupported "
      "parameter or a name another volume's snapshot has (existence before INVALID_ARGUMENT and "
      "ALREADY_EXISTS)",
      "§CreateSnapshot Errors (Source volume does not exist; Snapshot already exists)");
  v1::Volume v = MustCreateVolume(Unique("snapord"));
  const std::string taken_name = Unique("s");
  v1::Snapshot taken = MustCreateSnapshot(v.volume_id(), taken_name);
  ASSERT_FALSE(taken.snapshot_id().empty());
  v1::CreateSnapshotResponse r;
  auto bad_param = SnapRequest("pvc-unknown-snapsrc", Unique("s"));
  (*bad_param.mutable_parameters())[stack().options().driver_name + "/noSuchParameter"] = "x";
  grpc::Status s = RPC(controller(), CreateSnapshot, bad_param, &r);
  if (s.ok()) TrackSnapshot(r.snapshot().snapshot_id());
  EXPECT_CODE(s, StatusCode::NOT_FOUND);
  // The name of `taken`: the repeat on its own volume is OK, another (unknown) source is not.
  v1::CreateSnapshotRequest same_name = SnapRequest(v.volume_id(), taken_name);
  ASSERT_RPC_OK(RPC(controller(), CreateSnapshot, same_name, &r)) << "repeat";
  same_name.set_source_volume_id("pvc-unknown-snapsrc");
  s = RPC(controller(), CreateSnapshot, same_name, &r);
  if (s.ok()) TrackSnapshot(r.snapshot().snapshot_id());
  EXPECT_CODE(s, StatusCode::NOT_FOUND);
  // An existing source with an unsupported parameter: INVALID_ARGUMENT, nothing taken.
  auto bad_on_real = SnapRequest(v.volume_id(), Unique("s"));
  (*bad_on_real.mutable_parameters())[stack().options().driver_name + "/noSuchParameter"] = "x";
  s = RPC(controller(), CreateSnapshot, bad_on_real, &r);
  if (s.ok()) TrackSnapshot(r.snapshot().snapshot_id());
  EXPECT_CODE(s, StatusCode::INVALID_ARGUMENT);
}

class GroupSnapshots : public Snapshots {
 protected:
  void SetUp() override {
    Snapshots::SetUp();
    if (IsSkipped()) return;
    if (!caps().Group(
            v1::GroupControllerServiceCapability::RPC::CREATE_DELETE_GET_VOLUME_GROUP_SNAPSHOT)) {
      GTEST_SKIP() << "CREATE_DELETE_GET_VOLUME_GROUP_SNAPSHOT";
    }
  }
  v1::CreateVolumeGroupSnapshotRequest GroupRequest(const std::string& name,
                                                    std::vector<std::string> sources) {
    v1::CreateVolumeGroupSnapshotRequest req;
    req.set_name(name);
    for (const auto& s : sources) req.add_source_volume_ids(s);
    return req;
  }
  v1::VolumeGroupSnapshot MustCreateGroup(const v1::CreateVolumeGroupSnapshotRequest& req) {
    v1::CreateVolumeGroupSnapshotResponse r;
    grpc::Status s = RPC(group(), CreateVolumeGroupSnapshot, req, &r);
    EXPECT_RPC_OK(s);
    for (int i = 0; s.ok() && !r.group_snapshot().ready_to_use() && i < 100; ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
      s = RPC(group(), CreateVolumeGroupSnapshot, req, &r);
    }
    if (s.ok()) {
      std::vector<std::string> members;
      for (const auto& snap : r.group_snapshot().snapshots()) members.push_back(snap.snapshot_id());
      TrackGroupSnapshot(r.group_snapshot().group_snapshot_id(), members);
    }
    return r.group_snapshot();
  }
};

TEST_F(GroupSnapshots, CreateRequiredFieldsMissing) {
  Spec("CreateVolumeGroupSnapshot: name or source_volume_ids missing -> INVALID_ARGUMENT",
       "§CreateVolumeGroupSnapshot (REQUIRED fields), §Error Scheme");
  v1::Volume v = MustCreateVolume(Unique("grpreq"));
  v1::CreateVolumeGroupSnapshotResponse r;
  EXPECT_CODE(RPC(group(), CreateVolumeGroupSnapshot, GroupRequest("", {v.volume_id()}), &r),
              StatusCode::INVALID_ARGUMENT);
  EXPECT_CODE(RPC(group(), CreateVolumeGroupSnapshot, GroupRequest(Unique("g"), {}), &r),
              StatusCode::INVALID_ARGUMENT);
}

TEST_F(GroupSnapshots, CreateGetIdempotentAndConsistent) {
  Spec(
      "CreateVolumeGroupSnapshot: group id, one snapshot per source carrying the group id, "
      "creation_time, ready_to_use = all members ready; again -> same group; "
      "GetVolumeGroupSnapshot returns it; a member restores",
      "§CreateVolumeGroupSnapshot, §VolumeGroupSnapshot, §GetVolumeGroupSnapshot, §Snapshot "
      "(group_snapshot_id)");
  v1::Volume a = MustCreateVolume(Unique("grpa"));
  v1::Volume b = MustCreateVolume(Unique("grpb"));
  auto req = GroupRequest(Unique("group"), {a.volume_id(), b.volume_id()});
  v1::VolumeGroupSnapshot g = MustCreateGroup(req);
  ASSERT_FALSE(g.group_snapshot_id().empty());
  ASSERT_EQ(g.snapshots_size(), 2);
  EXPECT_TRUE(g.has_creation_time());
  bool all_ready = true;
  std::set<std::string> sources;
  for (const auto& s : g.snapshots()) {
    EXPECT_EQ(s.group_snapshot_id(), g.group_snapshot_id())
        << "member group_snapshot_id MUST equal the group's";
    EXPECT_FALSE(s.snapshot_id().empty());
    sources.insert(s.source_volume_id());
    all_ready = all_ready && s.ready_to_use();
  }
  EXPECT_EQ(sources, (std::set<std::string>{a.volume_id(), b.volume_id()}));
  EXPECT_EQ(g.ready_to_use(), all_ready);
  EXPECT_TRUE(g.ready_to_use());

  v1::CreateVolumeGroupSnapshotResponse again;
  ASSERT_RPC_OK(RPC(group(), CreateVolumeGroupSnapshot, req, &again));
  EXPECT_EQ(again.group_snapshot().group_snapshot_id(), g.group_snapshot_id());
  EXPECT_EQ(again.group_snapshot().snapshots_size(), 2);

  v1::GetVolumeGroupSnapshotRequest get;
  get.set_group_snapshot_id(g.group_snapshot_id());
  for (const auto& s : g.snapshots()) get.add_snapshot_ids(s.snapshot_id());
  v1::GetVolumeGroupSnapshotResponse got;
  ASSERT_RPC_OK(RPC(group(), GetVolumeGroupSnapshot, get, &got));
  EXPECT_EQ(got.group_snapshot().group_snapshot_id(), g.group_snapshot_id());
  EXPECT_EQ(got.group_snapshot().snapshots_size(), 2);

  auto restore = CreateRequest(Unique("fromgroup"), kVolumeBytes, MountCap());
  restore.mutable_volume_content_source()->mutable_snapshot()->set_snapshot_id(
      g.snapshots(0).snapshot_id());
  v1::CreateVolumeResponse restored;
  ASSERT_RPC_OK(RPC(controller(), CreateVolume, restore, &restored))
      << "any member of a group snapshot MAY be used as a source";
  TrackVolume(restored.volume().volume_id());
}

TEST_F(GroupSnapshots, UnknownSourceIsNotFoundBeforeOtherVerdicts) {
  Spec(
      "CreateVolumeGroupSnapshot: a source_volume_id that does not exist -> NOT_FOUND even with "
      "an unsupported parameter or an existing group's name; nothing is taken",
      "§CreateVolumeGroupSnapshot Errors (Source volume does not exist; Group snapshot already "
      "exists)");
  v1::Volume a = MustCreateVolume(Unique("grpo"));
  auto bad = GroupRequest(Unique("g"), {a.volume_id(), "pvc-unknown-member"});
  (*bad.mutable_parameters())[stack().options().driver_name + "/noSuchParameter"] = "x";
  v1::CreateVolumeGroupSnapshotResponse r;
  grpc::Status s = RPC(group(), CreateVolumeGroupSnapshot, bad, &r);
  EXPECT_CODE(s, StatusCode::NOT_FOUND);
  const std::string name = Unique("g");
  MustCreateGroup(GroupRequest(name, {a.volume_id()}));
  s = RPC(group(), CreateVolumeGroupSnapshot, GroupRequest(name, {a.volume_id(), "pvc-unknown-m"}),
          &r);
  EXPECT_CODE(s, StatusCode::NOT_FOUND);
  auto snaps = stack().sim().AllSnapshots();
  ASSERT_TRUE(snaps.ok());
  for (const auto& id : *snaps) EXPECT_EQ(id.rfind("pvc-unknown", 0), std::string::npos) << id;
}

TEST_F(GroupSnapshots, SameNameOtherSourcesIsAlreadyExists) {
  Spec("CreateVolumeGroupSnapshot: existing name with other source_volume_ids -> ALREADY_EXISTS",
       "§CreateVolumeGroupSnapshot Errors");
  v1::Volume a = MustCreateVolume(Unique("grpx"));
  v1::Volume b = MustCreateVolume(Unique("grpy"));
  std::string name = Unique("group");
  MustCreateGroup(GroupRequest(name, {a.volume_id()}));
  v1::CreateVolumeGroupSnapshotResponse r;
  grpc::Status s = RPC(group(), CreateVolumeGroupSnapshot,
                       GroupRequest(name, {a.volume_id(), b.volume_id()}), &r);
  EXPECT_CODE(s, StatusCode::ALREADY_EXISTS);
}

TEST_F(GroupSnapshots, GetAndDeleteRules) {
  Spec(
      "Get/DeleteVolumeGroupSnapshot: group_snapshot_id missing -> INVALID_ARGUMENT; "
      "snapshot_ids missing -> ignored (Get returns the group); unknown group: Get -> "
      "NOT_FOUND, Delete -> OK; a mismatched "
      "snapshot_ids list -> INVALID_ARGUMENT; a member DeleteSnapshot is refused with "
      "INVALID_ARGUMENT or allowed; Delete twice -> OK and members are gone",
      "§GetVolumeGroupSnapshot Errors, §DeleteVolumeGroupSnapshot Errors, §DeleteSnapshot "
      "Errors (Snapshot is part of a group)");
  v1::Volume a = MustCreateVolume(Unique("grpd"));
  v1::Volume b = MustCreateVolume(Unique("grpe"));
  v1::VolumeGroupSnapshot g =
      MustCreateGroup(GroupRequest(Unique("g"), {a.volume_id(), b.volume_id()}));
  ASSERT_EQ(g.snapshots_size(), 2);
  std::vector<std::string> members = {g.snapshots(0).snapshot_id(), g.snapshots(1).snapshot_id()};

  v1::GetVolumeGroupSnapshotResponse gr;
  v1::GetVolumeGroupSnapshotRequest no_id;
  no_id.add_snapshot_ids(members[0]);
  EXPECT_CODE(RPC(group(), GetVolumeGroupSnapshot, no_id, &gr), StatusCode::INVALID_ARGUMENT);
  v1::GetVolumeGroupSnapshotRequest no_members;
  no_members.set_group_snapshot_id(g.group_snapshot_id());
  EXPECT_RPC_OK(RPC(group(), GetVolumeGroupSnapshot, no_members, &gr))
      << "the plugin finds a group by its id; it must ignore snapshot_ids then";
  EXPECT_EQ(gr.group_snapshot().group_snapshot_id(), g.group_snapshot_id());
  EXPECT_EQ(gr.group_snapshot().snapshots_size(), 2);
  v1::GetVolumeGroupSnapshotRequest unknown;
  unknown.set_group_snapshot_id("group:snapshot-unknown");
  unknown.add_snapshot_ids("pvc-x/snapshot-unknown");
  EXPECT_CODE(RPC(group(), GetVolumeGroupSnapshot, unknown, &gr), StatusCode::NOT_FOUND);
  v1::GetVolumeGroupSnapshotRequest mismatch;
  mismatch.set_group_snapshot_id(g.group_snapshot_id());
  mismatch.add_snapshot_ids(members[0]);
  mismatch.add_snapshot_ids("pvc-x/snapshot-not-a-member");
  EXPECT_CODE(RPC(group(), GetVolumeGroupSnapshot, mismatch, &gr), StatusCode::INVALID_ARGUMENT);

  v1::DeleteSnapshotRequest member;
  member.set_snapshot_id(members[0]);
  v1::DeleteSnapshotResponse dsr;
  grpc::Status member_delete = RPC(controller(), DeleteSnapshot, member, &dsr);
  if (!member_delete.ok()) {
    EXPECT_CODE(member_delete, StatusCode::INVALID_ARGUMENT);
  }

  v1::DeleteVolumeGroupSnapshotResponse dr;
  v1::DeleteVolumeGroupSnapshotRequest del_no_id;
  del_no_id.add_snapshot_ids(members[0]);
  EXPECT_CODE(RPC(group(), DeleteVolumeGroupSnapshot, del_no_id, &dr),
              StatusCode::INVALID_ARGUMENT);
  v1::DeleteVolumeGroupSnapshotRequest del_unknown;
  del_unknown.set_group_snapshot_id("group:snapshot-unknown");
  del_unknown.add_snapshot_ids("pvc-x/snapshot-unknown");
  EXPECT_RPC_OK(RPC(group(), DeleteVolumeGroupSnapshot, del_unknown, &dr));

  if (member_delete.ok()) return;  // the group lost a member; the rest is cleanup
  v1::DeleteVolumeGroupSnapshotRequest del_mismatch;
  del_mismatch.set_group_snapshot_id(g.group_snapshot_id());
  del_mismatch.add_snapshot_ids(members[0]);
  EXPECT_CODE(RPC(group(), DeleteVolumeGroupSnapshot, del_mismatch, &dr),
              StatusCode::INVALID_ARGUMENT);
  v1::DeleteVolumeGroupSnapshotRequest del;
  del.set_group_snapshot_id(g.group_snapshot_id());
  for (const auto& m : members) del.add_snapshot_ids(m);
  EXPECT_RPC_OK(RPC(group(), DeleteVolumeGroupSnapshot, del, &dr));
  EXPECT_RPC_OK(RPC(group(), DeleteVolumeGroupSnapshot, del, &dr)) << "second time";
  v1::GetVolumeGroupSnapshotRequest get_gone;
  get_gone.set_group_snapshot_id(g.group_snapshot_id());
  for (const auto& m : members) get_gone.add_snapshot_ids(m);
  EXPECT_CODE(RPC(group(), GetVolumeGroupSnapshot, get_gone, &gr), StatusCode::NOT_FOUND);
  if (caps().Controller(C::LIST_SNAPSHOTS)) {
    for (const auto& m : members) {
      v1::ListSnapshotsRequest ls;
      ls.set_snapshot_id(m);
      EXPECT_TRUE(ListAll(ls).empty()) << m << " outlived its group";
    }
  }
}

TEST_F(GroupSnapshots, UnknownGroupWithoutSnapshotIds) {
  Spec(
      "GetVolumeGroupSnapshot: an unknown group_snapshot_id without snapshot_ids -> NOT_FOUND; "
      "DeleteVolumeGroupSnapshot: the same -> OK (idempotent); with snapshot_ids likewise",
      "§GetVolumeGroupSnapshot Errors (Volume group snapshot does not exist), "
      "§DeleteVolumeGroupSnapshot (MUST be idempotent), §GetVolumeGroupSnapshotRequest "
      "(snapshot_ids: an SP that does not rely on it MUST ignore it)");
  for (const std::string id : {"group:snapshot-unknown", "no-such-group", "group:", "x"}) {
    for (bool with_ids : {false, true}) {
      v1::GetVolumeGroupSnapshotRequest get;
      get.set_group_snapshot_id(id);
      v1::DeleteVolumeGroupSnapshotRequest del;
      del.set_group_snapshot_id(id);
      if (with_ids) {
        get.add_snapshot_ids("pvc-x/snapshot-unknown");
        del.add_snapshot_ids("pvc-x/snapshot-unknown");
      }
      v1::GetVolumeGroupSnapshotResponse gr;
      EXPECT_CODE(RPC(group(), GetVolumeGroupSnapshot, get, &gr), StatusCode::NOT_FOUND)
          << id << (with_ids ? " with" : " without") << " snapshot_ids";
      v1::DeleteVolumeGroupSnapshotResponse dr;
      EXPECT_RPC_OK(RPC(group(), DeleteVolumeGroupSnapshot, del, &dr))
          << id << (with_ids ? " with" : " without") << " snapshot_ids";
    }
  }
}

TEST_F(GroupSnapshots, DeleteWithoutSnapshotIdsRemovesTheGroup) {
  Spec(
      "DeleteVolumeGroupSnapshot: an existing group without snapshot_ids -> OK, every member "
      "snapshot is gone, and again -> OK",
      "§DeleteVolumeGroupSnapshot, §DeleteVolumeGroupSnapshotRequest (snapshot_ids: an SP that "
      "does not rely on it MUST ignore it)");
  v1::Volume a = MustCreateVolume(Unique("grpf"));
  v1::Volume b = MustCreateVolume(Unique("grpg"));
  v1::VolumeGroupSnapshot g =
      MustCreateGroup(GroupRequest(Unique("g"), {a.volume_id(), b.volume_id()}));
  ASSERT_EQ(g.snapshots_size(), 2);
  v1::DeleteVolumeGroupSnapshotRequest del;
  del.set_group_snapshot_id(g.group_snapshot_id());
  v1::DeleteVolumeGroupSnapshotResponse dr;
  EXPECT_RPC_OK(RPC(group(), DeleteVolumeGroupSnapshot, del, &dr));
  EXPECT_RPC_OK(RPC(group(), DeleteVolumeGroupSnapshot, del, &dr)) << "second time";
  v1::GetVolumeGroupSnapshotRequest get;
  get.set_group_snapshot_id(g.group_snapshot_id());
  v1::GetVolumeGroupSnapshotResponse gr;
  EXPECT_CODE(RPC(group(), GetVolumeGroupSnapshot, get, &gr), StatusCode::NOT_FOUND);
  auto all = stack().sim().AllSnapshots();
  ASSERT_TRUE(all.ok());
  for (const auto& s : g.snapshots()) {
    EXPECT_EQ(std::find(all->begin(), all->end(), s.snapshot_id()), all->end())
        << s.snapshot_id() << " outlived its group";
  }
}

}  // namespace
}  // namespace lcsi::conformance
