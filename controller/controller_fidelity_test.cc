// The plugin on LINSTOR's real semantics (issue 10's six findings), each through the real path:
// gRPC server on a unix socket, HttpLinstorClient, linstor-sim in strict mode following
// linstor-server's handlers (linstor-sim/README.md cites them).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>

#include "controller/controller_integration_fixture.h"

namespace lcsi::controller::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using Mode = csi::v1::VolumeCapability::AccessMode;
using Stub = csi::v1::Controller::Stub;
using GStub = csi::v1::GroupController::Stub;

class FidelityTest : public ControllerIntegrationTest {
 protected:
  // The property's value, "" when absent (an absent key fails the comparison, not the test).
  static std::string PropOf(const linstor::Props& p, const std::string& key) {
    auto it = p.find(key);
    return it == p.end() ? "" : it->second;
  }
  linstor::Props RdProps(const std::string& rd) {
    auto got = client_->GetResourceDefinition(rd);
    EXPECT_TRUE(got.ok()) << rd;
    return got.ok() ? got->props : linstor::Props{};
  }
  std::string ViewDevice(const std::string& rd, const std::string& node) {
    linstor::ResourceViewFilter f;
    f.resources = {rd};
    f.nodes = {node};
    auto view = client_->ViewResources(f);
    if (!view.ok() || view->empty() || view->front().volumes.empty()) return "";
    return view->front().volumes.front().device_path;
  }
  csi::v1::CreateSnapshotResponse MustSnapshot(const std::string& name, const std::string& vol) {
    csi::v1::CreateSnapshotResponse resp;
    grpc::Status s = CreateSnapshot(name, vol, &resp);
    EXPECT_TRUE(s.ok()) << name << ": " << s.error_message();
    return resp;
  }
  std::vector<std::string> ListSnapshotIds(const csi::v1::ListSnapshotsRequest& req) {
    csi::v1::ListSnapshotsResponse resp;
    grpc::Status s = Call(ctl_.get(), &Stub::ListSnapshots, req, &resp);
    EXPECT_TRUE(s.ok()) << s.error_message();
    std::vector<std::string> ids;
    for (const auto& e : resp.entries()) ids.push_back(e.snapshot().snapshot_id());
    return ids;
  }
  csi::v1::CreateVolumeRequest FromSnapshot(const std::string& name, int64_t bytes,
                                            const std::string& snapshot_id,
                                            const std::map<std::string, std::string>& params = {}) {
    auto req = CreateReq(name, bytes, params);
    req.mutable_volume_content_source()->mutable_snapshot()->set_snapshot_id(snapshot_id);
    return req;
  }
};

// Finding 1: GET .../resources/{node} has no volumes, GET /v1/resource-definitions/{rd} no
// volume definitions. A diskless publish reads the device from the view.
TEST_F(FidelityTest, DisklessPublishReturnsTheDevicePath) {
  MustCreate(CreateReq("pvc-remote", 8 * kMiB));  // default class: remote access allowed
  csi::v1::ControllerPublishVolumeResponse pub;
  grpc::Status s = Publish(PublishReq("pvc-remote", "sat-delta"), &pub);
  ASSERT_TRUE(s.ok()) << s.error_message();
  const std::string device = pub.publish_context().at("devicePath");
  EXPECT_THAT(device, HasSubstr("/dev/drbd"));
  EXPECT_EQ(device, ViewDevice("pvc-remote", "sat-delta"));
  auto r = client_->GetResource("pvc-remote", "sat-delta");
  ASSERT_TRUE(r.ok());
  EXPECT_TRUE(r->IsDiskless());
  // The retry finds the resource in place and answers the same.
  csi::v1::ControllerPublishVolumeResponse again;
  ASSERT_TRUE(Publish(PublishReq("pvc-remote", "sat-delta"), &again).ok());
  EXPECT_EQ(again.publish_context().at("devicePath"), device);
}

