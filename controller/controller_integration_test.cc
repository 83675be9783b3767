// Every Controller/GroupController RPC through the real gRPC server, the HTTP client and
// linstor-sim: the happy paths, the request count of a warm CreateVolume, and the error table.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <cstdio>

#include "controller/controller_integration_fixture.h"

namespace lcsi::controller::testing {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using Mode = csi::v1::VolumeCapability::AccessMode;
using Stub = csi::v1::Controller::Stub;
using GStub = csi::v1::GroupController::Stub;

TEST_F(ControllerIntegrationTest, IdentityAndCapabilities) {
  csi::v1::GetPluginCapabilitiesResponse caps;
  ASSERT_TRUE(Call(identity_stub_.get(), &csi::v1::Identity::Stub::GetPluginCapabilities,
                   csi::v1::GetPluginCapabilitiesRequest{}, &caps)
                  .ok());
  std::set<int> services;
  bool online_expansion = false;
  for (const auto& c : caps.capabilities()) {
    if (c.has_service()) services.insert(c.service().type());
    if (c.has_volume_expansion()) {
      online_expansion =
          c.volume_expansion().type() == csi::v1::PluginCapability::VolumeExpansion::ONLINE;
    }
  }
  using Service = csi::v1::PluginCapability::Service;
  EXPECT_EQ(services,
            (std::set<int>{Service::CONTROLLER_SERVICE, Service::VOLUME_ACCESSIBILITY_CONSTRAINTS,
                           Service::GROUP_CONTROLLER_SERVICE}));
  EXPECT_TRUE(online_expansion);

  csi::v1::ControllerGetCapabilitiesResponse ccaps;
  ASSERT_TRUE(Call(ctl_.get(), &Stub::ControllerGetCapabilities,
                   csi::v1::ControllerGetCapabilitiesRequest{}, &ccaps)
                  .ok());
  std::set<int> rpcs;
  for (const auto& c : ccaps.capabilities()) rpcs.insert(c.rpc().type());
  using R = csi::v1::ControllerServiceCapability::RPC;
  for (auto want :
       {R::CREATE_DELETE_VOLUME, R::PUBLISH_UNPUBLISH_VOLUME, R::LIST_VOLUMES, R::GET_CAPACITY,
        R::CREATE_DELETE_SNAPSHOT, R::LIST_SNAPSHOTS, R::CLONE_VOLUME, R::PUBLISH_READONLY,
        R::EXPAND_VOLUME, R::LIST_VOLUMES_PUBLISHED_NODES, R::VOLUME_CONDITION, R::GET_VOLUME,
        R::SINGLE_NODE_MULTI_WRITER, R::MODIFY_VOLUME, R::GET_SNAPSHOT}) {
    EXPECT_TRUE(rpcs.count(want)) << R::Type_Name(want);
  }
  csi::v1::GroupControllerGetCapabilitiesResponse gcaps;
  ASSERT_TRUE(Call(group_.get(), &GStub::GroupControllerGetCapabilities,
                   csi::v1::GroupControllerGetCapabilitiesRequest{}, &gcaps)
                  .ok());
  ASSERT_EQ(gcaps.capabilities_size(), 1);

  csi::v1::ProbeResponse probe;
  ASSERT_TRUE(
      Call(identity_stub_.get(), &csi::v1::Identity::Stub::Probe, csi::v1::ProbeRequest{}, &probe)
          .ok());
  EXPECT_TRUE(probe.ready().value());
}

TEST_F(ControllerIntegrationTest, ProbeIsNotReadyWhileLinstorIsDown) {
  sim_->server().Stop();
  csi::v1::ProbeResponse probe;
  ASSERT_TRUE(
      Call(identity_stub_.get(), &csi::v1::Identity::Stub::Probe, csi::v1::ProbeRequest{}, &probe)
          .ok());
  EXPECT_FALSE(probe.ready().value());
  csi::v1::CreateVolumeResponse resp;
  grpc::Status s = CreateVolume(CreateReq("pvc-down", kMiB), &resp);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::UNAVAILABLE) << s.error_message();
}

