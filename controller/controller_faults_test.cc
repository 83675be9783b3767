// Faults injected in linstor-sim, concurrency, and ownership, through the real gRPC server.
// Every fault test counts LINSTOR objects before and after: a failed call answers with a
// retryable code, the retry converges, and nothing is orphaned.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "controller/controller_integration_fixture.h"

namespace lcsi::controller::testing {
namespace {

using ::testing::HasSubstr;
using C = grpc::StatusCode;
using Stub = csi::v1::Controller::Stub;

bool Retryable(grpc::StatusCode c) {
  return c == C::UNAVAILABLE || c == C::ABORTED || c == C::INTERNAL || c == C::DEADLINE_EXCEEDED;
}

TEST_F(ControllerIntegrationTest, SpawnRefusedThenRetried) {
  MustCreate(CreateReq("pvc-warmup", kMiB));
  const auto before = Summary();
  ASSERT_TRUE(
      admin_
          ->AddFault(
              R"({"path_regex":"/spawn$","method":"POST","error_rate":1,"http_status":503,"count":1})")
          .ok());
  csi::v1::CreateVolumeResponse resp;
  grpc::Status s = CreateVolume(CreateReq("pvc-f1", kMiB), &resp);
  EXPECT_EQ(s.error_code(), C::UNAVAILABLE) << s.error_message();
  EXPECT_EQ(Summary()["resource_definitions"], before.at("resource_definitions"));
  MustCreate(CreateReq("pvc-f1", kMiB));
  EXPECT_EQ(Summary()["resource_definitions"], before.at("resource_definitions") + 1);
}

TEST_F(ControllerIntegrationTest, SpawnAnswerLostThenRetried) {
  // LINSTOR did the spawn but the answer never arrived: the retry finds and returns the volume.
  MustCreate(CreateReq("pvc-warmup", kMiB));
  const auto before = Summary();
  ASSERT_TRUE(
      admin_
          ->AddFault(
              R"({"path_regex":"/spawn$","method":"POST","error_rate":1,"http_status":503,"phase":"after","count":1})")
          .ok());
  csi::v1::CreateVolumeResponse resp;
  grpc::Status s = CreateVolume(CreateReq("pvc-f2", 2 * kMiB), &resp);
  EXPECT_TRUE(Retryable(s.error_code())) << s.error_message();
  auto v = MustCreate(CreateReq("pvc-f2", 2 * kMiB));
  EXPECT_EQ(v.capacity_bytes(), 2 * kMiB);
  auto after = Summary();
  EXPECT_EQ(after["resource_definitions"], before.at("resource_definitions") + 1);
  EXPECT_EQ(after["resources"], before.at("resources") + 1);
}

TEST_F(ControllerIntegrationTest, RestoreFailureLeavesNoOrphan) {
  MustCreate(CreateReq("pvc-src", 4 * kMiB, {{"placementCount", "2"}}));
  csi::v1::CreateSnapshotResponse snap;
  ASSERT_TRUE(CreateSnapshot("snap-f", "pvc-src", &snap).ok());
  const auto before = Summary();
  for (const char* path :
       {"/snapshot-restore-resource/", "/snapshot-restore-volume-definition/", "/autoplace$"}) {
    SCOPED_TRACE(path);
    ASSERT_TRUE(admin_->ClearFaults().ok());
    ASSERT_TRUE(admin_
                    ->AddFault(std::string(R"({"path_regex":")") + path +
                               R"(","method":"POST","error_rate":1,"http_status":500})")
                    .ok());
    auto r = CreateReq("pvc-restore", 4 * kMiB, {{"placementCount", "3"}});
    r.mutable_volume_content_source()->mutable_snapshot()->set_snapshot_id(
        snap.snapshot().snapshot_id());
    csi::v1::CreateVolumeResponse resp;
    grpc::Status s = CreateVolume(r, &resp);
    if (std::string(path) == "/autoplace$") {
      // Placing the extra replica failed with a server error: still a failure, cleaned up.
      EXPECT_FALSE(s.ok());
    } else {
      EXPECT_TRUE(Retryable(s.error_code())) << s.error_message();
    }
    auto mid = Summary();
    EXPECT_EQ(mid["resource_definitions"], before.at("resource_definitions"));
    EXPECT_EQ(mid["resources"], before.at("resources"));
  }
  ASSERT_TRUE(admin_->ClearFaults().ok());
  auto r = CreateReq("pvc-restore", 4 * kMiB, {{"placementCount", "3"}});
  r.mutable_volume_content_source()->mutable_snapshot()->set_snapshot_id(
      snap.snapshot().snapshot_id());
  MustCreate(r);
  EXPECT_EQ(DiskfulNodes("pvc-restore").size(), 3u);
}

TEST_F(ControllerIntegrationTest, CloneFallsBackToSnapshotAndCleansUp) {
  MustCreate(CreateReq("pvc-src", 4 * kMiB));
  ASSERT_TRUE(
      admin_
          ->AddFault(R"({"path_regex":"/clone$","method":"POST","error_rate":1,"http_status":400})")
          .ok());
  auto c = CreateReq("pvc-cl", 4 * kMiB);
  c.mutable_volume_content_source()->mutable_volume()->set_volume_id("pvc-src");
  MustCreate(c);
  EXPECT_FALSE(DiskfulNodes("pvc-cl").empty());
  EXPECT_EQ(Count("snapshots"), 0) << "the temporary snapshot is removed";
}

TEST_F(ControllerIntegrationTest, SlowCloneIsAbortedThenPickedUp) {
  IntegrationOptions o;
  o.clone_timeout = std::chrono::milliseconds(100);
  Start(o);
  MustCreate(CreateReq("pvc-src", 4 * kMiB));
  // Each status poll advances the clone; a CreateVolume polls every 5 ms for 100 ms on the fake
  // clock (21 polls), so the third attempt finds the clone done.
  ASSERT_TRUE(admin_->SetClonePolls(50).ok());
  auto slow = CreateReq("pvc-slow", 4 * kMiB);
  slow.mutable_volume_content_source()->mutable_volume()->set_volume_id("pvc-src");
  csi::v1::CreateVolumeResponse resp;
  grpc::Status s = CreateVolume(slow, &resp);
  EXPECT_EQ(s.error_code(), C::ABORTED) << s.error_message();
  int attempts = 1;
  while (s.error_code() == C::ABORTED && attempts < 20) {
    s = CreateVolume(slow, &resp);
    ++attempts;
  }
  ASSERT_TRUE(s.ok()) << s.error_message();
  EXPECT_EQ(attempts, 3);
  EXPECT_EQ(resp.volume().content_source().volume().volume_id(), "pvc-src");
  EXPECT_EQ(client_->GetResourceDefinition("pvc-slow")->props.count("Aux/csi-incomplete"), 0u);
  EXPECT_EQ(Count("resource_definitions"), 2);
}

TEST_F(ControllerIntegrationTest, OutagesAreUnavailableAndConverge) {
  MustCreate(CreateReq("pvc-o", kMiB));
  ASSERT_TRUE(
      admin_->AddFault(R"({"path_regex":"^/v1/resource-definitions","error_rate":1,"drop_rate":1})")
          .ok());
  grpc::Status del = DeleteVolume("pvc-o");
  EXPECT_EQ(del.error_code(), C::UNAVAILABLE) << del.error_message();
  csi::v1::ControllerPublishVolumeResponse pub;
  EXPECT_EQ(Publish(PublishReq("pvc-o", "sat-delta"), &pub).error_code(), C::UNAVAILABLE);
  ASSERT_TRUE(admin_->ClearFaults().ok());
  ASSERT_TRUE(DeleteVolume("pvc-o").ok());
  EXPECT_EQ(Count("resource_definitions"), 0);
  EXPECT_EQ(Count("resources"), 0);
}

TEST_F(ControllerIntegrationTest, SnapshotFaultThenRetry) {
  MustCreate(CreateReq("pvc-s", kMiB));
  ASSERT_TRUE(
      admin_
          ->AddFault(
              R"({"path_regex":"/snapshots$","method":"POST","error_rate":1,"http_status":503,"phase":"after","count":1})")
          .ok());
  csi::v1::CreateSnapshotResponse snap;
  EXPECT_TRUE(Retryable(CreateSnapshot("snap-r", "pvc-s", &snap).error_code()));
  ASSERT_TRUE(CreateSnapshot("snap-r", "pvc-s", &snap).ok());
  EXPECT_TRUE(snap.snapshot().ready_to_use());
  EXPECT_EQ(Count("snapshots"), 1);
}

TEST_F(ControllerIntegrationTest, DeleteWithSnapshotsWhileAttachedDisklessly) {
  MustCreate(CreateReq("pvc-att", kMiB));
  csi::v1::ControllerPublishVolumeResponse pub;
  ASSERT_TRUE(Publish(PublishReq("pvc-att", "sat-delta"), &pub).ok());
  csi::v1::CreateSnapshotResponse snap;
  ASSERT_TRUE(CreateSnapshot("snap-att", "pvc-att", &snap).ok());
  // The CO normally unpublishes first; a forced delete must still free every replica.
  ASSERT_TRUE(DeleteVolume("pvc-att").ok());
  EXPECT_EQ(Count("resources"), 0);
  EXPECT_EQ(Count("resource_definitions"), 1);
  ASSERT_TRUE(DeleteSnapshot(snap.snapshot().snapshot_id()).ok());
  EXPECT_EQ(Count("resource_definitions"), 0);
}

TEST_F(ControllerIntegrationTest, OfflineNodeMakesTheVolumeAbnormal) {
  MustCreate(CreateReq("pvc-h", kMiB, {{"placementCount", "2"}}));
  const std::string node = DiskfulNodes("pvc-h").front();
  ASSERT_TRUE(admin_->SetNodeOnline(node, false).ok());
  csi::v1::ControllerGetVolumeRequest req;
  req.set_volume_id("pvc-h");
  csi::v1::ControllerGetVolumeResponse resp;
  ASSERT_TRUE(Call(ctl_.get(), &Stub::ControllerGetVolume, req, &resp).ok());
  EXPECT_TRUE(resp.status().volume_condition().abnormal());
  EXPECT_THAT(resp.status().volume_condition().message(), HasSubstr(node));
  csi::v1::ListVolumesResponse list;
  ASSERT_TRUE(Call(ctl_.get(), &Stub::ListVolumes, csi::v1::ListVolumesRequest{}, &list).ok());
  ASSERT_EQ(list.entries_size(), 1);
  EXPECT_TRUE(list.entries(0).status().volume_condition().abnormal());
  ASSERT_TRUE(admin_->SetNodeOnline(node, true).ok());
  ASSERT_TRUE(Call(ctl_.get(), &Stub::ControllerGetVolume, req, &resp).ok());
  EXPECT_FALSE(resp.status().volume_condition().abnormal())
      << resp.status().volume_condition().message();
}

// Runs `call` from `n` threads at once; returns the codes.
std::vector<grpc::StatusCode> Concurrently(int n, const std::function<grpc::Status()>& call) {
  std::vector<grpc::StatusCode> codes(n);
  std::atomic<int> ready{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < n; ++i) {
    threads.emplace_back([&, i] {
      ++ready;
      while (ready.load() < n) std::this_thread::yield();
      codes[i] = call().error_code();
    });
  }
  for (auto& t : threads) t.join();
  return codes;
}

void ExpectOkOrAborted(const std::vector<grpc::StatusCode>& codes, const std::string& what) {
  int ok = 0;
  for (auto c : codes) {
    EXPECT_TRUE(c == C::OK || c == C::ABORTED) << what << ": code " << c;
    ok += c == C::OK ? 1 : 0;
  }
  EXPECT_GE(ok, 1) << what;
}

TEST_F(ControllerIntegrationTest, ConcurrentCallsOnOneVolume) {
  // Slow LINSTOR so that the calls overlap.
  ASSERT_TRUE(admin_->AddFault(R"({"path_regex":"^/v1/","latency_ms":50})").ok());
  auto req = CreateReq("pvc-c", kMiB, {{"placementCount", "2"}});
  ExpectOkOrAborted(Concurrently(6,
                                 [&] {
                                   csi::v1::CreateVolumeResponse resp;
                                   return CreateVolume(req, &resp);
                                 }),
                    "CreateVolume");
  MustCreate(req);  // the CO's retry
  EXPECT_EQ(DiskfulNodes("pvc-c").size(), 2u);

  ExpectOkOrAborted(Concurrently(4,
                                 [&] {
                                   csi::v1::ControllerPublishVolumeResponse resp;
                                   return Publish(PublishReq("pvc-c", "sat-delta"), &resp);
                                 }),
                    "ControllerPublishVolume");
  ExpectOkOrAborted(Concurrently(4,
                                 [&] {
                                   csi::v1::CreateSnapshotResponse resp;
                                   return CreateSnapshot("snap-c", "pvc-c", &resp);
                                 }),
                    "CreateSnapshot");
  csi::v1::CreateSnapshotResponse snap;
  ASSERT_TRUE(CreateSnapshot("snap-c", "pvc-c", &snap).ok());
  EXPECT_EQ(Count("snapshots"), 1);
  ExpectOkOrAborted(Concurrently(4, [&] { return Unpublish("pvc-c", "sat-delta"); }),
                    "ControllerUnpublishVolume");
  ASSERT_TRUE(Unpublish("pvc-c", "sat-delta").ok());
  ExpectOkOrAborted(Concurrently(4, [&] { return DeleteSnapshot(snap.snapshot().snapshot_id()); }),
                    "DeleteSnapshot");
  ExpectOkOrAborted(Concurrently(4, [&] { return DeleteVolume("pvc-c"); }), "DeleteVolume");
  ASSERT_TRUE(DeleteVolume("pvc-c").ok());
  auto summary = Summary();
  EXPECT_EQ(summary["resource_definitions"], 0);
  EXPECT_EQ(summary["snapshots"], 0);
  EXPECT_EQ(summary["resources"], 0);
}

TEST_F(ControllerIntegrationTest, DifferentVolumesProceedInParallel) {
  std::vector<std::thread> threads;
  std::vector<grpc::StatusCode> codes(8);
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&, i] {
      csi::v1::CreateVolumeResponse resp;
      codes[i] = CreateVolume(CreateReq("pvc-p" + std::to_string(i), kMiB), &resp).error_code();
    });
  }
  for (auto& t : threads) t.join();
  for (auto c : codes) EXPECT_EQ(c, C::OK);
  EXPECT_EQ(Count("resource_definitions"), 8);
}