// Finding 1: every size comes from the volume-definition list, not from the RD GET.
TEST_F(FidelityTest, SizesComeFromTheVolumeDefinitionList) {
  auto req = CreateReq("pvc-size", 24 * kMiB);
  auto first = MustCreate(req);
  csi::v1::CreateVolumeResponse retry;
  grpc::Status s = CreateVolume(req, &retry);
  ASSERT_TRUE(s.ok()) << "a retried CreateVolume is idempotent: " << s.error_message();
  EXPECT_EQ(retry.volume().capacity_bytes(), 24 * kMiB);
  EXPECT_EQ(retry.volume().volume_id(), first.volume_id());
  // A different size is a conflict, with the size LINSTOR has.
  grpc::Status other = CreateVolume(CreateReq("pvc-size", 48 * kMiB), &retry);
  EXPECT_EQ(other.error_code(), grpc::StatusCode::ALREADY_EXISTS);
  EXPECT_THAT(other.error_message(), HasSubstr(std::to_string(24 * kMiB)));

  csi::v1::ControllerGetVolumeRequest get;
  get.set_volume_id("pvc-size");
  csi::v1::ControllerGetVolumeResponse got;
  ASSERT_TRUE(Call(ctl_.get(), &Stub::ControllerGetVolume, get, &got).ok());
  EXPECT_EQ(got.volume().capacity_bytes(), 24 * kMiB);

  csi::v1::ControllerExpandVolumeRequest shrink;
  shrink.set_volume_id("pvc-size");
  shrink.mutable_capacity_range()->set_required_bytes(8 * kMiB);
  shrink.mutable_capacity_range()->set_limit_bytes(8 * kMiB);
  csi::v1::ControllerExpandVolumeResponse expanded;
  EXPECT_EQ(Call(ctl_.get(), &Stub::ControllerExpandVolume, shrink, &expanded).error_code(),
            grpc::StatusCode::OUT_OF_RANGE);
  csi::v1::ControllerExpandVolumeRequest same = shrink;
  same.mutable_capacity_range()->set_required_bytes(16 * kMiB);
  same.mutable_capacity_range()->clear_limit_bytes();
  ASSERT_TRUE(Call(ctl_.get(), &Stub::ControllerExpandVolume, same, &expanded).ok());
  EXPECT_EQ(expanded.capacity_bytes(), 24 * kMiB) << "already larger: nothing to do";

  // A retried clone reads its source's size from the list too.
  auto clone = CreateReq("pvc-size-clone", 0);
  clone.mutable_volume_content_source()->mutable_volume()->set_volume_id("pvc-size");
  auto cloned = MustCreate(clone);
  EXPECT_EQ(cloned.capacity_bytes(), 24 * kMiB);
  csi::v1::CreateVolumeResponse clone_retry;
  ASSERT_TRUE(CreateVolume(clone, &clone_retry).ok());
  EXPECT_EQ(clone_retry.volume().capacity_bytes(), 24 * kMiB);
}

// Finding 2: LINSTOR reads only snapshot_definition_props on create; the plugin's identity
// lives there, so a retry is idempotent and a snapshot of another owner's making is not ours.
TEST_F(FidelityTest, SnapshotIdentityIsTheSnapshotsOwn) {
  MustCreate(CreateReq("pvc-snap", 4 * kMiB));
  auto first = MustSnapshot("snap-id", "pvc-snap");
  auto retry = MustSnapshot("snap-id", "pvc-snap");
  EXPECT_EQ(retry.snapshot().snapshot_id(), first.snapshot().snapshot_id());
  EXPECT_EQ(Count("snapshots"), 1);
  auto taken = client_->GetSnapshot("pvc-snap", "snap-id");
  ASSERT_TRUE(taken.ok());
  EXPECT_EQ(taken->definition_props.at("Aux/csi-name"), "snap-id");
  EXPECT_EQ(taken->props.at("Aux/csi-name"), "snap-id") << "the snapshot's own wins the overlay";
  EXPECT_EQ(taken->resource_definition_props.at("Aux/csi-name"), "pvc-snap");

  // A snapshot someone else took of our volume carries our owner only in the captured RD props.
  linstor::SnapshotCreate foreign;
  foreign.resource_name = "pvc-snap";
  foreign.name = "admin-snap";
  ASSERT_TRUE(client_->CreateSnapshot(foreign).ok());
  csi::v1::ListSnapshotsRequest all;
  EXPECT_THAT(ListSnapshotIds(all), ElementsAre("pvc-snap/snap-id"));
  csi::v1::GetSnapshotRequest get;
  get.set_snapshot_id("pvc-snap/admin-snap");
  csi::v1::GetSnapshotResponse got;
  EXPECT_EQ(Call(ctl_.get(), &Stub::GetSnapshot, get, &got).error_code(),
            grpc::StatusCode::NOT_FOUND);
}