TEST_F(ControllerIntegrationTest, VolumeLifecycle) {
  auto req = CreateReq("pvc-life", 64 * kMiB,
                       {{"linstor-cpp.csi.io/placementCount", "2"},
                        {"linstor-cpp.csi.io/storagePool", "pool1"},
                        {"linstor-cpp.csi.io/mountOpts", "noatime"},
                        {"linstor.csi.linbit.com/DrbdOptions/Net/max-buffers", "4000"},
                        {"csi.storage.k8s.io/pvc/name", "data"},
                        {"csi.storage.k8s.io/pvc/namespace", "default"}});
  auto v = MustCreate(req);
  EXPECT_EQ(v.volume_id(), "pvc-life");
  EXPECT_EQ(v.capacity_bytes(), 64 * kMiB);
  EXPECT_EQ(v.volume_context().at("linstor-cpp.csi.io/mountOpts"), "noatime");
  const auto diskful = DiskfulNodes("pvc-life");
  ASSERT_EQ(diskful.size(), 2u);
  auto rd = client_->GetResourceDefinition("pvc-life");
  ASSERT_TRUE(rd.ok());
  EXPECT_EQ(rd->props.at("Aux/csi-owner"), "it-owner");
  EXPECT_EQ(rd->props.at("Aux/csi-pvc-name"), "data");
  auto rg = client_->GetResourceGroup(rd->resource_group_name);
  ASSERT_TRUE(rg.ok());
  EXPECT_EQ(rg->props.at("DrbdOptions/Net/max-buffers"), "4000");
  EXPECT_EQ(rg->props.at("Aux/csi-owner"), "it-owner");

  csi::v1::ValidateVolumeCapabilitiesRequest vreq;
  vreq.set_volume_id("pvc-life");
  *vreq.add_volume_capabilities() = BlockCap(Mode::SINGLE_NODE_MULTI_WRITER);
  csi::v1::ValidateVolumeCapabilitiesResponse vresp;
  ASSERT_TRUE(Call(ctl_.get(), &Stub::ValidateVolumeCapabilities, vreq, &vresp).ok());
  EXPECT_TRUE(vresp.has_confirmed());

  // Publish on a diskful node and on the diskless-only node.
  csi::v1::ControllerPublishVolumeResponse pub;
  auto preq = PublishReq("pvc-life", diskful[0]);
  *preq.mutable_volume_capability() = MountCap(Mode::MULTI_NODE_READER_ONLY);
  preq.set_readonly(true);
  ASSERT_TRUE(Publish(preq, &pub).ok());
  EXPECT_THAT(pub.publish_context().at("devicePath"), HasSubstr("/dev/drbd"));
  preq.set_node_id("sat-delta");
  ASSERT_TRUE(Publish(preq, &pub).ok());
  auto delta = client_->GetResource("pvc-life", "sat-delta");
  ASSERT_TRUE(delta.ok());
  EXPECT_TRUE(delta->IsDiskless());

  csi::v1::ControllerGetVolumeRequest greq;
  greq.set_volume_id("pvc-life");
  csi::v1::ControllerGetVolumeResponse gresp;
  ASSERT_TRUE(Call(ctl_.get(), &Stub::ControllerGetVolume, greq, &gresp).ok());
  EXPECT_THAT(gresp.status().published_node_ids(), ElementsAre(diskful[0], "sat-delta"));
  EXPECT_FALSE(gresp.status().volume_condition().abnormal())
      << gresp.status().volume_condition().message();

  csi::v1::ListVolumesResponse list;
  ASSERT_TRUE(Call(ctl_.get(), &Stub::ListVolumes, csi::v1::ListVolumesRequest{}, &list).ok());
  ASSERT_EQ(list.entries_size(), 1);
  EXPECT_EQ(list.entries(0).status().published_node_ids_size(), 2);

  csi::v1::ControllerExpandVolumeRequest ereq;
  ereq.set_volume_id("pvc-life");
  ereq.mutable_capacity_range()->set_required_bytes(128 * kMiB);
  *ereq.mutable_volume_capability() = MountCap();
  csi::v1::ControllerExpandVolumeResponse eresp;
  ASSERT_TRUE(Call(ctl_.get(), &Stub::ControllerExpandVolume, ereq, &eresp).ok());
  EXPECT_EQ(eresp.capacity_bytes(), 128 * kMiB);
  EXPECT_TRUE(eresp.node_expansion_required());
  EXPECT_EQ(client_->ListVolumeDefinitions("pvc-life")->at(0).size_kib, 128 * 1024);

  csi::v1::ControllerModifyVolumeRequest mreq;
  mreq.set_volume_id("pvc-life");
  (*mreq.mutable_mutable_parameters())["linstor-cpp.csi.io/placementCount"] = "3";
  (*mreq.mutable_mutable_parameters())["linstor-cpp.csi.io/DrbdOptions/Net/protocol"] = "C";
  csi::v1::ControllerModifyVolumeResponse mresp;
  ASSERT_TRUE(Call(ctl_.get(), &Stub::ControllerModifyVolume, mreq, &mresp).ok());
  EXPECT_EQ(DiskfulNodes("pvc-life").size(), 3u);
  EXPECT_EQ(client_->GetResourceDefinition("pvc-life")->props.at("DrbdOptions/Net/protocol"), "C");

  ASSERT_TRUE(Unpublish("pvc-life", "sat-delta").ok());
  EXPECT_TRUE(client_->GetResource("pvc-life", "sat-delta").IsNotFound());
  ASSERT_TRUE(Unpublish("pvc-life", diskful[0]).ok());
  EXPECT_EQ(DiskfulNodes("pvc-life").size(), 3u);
  ASSERT_TRUE(DeleteVolume("pvc-life").ok());
  EXPECT_TRUE(client_->GetResourceDefinition("pvc-life").IsNotFound());
  EXPECT_EQ(Count("resources"), 0);
}