TEST_F(ControllerIntegrationTest, NeverTouchesWhatItDoesNotOwn) {
  // Objects of an administrator and of another installation, created directly in LINSTOR.
  linstor::ResourceGroup rg;
  rg.name = "admin-rg";
  rg.select_filter.place_count = 1;
  rg.props = {{"Aux/csi-owner", "other-installation"}};
  ASSERT_TRUE(client_->CreateResourceGroup(rg).ok());
  for (const auto& [name, owner] : std::vector<std::pair<std::string, std::string>>{
           {"pvc-theirs", "other-installation"}, {"admin-volume", ""}}) {
    linstor::ResourceGroupSpawn spawn;
    spawn.resource_definition_name = name;
    spawn.volume_sizes = {4096};
    spawn.partial = true;
    if (!owner.empty()) spawn.resource_definition_props = {{"Aux/csi-owner", owner}};
    ASSERT_TRUE(client_->Spawn("admin-rg", spawn).ok()) << name;
    linstor::SnapshotCreate sc;
    sc.resource_name = name;
    sc.name = "backup";
    ASSERT_TRUE(client_->CreateSnapshot(sc).ok());
  }
  auto snapshot_state = [this] {
    std::string out;
    auto rg = client_->GetResourceGroup("admin-rg");
    if (rg.ok()) {
      out += "rg place_count=" + std::to_string(rg->select_filter.place_count.value_or(-1));
      for (const auto& [k, v] : rg->props) out += " " + k + "=" + v;
    }
    for (const char* name : {"pvc-theirs", "admin-volume"}) {
      auto rd = client_->GetResourceDefinition(name);
      if (!rd.ok()) continue;
      out += std::string("\n") + name;
      for (const auto& [k, v] : rd->props) out += " " + k + "=" + v;
      auto vds = client_->ListVolumeDefinitions(name);
      if (vds.ok())
        for (const auto& vd : *vds) out += " size=" + std::to_string(vd.size_kib);
      auto rs = client_->ListResources(name);
      if (rs.ok())
        for (const auto& r : *rs) out += " res@" + r.node_name;
      auto ss = client_->ListSnapshots(name);
      if (ss.ok())
        for (const auto& s : *ss) out += " snap:" + s.name;
    }
    return out;
  };
  const std::string before = snapshot_state();
  ASSERT_THAT(before, HasSubstr("pvc-theirs"));
  ASSERT_THAT(before, HasSubstr("admin-volume"));

  for (const std::string id : {"pvc-theirs", "admin-volume"}) {
    SCOPED_TRACE(id);
    csi::v1::CreateVolumeResponse cresp;
    EXPECT_EQ(CreateVolume(CreateReq(id, 4 * kMiB), &cresp).error_code(), C::ALREADY_EXISTS);
    EXPECT_EQ(DeleteVolume(id).error_code(), C::FAILED_PRECONDITION);
    csi::v1::ControllerPublishVolumeResponse pub;
    EXPECT_EQ(Publish(PublishReq(id, "sat-delta"), &pub).error_code(), C::NOT_FOUND);
    EXPECT_TRUE(Unpublish(id, "sat-alpha").ok());
    csi::v1::ControllerExpandVolumeRequest exp;
    exp.set_volume_id(id);
    exp.mutable_capacity_range()->set_required_bytes(64 * kMiB);
    csi::v1::ControllerExpandVolumeResponse eresp;
    EXPECT_EQ(Call(ctl_.get(), &Stub::ControllerExpandVolume, exp, &eresp).error_code(),
              C::NOT_FOUND);
    csi::v1::ControllerModifyVolumeRequest mod;
    mod.set_volume_id(id);
    (*mod.mutable_mutable_parameters())["DrbdOptions/Net/protocol"] = "A";
    csi::v1::ControllerModifyVolumeResponse mresp;
    EXPECT_EQ(Call(ctl_.get(), &Stub::ControllerModifyVolume, mod, &mresp).error_code(),
              C::NOT_FOUND);
    csi::v1::CreateSnapshotResponse sresp;
    EXPECT_EQ(CreateSnapshot("snap-" + id, id, &sresp).error_code(), C::NOT_FOUND);
    EXPECT_EQ(DeleteSnapshot(id + "/backup").error_code(), C::FAILED_PRECONDITION);
    auto restore = CreateReq("pvc-r-" + id, 4 * kMiB);
    restore.mutable_volume_content_source()->mutable_snapshot()->set_snapshot_id(id + "/backup");
    EXPECT_EQ(CreateVolume(restore, &cresp).error_code(), C::NOT_FOUND);
    auto clone = CreateReq("pvc-c-" + id, 4 * kMiB);
    clone.mutable_volume_content_source()->mutable_volume()->set_volume_id(id);
    EXPECT_EQ(CreateVolume(clone, &cresp).error_code(), C::NOT_FOUND);
  }
  // An explicit foreign resource group is used as it is.
  MustCreate(CreateReq(
      "pvc-in-admin-rg", 4 * kMiB,
      {{"resourceGroup", "admin-rg"}, {"placementCount", "3"}, {"DrbdOptions/Net/protocol", "A"}}));
  ASSERT_TRUE(DeleteVolume("pvc-in-admin-rg").ok());

  csi::v1::ListVolumesResponse list;
  ASSERT_TRUE(Call(ctl_.get(), &Stub::ListVolumes, csi::v1::ListVolumesRequest{}, &list).ok());
  EXPECT_EQ(list.entries_size(), 0);
  csi::v1::ListSnapshotsResponse snaps;
  ASSERT_TRUE(Call(ctl_.get(), &Stub::ListSnapshots, csi::v1::ListSnapshotsRequest{}, &snaps).ok());
  EXPECT_EQ(snaps.entries_size(), 0);
  EXPECT_EQ(snapshot_state(), before) << "foreign objects changed";
}