// Finding 2: group snapshot members are found by their own group mark.
TEST_F(FidelityTest, GroupSnapshotFindsItsMembers) {
  MustCreate(CreateReq("pvc-ga", kMiB));
  MustCreate(CreateReq("pvc-gb", kMiB));
  csi::v1::CreateVolumeGroupSnapshotRequest req;
  req.set_name("group-f");
  req.add_source_volume_ids("pvc-ga");
  req.add_source_volume_ids("pvc-gb");
  csi::v1::CreateVolumeGroupSnapshotResponse resp;
  grpc::Status s = Call(group_.get(), &GStub::CreateVolumeGroupSnapshot, req, &resp);
  ASSERT_TRUE(s.ok()) << s.error_message();
  ASSERT_EQ(resp.group_snapshot().snapshots_size(), 2);
  for (const auto& m : resp.group_snapshot().snapshots()) {
    EXPECT_EQ(m.group_snapshot_id(), resp.group_snapshot().group_snapshot_id());
  }
  csi::v1::CreateVolumeGroupSnapshotResponse again;
  ASSERT_TRUE(Call(group_.get(), &GStub::CreateVolumeGroupSnapshot, req, &again).ok());
  EXPECT_EQ(again.group_snapshot().snapshots_size(), 2);
  csi::v1::GetVolumeGroupSnapshotRequest get;
  get.set_group_snapshot_id(resp.group_snapshot().group_snapshot_id());
  for (const auto& m : resp.group_snapshot().snapshots()) get.add_snapshot_ids(m.snapshot_id());
  csi::v1::GetVolumeGroupSnapshotResponse got;
  ASSERT_TRUE(Call(group_.get(), &GStub::GetVolumeGroupSnapshot, get, &got).ok());
  EXPECT_EQ(got.group_snapshot().snapshots_size(), 2);
  // A member alone cannot be deleted: its group mark is read from its own props.
  EXPECT_EQ(DeleteSnapshot(resp.group_snapshot().snapshots(0).snapshot_id()).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

// Finding 2: the clone fallback's temporary snapshot is marked in its own props, so it never
// shows in ListSnapshots, even when it is left behind.
TEST_F(FidelityTest, TemporaryCloneSnapshotIsNeverListed) {
  MustCreate(CreateReq("pvc-csrc", 4 * kMiB));
  // LINSTOR's clone refused: the plugin clones through a temporary snapshot; its removal fails.
  ASSERT_TRUE(admin_
                  ->AddFault(R"({"path_regex":"/clone$","method":"POST","error_rate":1,)"
                             R"("http_status":500})")
                  .ok());
  ASSERT_TRUE(admin_
                  ->AddFault(R"({"path_regex":"/snapshots/csi-tmp-","method":"DELETE",)"
                             R"("error_rate":1,"http_status":500})")
                  .ok());
  auto req = CreateReq("pvc-cdst", 4 * kMiB);
  req.mutable_volume_content_source()->mutable_volume()->set_volume_id("pvc-csrc");
  MustCreate(req);
  ASSERT_EQ(Count("snapshots"), 1) << "the temporary snapshot is left behind";
  csi::v1::ListSnapshotsRequest all;
  EXPECT_TRUE(ListSnapshotIds(all).empty());
  csi::v1::ListSnapshotsRequest by_source;
  by_source.set_source_volume_id("pvc-csrc");
  EXPECT_TRUE(ListSnapshotIds(by_source).empty());
}

// Finding 3: the restore copies the source's properties (as captured) onto the new volume; the
// plugin puts the new volume's own back and drops the source's publication marks.
TEST_F(FidelityTest, RestoredVolumeCarriesOnlyItsOwnProperties) {
  MustCreate(CreateReq("pvc-orig", 4 * kMiB, {{"placementCount", "2"}}));
  csi::v1::ControllerPublishVolumeResponse pub;
  ASSERT_TRUE(Publish(PublishReq("pvc-orig", "sat-delta"), &pub).ok());
  auto snap = MustSnapshot("snap-orig", "pvc-orig");

  auto req = FromSnapshot("pvc-copy", 4 * kMiB, snap.snapshot().snapshot_id());
  MustCreate(req);
  const linstor::Props p = RdProps("pvc-copy");
  EXPECT_EQ(p.at("Aux/csi-name"), "pvc-copy");
  EXPECT_EQ(p.at("Aux/csi-source"), "snapshot:" + snap.snapshot().snapshot_id());
  for (const auto& [k, v] : p) {
    EXPECT_EQ(k.rfind("Aux/csi-published/", 0), std::string::npos) << k;
    EXPECT_EQ(k.rfind("Aux/csi-diskless-made/", 0), std::string::npos) << k;
    EXPECT_NE(k, "Aux/csi-incomplete");
  }
  // A retry is idempotent, and the copy is attachable on its own.
  csi::v1::CreateVolumeResponse retry;
  grpc::Status s = CreateVolume(req, &retry);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(retry.volume().volume_id(), "pvc-copy");
  grpc::Status attach = Publish(PublishReq("pvc-copy", "sat-alpha"), &pub);
  EXPECT_TRUE(attach.ok()) << attach.error_message();
  csi::v1::ListVolumesResponse list;
  ASSERT_TRUE(Call(ctl_.get(), &Stub::ListVolumes, csi::v1::ListVolumesRequest{}, &list).ok());
  for (const auto& e : list.entries()) {
    if (e.volume().volume_id() != "pvc-copy") continue;
    EXPECT_THAT(std::vector<std::string>(e.status().published_node_ids().begin(),
                                         e.status().published_node_ids().end()),
                ElementsAre("sat-alpha"));
  }
  // The clone fallback restores as well: same rule.
  ASSERT_TRUE(admin_
                  ->AddFault(R"({"path_regex":"/clone$","method":"POST","error_rate":1,)"
                             R"("http_status":500})")
                  .ok());
  auto clone = CreateReq("pvc-copy2", 4 * kMiB);
  clone.mutable_volume_content_source()->mutable_volume()->set_volume_id("pvc-orig");
  MustCreate(clone);
  const linstor::Props c = RdProps("pvc-copy2");
  EXPECT_EQ(c.at("Aux/csi-name"), "pvc-copy2");
  EXPECT_EQ(c.count("Aux/csi-published/sat-delta"), 0u);
  EXPECT_EQ(c.count("Aux/csi-diskless-made/sat-delta"), 0u);
}

// Finding 3: a restore interrupted after LINSTOR copied the source's properties (CSI name
// included) is recognised by its retry and redone.
TEST_F(FidelityTest, InterruptedRestoreIsRedoneByTheRetry) {
  MustCreate(CreateReq("pvc-base", 4 * kMiB));
  auto snap = MustSnapshot("snap-base", "pvc-base");
  // The properties' rewrite fails once, and so does the clean-up of the partial volume: the
  // RD stays with the source's properties, the CSI name included.
  for (const char* method : {"PUT", "DELETE"}) {
    ASSERT_TRUE(
        admin_
            ->AddFault(std::string(R"({"path_regex":"^/v1/resource-definitions/pvc-again$",)") +
                       R"("method":")" + method +
                       R"(","error_rate":1,"http_status":500,"count":1,"phase":"before"})")
            .ok());
  }
  auto req = FromSnapshot("pvc-again", 4 * kMiB, snap.snapshot().snapshot_id());
  csi::v1::CreateVolumeResponse resp;
  ASSERT_FALSE(CreateVolume(req, &resp).ok());
  ASSERT_EQ(RdProps("pvc-again").at("Aux/csi-name"), "pvc-base");
  grpc::Status s = CreateVolume(req, &resp);
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(RdProps("pvc-again").at("Aux/csi-name"), "pvc-again");
  EXPECT_EQ(RdProps("pvc-base").at("Aux/csi-name"), "pvc-base");
}