TEST_F(ControllerIntegrationTest, WarmCreateVolumeRequestCount) {
  // The first volume of a class creates its resource group; later ones are warm.
  MustCreate(CreateReq("pvc-cold", kMiB, {{"placementCount", "2"}}));
  MustCreate(CreateReq("pvc-cold-l", kMiB,
                       {{"placementCount", "2"}, {"allowRemoteVolumeAccess", "false"}}));
  constexpr int kVolumes = 5;
  int64_t remote_total = 0, local_total = 0;
  for (int i = 0; i < kVolumes; ++i) {
    ASSERT_TRUE(admin_->ResetCounters().ok());
    MustCreate(CreateReq("pvc-warm-" + std::to_string(i), kMiB, {{"placementCount", "2"}}));
    auto c = Counters();
    remote_total += Total(c);
    EXPECT_EQ(c["POST /v1/resource-groups/{resource_group}/spawn"], 1);
    ASSERT_TRUE(admin_->ResetCounters().ok());
    MustCreate(CreateReq("pvc-warm-l-" + std::to_string(i), kMiB,
                         {{"placementCount", "2"}, {"allowRemoteVolumeAccess", "false"}}));
    local_total += Total(Counters());
  }
  std::printf(
      "[ MEASURED ] LINSTOR requests per warm CreateVolume: %.2f (remote access allowed), "
      "%.2f (allowRemoteVolumeAccess=false)\n",
      static_cast<double>(remote_total) / kVolumes, static_cast<double>(local_total) / kVolumes);
  EXPECT_EQ(remote_total, kVolumes * 1);
  EXPECT_EQ(local_total, kVolumes * 2);
}