TEST_F(ControllerIntegrationTest, TwoInstallationsShareOneCluster) {
  MustCreate(CreateReq("pvc-one", kMiB));
  // A second installation with its own owner id, on the same LINSTOR.
  ControllerOptions o;
  o.driver_name = kDriver;
  o.owner_id = "second-installation";
  Controller second(o, client_.get());
  csi::v1::ListVolumesResponse list;
  ASSERT_TRUE(second.ListVolumes({}, &list).ok());
  EXPECT_EQ(list.entries_size(), 0);
  csi::v1::DeleteVolumeRequest del;
  del.set_volume_id("pvc-one");
  EXPECT_EQ(second.DeleteVolume(del).code(), Code::kFailedPrecondition);
  csi::v1::CreateVolumeResponse resp;
  ASSERT_TRUE(second.CreateVolume(CreateReq("pvc-two", kMiB), &resp).ok());
  auto mine = client_->GetResourceDefinition("pvc-one");
  auto theirs = client_->GetResourceDefinition("pvc-two");
  ASSERT_TRUE(mine.ok() && theirs.ok());
  EXPECT_NE(mine->resource_group_name, theirs->resource_group_name)
      << "same parameters, different owners: separate resource groups";
  ASSERT_TRUE(Call(ctl_.get(), &Stub::ListVolumes, csi::v1::ListVolumesRequest{}, &list).ok());
  ASSERT_EQ(list.entries_size(), 1);
  EXPECT_EQ(list.entries(0).volume().volume_id(), "pvc-one");
}

}  // namespace
}  // namespace lcsi::controller::testing