// Finding 3: DRBD options set through mutable parameters (ControllerModifyVolume) belong to
// the source; a restore or clone copies its RD properties, and the plugin deletes exactly the
// keys it recorded (Aux/csi-modified). A key LINSTOR set itself (auto-quorum) stays.
TEST_F(FidelityTest, RestoredAndClonedVolumesDropTheSourcesModifiedOptions) {
  MustCreate(CreateReq("pvc-tuned", 4 * kMiB));
  auto modify = [&](const std::string& key, const std::string& value) {
    csi::v1::ControllerModifyVolumeRequest r;
    r.set_volume_id("pvc-tuned");
    (*r.mutable_mutable_parameters())[std::string(kDriver) + "/" + key] = value;
    csi::v1::ControllerModifyVolumeResponse resp;
    grpc::Status s = Call(ctl_.get(), &Stub::ControllerModifyVolume, r, &resp);
    EXPECT_TRUE(s.ok()) << key << ": " << s.error_message();
  };
  modify("DrbdOptions/Net/protocol", "B");
  modify("DrbdOptions/Net/max-buffers", "8000");  // a second modify adds to the record
  EXPECT_EQ(PropOf(RdProps("pvc-tuned"), "Aux/csi-modified"),
            "DrbdOptions/Net/max-buffers,DrbdOptions/Net/protocol");
  // What LINSTOR's CtrlRscAutoQuorumHelper writes: set directly, not through the plugin.
  linstor::PropsModify linstor_set;
  linstor_set.override_props["DrbdOptions/Resource/quorum"] = "majority";
  ASSERT_TRUE(client_->ModifyResourceDefinition("pvc-tuned", linstor_set).ok());
  auto snap = MustSnapshot("snap-tuned", "pvc-tuned");

  auto expect_own_only = [&](const std::string& rd) {
    const linstor::Props p = RdProps(rd);
    EXPECT_EQ(p.count("DrbdOptions/Net/protocol"), 0u) << rd;
    EXPECT_EQ(p.count("DrbdOptions/Net/max-buffers"), 0u) << rd;
    EXPECT_EQ(p.count("Aux/csi-modified"), 0u) << rd;
    EXPECT_EQ(PropOf(p, "DrbdOptions/Resource/quorum"), "majority")
        << rd << ": LINSTOR's own key stays";
    EXPECT_EQ(PropOf(p, "Aux/csi-name"), rd);
  };
  auto restored = MustCreate(FromSnapshot("pvc-tuned-r", 4 * kMiB, snap.snapshot().snapshot_id()));
  expect_own_only("pvc-tuned-r");
  // LINSTOR's clone, then the clone fallback through a temporary snapshot.
  auto clone = CreateReq("pvc-tuned-c", 4 * kMiB);
  clone.mutable_volume_content_source()->mutable_volume()->set_volume_id("pvc-tuned");
  MustCreate(clone);
  expect_own_only("pvc-tuned-c");
  ASSERT_TRUE(admin_
                  ->AddFault(R"({"path_regex":"/clone$","method":"POST","error_rate":1,)"
                             R"("http_status":500})")
                  .ok());
  auto clone2 = CreateReq("pvc-tuned-c2", 4 * kMiB);
  clone2.mutable_volume_content_source()->mutable_volume()->set_volume_id("pvc-tuned");
  MustCreate(clone2);
  expect_own_only("pvc-tuned-c2");

  // A restore whose own request sets one of the keys keeps it, with its own value, and records
  // only its own keys.
  auto own = FromSnapshot("pvc-tuned-own", 4 * kMiB, snap.snapshot().snapshot_id());
  (*own.mutable_mutable_parameters())[std::string(kDriver) + "/DrbdOptions/Net/protocol"] = "A";
  MustCreate(own);
  const linstor::Props p = RdProps("pvc-tuned-own");
  EXPECT_EQ(PropOf(p, "DrbdOptions/Net/protocol"), "A");
  EXPECT_EQ(p.count("DrbdOptions/Net/max-buffers"), 0u);
  EXPECT_EQ(PropOf(p, "Aux/csi-modified"), "DrbdOptions/Net/protocol");
  EXPECT_EQ(PropOf(p, "DrbdOptions/Resource/quorum"), "majority");
  csi::v1::CreateVolumeResponse again;
  grpc::Status retried = CreateVolume(own, &again);
  EXPECT_TRUE(retried.ok()) << "a retry is idempotent: " << retried.error_message();
  // The source keeps everything; the record reaches no volume context.
  EXPECT_EQ(PropOf(RdProps("pvc-tuned"), "DrbdOptions/Net/protocol"), "B");
  for (const auto& [k, v] : restored.volume_context()) EXPECT_EQ(k.find("modified"), k.npos) << k;
  csi::v1::ListVolumesResponse list;
  ASSERT_TRUE(Call(ctl_.get(), &Stub::ListVolumes, csi::v1::ListVolumesRequest{}, &list).ok());
  EXPECT_EQ(list.entries_size(), 5);
  for (const auto& e : list.entries()) {
    for (const auto& [k, v] : e.volume().volume_context()) {
      EXPECT_EQ(k.find("modified"), k.npos) << k;
    }
  }
}