TEST_F(ControllerIntegrationTest, TopologyAndAccessibleTopology) {
  auto req = CreateReq("pvc-topo", kMiB, {{"allowRemoteVolumeAccess", "false"}});
  auto* reqs = req.mutable_accessibility_requirements();
  (*reqs->add_requisite()->mutable_segments())["zone"] = "zone-b";
  auto v = MustCreate(req);
  EXPECT_THAT(DiskfulNodes("pvc-topo"), ElementsAre("sat-bravo"));
  ASSERT_EQ(v.accessible_topology_size(), 1);
  EXPECT_EQ(v.accessible_topology(0).segments().at(kNodeKey), "sat-bravo");

  csi::v1::ControllerPublishVolumeResponse pub;
  grpc::Status s = Publish(PublishReq("pvc-topo", "sat-alpha"), &pub);
  EXPECT_EQ(s.error_code(), grpc::StatusCode::FAILED_PRECONDITION) << s.error_message();
  EXPECT_TRUE(client_->GetResource("pvc-topo", "sat-alpha").IsNotFound());
  ASSERT_TRUE(Publish(PublishReq("pvc-topo", "sat-bravo"), &pub).ok());

  auto pref = CreateReq("pvc-pref", kMiB, {{"allowRemoteVolumeAccess", "false"}});
  for (const char* n : {"sat-alpha", "sat-bravo", "sat-charlie"}) {
    (*pref.mutable_accessibility_requirements()->add_requisite()->mutable_segments())[kNodeKey] = n;
  }
  (*pref.mutable_accessibility_requirements()->add_preferred()->mutable_segments())[kNodeKey] =
      "sat-charlie";
  auto pv = MustCreate(pref);
  EXPECT_THAT(DiskfulNodes("pvc-pref"), ElementsAre("sat-charlie"));
}

TEST_F(ControllerIntegrationTest, GetCapacity) {
  csi::v1::GetCapacityRequest req;
  csi::v1::GetCapacityResponse resp;
  ASSERT_TRUE(Call(ctl_.get(), &Stub::GetCapacity, req, &resp).ok());
  EXPECT_GT(resp.available_capacity(), 0);
  EXPECT_GT(resp.maximum_volume_size().value(), 0);
  EXPECT_LE(resp.maximum_volume_size().value(), 10LL * 1024 * 1024 * 1024);

  (*req.mutable_parameters())["allowRemoteVolumeAccess"] = "false";
  (*req.mutable_accessible_topology()->mutable_segments())[kNodeKey] = "sat-delta";
  ASSERT_TRUE(Call(ctl_.get(), &Stub::GetCapacity, req, &resp).ok());
  EXPECT_EQ(resp.maximum_volume_size().value(), 0) << "no storage on the diskless node";
  (*req.mutable_accessible_topology()->mutable_segments())[kNodeKey] = "sat-alpha";
  ASSERT_TRUE(Call(ctl_.get(), &Stub::GetCapacity, req, &resp).ok());
  EXPECT_GT(resp.maximum_volume_size().value(), 0);
  (*req.mutable_parameters())["nope"] = "1";
  EXPECT_EQ(Call(ctl_.get(), &Stub::GetCapacity, req, &resp).error_code(),
            grpc::StatusCode::INVALID_ARGUMENT);
}