// Finding 4: LINSTOR refuses to restore into a volume definition of another size: restore at
// the snapshot's size, then grow.
TEST_F(FidelityTest, RestoreIntoALargerVolume) {
  MustCreate(CreateReq("pvc-small", 8 * kMiB, {{"placementCount", "2"}}));
  auto snap = MustSnapshot("snap-small", "pvc-small");
  auto big = MustCreate(
      FromSnapshot("pvc-big", 32 * kMiB, snap.snapshot().snapshot_id(), {{"placementCount", "2"}}));
  EXPECT_EQ(big.capacity_bytes(), 32 * kMiB);
  csi::v1::ControllerGetVolumeRequest get;
  get.set_volume_id("pvc-big");
  csi::v1::ControllerGetVolumeResponse got;
  ASSERT_TRUE(Call(ctl_.get(), &Stub::ControllerGetVolume, get, &got).ok());
  EXPECT_EQ(got.volume().capacity_bytes(), 32 * kMiB);
  EXPECT_EQ(DiskfulNodes("pvc-big").size(), 2u);
}

// Finding 5: GET /v1/view/snapshots has no name filter. With many snapshots in the cluster,
// lookups by id and by name are right and no request sends snapshots= (strict mode refuses it).
TEST_F(FidelityTest, SnapshotLookupsInAClusterWithManySnapshots) {
  for (const char* v : {"pvc-m1", "pvc-m2", "pvc-m3"}) MustCreate(CreateReq(v, kMiB));
  for (int i = 0; i < 4; ++i) {
    for (const char* v : {"pvc-m1", "pvc-m2", "pvc-m3"}) {
      MustSnapshot(std::string(v) + "-s" + std::to_string(i), v);
    }
  }
  // Snapshots the plugin does not own, among them one with a CSI-looking name.
  for (const char* name : {"pvc-m2-s1x", "nightly"}) {
    linstor::SnapshotCreate c;
    c.resource_name = "pvc-m1";
    c.name = name;
    ASSERT_TRUE(client_->CreateSnapshot(c).ok());
  }
  csi::v1::ListSnapshotsRequest by_id;
  by_id.set_snapshot_id("pvc-m2/pvc-m2-s1");
  EXPECT_THAT(ListSnapshotIds(by_id), ElementsAre("pvc-m2/pvc-m2-s1"));
  by_id.set_snapshot_id("pvc-m1/pvc-m2-s1x");
  EXPECT_TRUE(ListSnapshotIds(by_id).empty());
  csi::v1::ListSnapshotsRequest by_source;
  by_source.set_source_volume_id("pvc-m3");
  EXPECT_THAT(ListSnapshotIds(by_source), ElementsAre("pvc-m3/pvc-m3-s0", "pvc-m3/pvc-m3-s1",
                                                      "pvc-m3/pvc-m3-s2", "pvc-m3/pvc-m3-s3"));
  csi::v1::ListSnapshotsRequest all;
  EXPECT_EQ(ListSnapshotIds(all).size(), 12u);

  // CreateSnapshot by name: the same name again is the same snapshot; on another volume it is
  // a conflict.
  auto again = MustSnapshot("pvc-m2-s3", "pvc-m2");
  EXPECT_EQ(again.snapshot().snapshot_id(), "pvc-m2/pvc-m2-s3");
  csi::v1::CreateSnapshotResponse resp;
  EXPECT_EQ(CreateSnapshot("pvc-m2-s3", "pvc-m1", &resp).error_code(),
            grpc::StatusCode::ALREADY_EXISTS);
  EXPECT_EQ(Count("snapshots"), 14);
}