TEST_F(ControllerIntegrationTest, SnapshotsRestoreCloneAndPagination) {
  MustCreate(CreateReq("pvc-src", 16 * kMiB, {{"placementCount", "2"}}));
  csi::v1::CreateSnapshotResponse s1, s2, s1again;
  ASSERT_TRUE(CreateSnapshot("snap-1", "pvc-src", &s1).ok());
  ASSERT_TRUE(CreateSnapshot("snap-2", "pvc-src", &s2).ok());
  ASSERT_TRUE(CreateSnapshot("snap-1", "pvc-src", &s1again).ok());
  EXPECT_EQ(s1.snapshot().snapshot_id(), s1again.snapshot().snapshot_id());
  EXPECT_TRUE(s1.snapshot().ready_to_use());
  EXPECT_EQ(s1.snapshot().size_bytes(), 16 * kMiB);

  // Restore from the older snapshot into a larger volume with a different placement.
  auto r = CreateReq("pvc-restored", 32 * kMiB, {{"placementCount", "3"}});
  r.mutable_volume_content_source()->mutable_snapshot()->set_snapshot_id(
      s1.snapshot().snapshot_id());
  auto restored = MustCreate(r);
  EXPECT_EQ(restored.capacity_bytes(), 32 * kMiB);
  EXPECT_EQ(DiskfulNodes("pvc-restored").size(), 3u);
  EXPECT_EQ(client_->GetResourceDefinition("pvc-restored")->props.count("Aux/csi-incomplete"), 0u);

  auto c = CreateReq("pvc-clone", 16 * kMiB);
  c.mutable_volume_content_source()->mutable_volume()->set_volume_id("pvc-src");
  auto clone = MustCreate(c);
  EXPECT_EQ(clone.content_source().volume().volume_id(), "pvc-src");
  EXPECT_FALSE(DiskfulNodes("pvc-clone").empty());

  // ListSnapshots pages and GetSnapshot.
  std::vector<std::string> ids;
  std::string token;
  do {
    csi::v1::ListSnapshotsRequest lreq;
    lreq.set_max_entries(1);
    lreq.set_starting_token(token);
    csi::v1::ListSnapshotsResponse lresp;
    ASSERT_TRUE(Call(ctl_.get(), &Stub::ListSnapshots, lreq, &lresp).ok());
    for (const auto& e : lresp.entries()) ids.push_back(e.snapshot().snapshot_id());
    token = lresp.next_token();
  } while (!token.empty());
  EXPECT_THAT(ids, ElementsAre("pvc-src/snap-1", "pvc-src/snap-2"));
  csi::v1::GetSnapshotRequest get;
  get.set_snapshot_id("pvc-src/snap-2");
  csi::v1::GetSnapshotResponse got;
  ASSERT_TRUE(Call(ctl_.get(), &Stub::GetSnapshot, get, &got).ok());
  EXPECT_EQ(got.snapshot().source_volume_id(), "pvc-src");

  // The source goes; its snapshots keep it hidden until the last one is deleted.
  ASSERT_TRUE(DeleteVolume("pvc-src").ok());
  csi::v1::ListVolumesResponse list;
  ASSERT_TRUE(Call(ctl_.get(), &Stub::ListVolumes, csi::v1::ListVolumesRequest{}, &list).ok());
  for (const auto& e : list.entries()) EXPECT_NE(e.volume().volume_id(), "pvc-src");
  EXPECT_TRUE(client_->GetResourceDefinition("pvc-src").ok());
  auto late = CreateReq("pvc-late", 16 * kMiB);
  late.mutable_volume_content_source()->mutable_snapshot()->set_snapshot_id("pvc-src/snap-2");
  MustCreate(late);
  ASSERT_TRUE(DeleteSnapshot("pvc-src/snap-1").ok());
  ASSERT_TRUE(DeleteSnapshot("pvc-src/snap-2").ok());
  EXPECT_TRUE(client_->GetResourceDefinition("pvc-src").IsNotFound());
  ASSERT_TRUE(DeleteSnapshot("pvc-src/snap-2").ok());
  for (const char* v : {"pvc-restored", "pvc-clone", "pvc-late"}) ASSERT_TRUE(DeleteVolume(v).ok());
  auto summary = Summary();
  EXPECT_EQ(summary["resource_definitions"], 0);
  EXPECT_EQ(summary["snapshots"], 0);
}

TEST_F(ControllerIntegrationTest, GroupSnapshots) {
  MustCreate(CreateReq("pvc-g1", kMiB));
  MustCreate(CreateReq("pvc-g2", 2 * kMiB));
  csi::v1::CreateVolumeGroupSnapshotRequest req;
  req.set_name("groupsnap-1");
  req.add_source_volume_ids("pvc-g1");
  req.add_source_volume_ids("pvc-g2");
  csi::v1::CreateVolumeGroupSnapshotResponse resp;
  ASSERT_TRUE(Call(group_.get(), &GStub::CreateVolumeGroupSnapshot, req, &resp).ok());
  const auto& g = resp.group_snapshot();
  EXPECT_TRUE(g.ready_to_use());
  ASSERT_EQ(g.snapshots_size(), 2);
  auto counters = Counters();
  EXPECT_EQ(counters["POST /v1/actions/snapshot/multi"], 1) << "one atomic multi-snapshot";
  csi::v1::CreateVolumeGroupSnapshotResponse again;
  ASSERT_TRUE(Call(group_.get(), &GStub::CreateVolumeGroupSnapshot, req, &again).ok());
  EXPECT_EQ(again.group_snapshot().group_snapshot_id(), g.group_snapshot_id());

  csi::v1::GetVolumeGroupSnapshotRequest get;
  get.set_group_snapshot_id(g.group_snapshot_id());
  for (const auto& s : g.snapshots()) get.add_snapshot_ids(s.snapshot_id());
  csi::v1::GetVolumeGroupSnapshotResponse got;
  ASSERT_TRUE(Call(group_.get(), &GStub::GetVolumeGroupSnapshot, get, &got).ok());
  EXPECT_EQ(got.group_snapshot().snapshots_size(), 2);

  auto restore = CreateReq("pvc-from-group", 2 * kMiB);
  restore.mutable_volume_content_source()->mutable_snapshot()->set_snapshot_id(
      g.snapshots(1).snapshot_id());
  MustCreate(restore);

  csi::v1::DeleteVolumeGroupSnapshotRequest del;
  del.set_group_snapshot_id(g.group_snapshot_id());
  for (const auto& s : g.snapshots()) del.add_snapshot_ids(s.snapshot_id());
  csi::v1::DeleteVolumeGroupSnapshotResponse dresp;
  ASSERT_TRUE(Call(group_.get(), &GStub::DeleteVolumeGroupSnapshot, del, &dresp).ok());
  ASSERT_TRUE(Call(group_.get(), &GStub::DeleteVolumeGroupSnapshot, del, &dresp).ok());
  EXPECT_EQ(Count("snapshots"), 0);
  EXPECT_EQ(Call(group_.get(), &GStub::GetVolumeGroupSnapshot, get, &got).error_code(),
            grpc::StatusCode::NOT_FOUND);
}