// Finding 6: a resource created on a node without StorPoolName does not use the group's
// storage pools in LINSTOR; the preferred node's replica goes through the autoplacer.
TEST_F(FidelityTest, PreferredNodePlacementWithoutRemoteAccess) {
  for (const char* node : {"sat-alpha", "sat-bravo", "sat-charlie"}) {
    const std::string name = std::string("pvc-on-") + node;
    auto req =
        CreateReq(name, kMiB, {{"allowRemoteVolumeAccess", "false"}, {"placementCount", "1"}});
    auto* reqs = req.mutable_accessibility_requirements();
    for (const char* n : {"sat-alpha", "sat-bravo", "sat-charlie"}) {
      (*reqs->add_requisite()->mutable_segments())[kNodeKey] = n;
    }
    (*reqs->add_preferred()->mutable_segments())[kNodeKey] = node;
    auto v = MustCreate(req);
    EXPECT_THAT(DiskfulNodes(name), ElementsAre(node));
    ASSERT_EQ(v.accessible_topology_size(), 1) << name;
    EXPECT_EQ(v.accessible_topology(0).segments().at(kNodeKey), node);
  }
  // Two replicas: the preferred node holds one of them.
  auto two =
      CreateReq("pvc-two", kMiB, {{"allowRemoteVolumeAccess", "false"}, {"placementCount", "2"}});
  (*two.mutable_accessibility_requirements()->add_preferred()->mutable_segments())[kNodeKey] =
      "sat-bravo";
  MustCreate(two);
  auto nodes = DiskfulNodes("pvc-two");
  EXPECT_EQ(nodes.size(), 2u);
  EXPECT_TRUE(std::find(nodes.begin(), nodes.end(), "sat-bravo") != nodes.end());
  // A preferred node that cannot hold a replica: LINSTOR places it elsewhere.
  auto diskless = CreateReq("pvc-pref-delta", kMiB,
                            {{"allowRemoteVolumeAccess", "false"}, {"placementCount", "1"}});
  (*diskless.mutable_accessibility_requirements()->add_preferred()->mutable_segments())[kNodeKey] =
      "sat-delta";
  MustCreate(diskless);
  EXPECT_EQ(DiskfulNodes("pvc-pref-delta").size(), 1u);
}

}  // namespace
}  // namespace lcsi::controller::testing