// The error table: one row per documented error path.
TEST_F(ControllerIntegrationTest, ErrorTable) {
  MustCreate(CreateReq("pvc-e", 4 * kMiB));
  csi::v1::CreateSnapshotResponse snap;
  ASSERT_TRUE(CreateSnapshot("snap-e", "pvc-e", &snap).ok());
  MustCreate(CreateReq("pvc-other", kMiB));
  struct Row {
    std::string what;
    std::function<grpc::Status()> call;
    grpc::StatusCode want;
  };
  auto create = [this](csi::v1::CreateVolumeRequest r) {
    return [this, r] {
      csi::v1::CreateVolumeResponse resp;
      return CreateVolume(r, &resp);
    };
  };
  auto from_snapshot = [](const std::string& name, const std::string& id, int64_t limit) {
    auto r = CreateReq(name, 0);
    r.mutable_volume_content_source()->mutable_snapshot()->set_snapshot_id(id);
    if (limit > 0) r.mutable_capacity_range()->set_limit_bytes(limit);
    return r;
  };
  auto from_volume = [](const std::string& name, const std::string& id) {
    auto r = CreateReq(name, 0);
    r.mutable_volume_content_source()->mutable_volume()->set_volume_id(id);
    return r;
  };
  auto limited = CreateReq("pvc-range", 2 * kMiB);
  limited.mutable_capacity_range()->set_limit_bytes(kMiB);
  auto mnmw = CreateReq("pvc-mnmw", kMiB);
  *mnmw.mutable_volume_capabilities(0) = MountCap(Mode::MULTI_NODE_MULTI_WRITER);
  auto too_many = CreateReq("pvc-many", kMiB, {{"placementCount", "4"}});
  auto too_big = CreateReq("pvc-huge", 100LL * 1024 * 1024 * 1024);
  auto publish = [this](csi::v1::ControllerPublishVolumeRequest r) {
    return [this, r] {
      csi::v1::ControllerPublishVolumeResponse resp;
      return Publish(r, &resp);
    };
  };
  auto expand = [this](const std::string& id, int64_t required, int64_t limit) {
    return [this, id, required, limit] {
      csi::v1::ControllerExpandVolumeRequest r;
      r.set_volume_id(id);
      r.mutable_capacity_range()->set_required_bytes(required);
      r.mutable_capacity_range()->set_limit_bytes(limit);
      csi::v1::ControllerExpandVolumeResponse resp;
      return Call(ctl_.get(), &Stub::ControllerExpandVolume, r, &resp);
    };
  };
  auto modify = [this](const std::string& id, const std::string& key) {
    return [this, id, key] {
      csi::v1::ControllerModifyVolumeRequest r;
      r.set_volume_id(id);
      (*r.mutable_mutable_parameters())[key] = "2";
      csi::v1::ControllerModifyVolumeResponse resp;
      return Call(ctl_.get(), &Stub::ControllerModifyVolume, r, &resp);
    };
  };
  auto list_volumes = [this](const std::string& token) {
    return [this, token] {
      csi::v1::ListVolumesRequest r;
      r.set_starting_token(token);
      csi::v1::ListVolumesResponse resp;
      return Call(ctl_.get(), &Stub::ListVolumes, r, &resp);
    };
  };
  auto list_snapshots = [this](const std::string& token) {
    return [this, token] {
      csi::v1::ListSnapshotsRequest r;
      r.set_starting_token(token);
      csi::v1::ListSnapshotsResponse resp;
      return Call(ctl_.get(), &Stub::ListSnapshots, r, &resp);
    };
  };
  auto get_volume = [this](const std::string& id) {
    return [this, id] {
      csi::v1::ControllerGetVolumeRequest r;
      r.set_volume_id(id);
      csi::v1::ControllerGetVolumeResponse resp;
      return Call(ctl_.get(), &Stub::ControllerGetVolume, r, &resp);
    };
  };
  auto get_snapshot = [this](const std::string& id) {
    return [this, id] {
      csi::v1::GetSnapshotRequest r;
      r.set_snapshot_id(id);
      csi::v1::GetSnapshotResponse resp;
      return Call(ctl_.get(), &Stub::GetSnapshot, r, &resp);
    };
  };
  auto validate = [this](const std::string& id) {
    return [this, id] {
      csi::v1::ValidateVolumeCapabilitiesRequest r;
      r.set_volume_id(id);
      *r.add_volume_capabilities() = MountCap();
      csi::v1::ValidateVolumeCapabilitiesResponse resp;
      return Call(ctl_.get(), &Stub::ValidateVolumeCapabilities, r, &resp);
    };
  };
  auto snapshot = [this](const std::string& name, const std::string& vol) {
    return [this, name, vol] {
      csi::v1::CreateSnapshotResponse resp;
      return CreateSnapshot(name, vol, &resp);
    };
  };
  auto ro_publish = PublishReq("pvc-e", "sat-delta", true);
  using C = grpc::StatusCode;
  std::vector<Row> rows = {
      {"CreateVolume without name", create(CreateReq("", kMiB)), C::INVALID_ARGUMENT},
      {"CreateVolume unknown parameter", create(CreateReq("pvc-x", kMiB, {{"bogus", "1"}})),
       C::INVALID_ARGUMENT},
      {"CreateVolume unsupported access mode", create(mnmw), C::INVALID_ARGUMENT},
      {"CreateVolume required > limit", create(limited), C::OUT_OF_RANGE},
      {"CreateVolume same name, other size", create(CreateReq("pvc-e", 8 * kMiB)),
       C::ALREADY_EXISTS},
      {"CreateVolume placement impossible", create(too_many), C::RESOURCE_EXHAUSTED},
      {"CreateVolume no space", create(too_big), C::RESOURCE_EXHAUSTED},
      {"CreateVolume source snapshot missing", create(from_snapshot("pvc-s", "pvc-e/nope", 0)),
       C::NOT_FOUND},
      {"CreateVolume source snapshot garbage", create(from_snapshot("pvc-s", "%%%", 0)),
       C::NOT_FOUND},
      {"CreateVolume smaller than snapshot",
       create(from_snapshot("pvc-s", snap.snapshot().snapshot_id(), kMiB)), C::OUT_OF_RANGE},
      {"CreateVolume source volume missing", create(from_volume("pvc-c", "pvc-nope")),
       C::NOT_FOUND},
      {"CreateVolume same name, other source", create(from_volume("pvc-other", "pvc-e")),
       C::ALREADY_EXISTS},
      {"DeleteVolume without id", [this] { return DeleteVolume(""); }, C::INVALID_ARGUMENT},
      {"ControllerPublish unknown volume", publish(PublishReq("pvc-nope", "sat-alpha")),
       C::NOT_FOUND},
      {"ControllerPublish unknown node", publish(PublishReq("pvc-e", "sat-nope")), C::NOT_FOUND},
      {"ControllerPublish no node id", publish(PublishReq("pvc-e", "")), C::INVALID_ARGUMENT},
      {"ControllerPublish no capability", publish([] {
         auto r = PublishReq("pvc-e", "sat-alpha");
         r.clear_volume_capability();
         return r;
       }()),
       C::INVALID_ARGUMENT},
      {"ControllerUnpublish without volume", [this] { return Unpublish("", "sat-alpha"); },
       C::INVALID_ARGUMENT},
      {"ValidateVolumeCapabilities unknown volume", validate("pvc-nope"), C::NOT_FOUND},
      {"ListVolumes bad token", list_volumes("garbage"), C::ABORTED},
      {"ListSnapshots bad token", list_snapshots("garbage"), C::ABORTED},
      {"ControllerGetVolume unknown volume", get_volume("pvc-nope"), C::NOT_FOUND},
      {"ControllerExpandVolume unknown volume", expand("pvc-nope", 8 * kMiB, 0), C::NOT_FOUND},
      {"ControllerExpandVolume below current size", expand("pvc-e", kMiB, 2 * kMiB),
       C::OUT_OF_RANGE},
      {"ControllerExpandVolume beyond the pool", expand("pvc-e", 100LL << 30, 0),
       C::RESOURCE_EXHAUSTED},
      {"ControllerModifyVolume immutable key", modify("pvc-e", "storagePool"), C::INVALID_ARGUMENT},
      {"ControllerModifyVolume unknown key", modify("pvc-e", "linstor-cpp.csi.io/nope"),
       C::INVALID_ARGUMENT},
      {"ControllerModifyVolume unknown volume", modify("pvc-nope", "placementCount"), C::NOT_FOUND},
      {"CreateSnapshot unknown volume", snapshot("snap-x", "pvc-nope"), C::NOT_FOUND},
      {"CreateSnapshot same name, other volume", snapshot("snap-e", "pvc-other"),
       C::ALREADY_EXISTS},
      {"CreateSnapshot without name", snapshot("", "pvc-e"), C::INVALID_ARGUMENT},
      {"GetSnapshot unknown", get_snapshot("pvc-e/nope"), C::NOT_FOUND},
      {"GetSnapshot garbage", get_snapshot("garbage"), C::NOT_FOUND},
  };
  for (const auto& row : rows) {
    grpc::Status s = row.call();
    EXPECT_EQ(s.error_code(), row.want) << row.what << ": " << s.error_message();
    if (row.want != C::INVALID_ARGUMENT) {
      EXPECT_FALSE(s.error_message().empty()) << row.what;
    }
  }
  // Single-node mode published elsewhere, and incompatible republish.
  csi::v1::ControllerPublishVolumeResponse pub;
  ASSERT_TRUE(Publish(PublishReq("pvc-e", "sat-delta"), &pub).ok());
  EXPECT_EQ(Publish(PublishReq("pvc-e", "sat-alpha"), &pub).error_code(), C::FAILED_PRECONDITION);
  EXPECT_EQ(Publish(ro_publish, &pub).error_code(), C::ALREADY_EXISTS);
  // Idempotent "not found" answers.
  EXPECT_TRUE(DeleteVolume("pvc-nope").ok());
  EXPECT_TRUE(DeleteSnapshot("pvc-e/nope").ok());
  EXPECT_TRUE(DeleteSnapshot("garbage").ok());
  EXPECT_TRUE(Unpublish("pvc-nope", "sat-alpha").ok());
  EXPECT_TRUE(Unpublish("pvc-e", "sat-nope").ok());
  // Messages name the object and quote LINSTOR.
  csi::v1::CreateVolumeResponse resp;
  grpc::Status s = CreateVolume(too_many, &resp);
  EXPECT_THAT(s.error_message(), HasSubstr("pvc-many"));
  EXPECT_THAT(s.error_message(), HasSubstr("LINSTOR"));
  EXPECT_TRUE(client_->GetResourceDefinition("pvc-many").IsNotFound());
}

}  // namespace
}  // namespace lcsi::controller::testing
