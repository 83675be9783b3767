// Volume RPCs of Controller against linstor-sim in process: the mapping logic, request counts,
// idempotency, error codes and ownership.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <future>
#include <thread>

#include "controller/controller_sim_fixture.h"
#include "controller/names.h"

namespace lcsi::controller::testing {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using Mode = csi::v1::VolumeCapability::AccessMode;

TEST_F(ControllerSimTest, CreateVolumeSpawnsWithOwnershipAndRoundsToKiB) {
  auto req = CreateReq("pvc-1", 10 * kMiB + 1,
                       {{"linstor-cpp.csi.io/placementCount", "2"},
                        {"linstor-cpp.csi.io/fsOpts", "-E nodiscard"},
                        {"csi.storage.k8s.io/pvc/name", "data"},
                        {"csi.storage.k8s.io/pvc/namespace", "ns1"}});
  csi::v1::Volume v = Create(req);
  EXPECT_EQ(v.volume_id(), "pvc-1");
  EXPECT_EQ(v.capacity_bytes(), 10 * kMiB + 1024);
  EXPECT_EQ(v.volume_context().at("linstor-cpp.csi.io/fsOpts"), "-E nodiscard");
  EXPECT_TRUE(v.accessible_topology().empty()) << "remote access allowed: usable everywhere";
  EXPECT_EQ(DiskfulNodes("pvc-1").size(), 2u);
  auto props = RdProps("pvc-1");
  EXPECT_EQ(props["Aux/csi-owner"], kOwner);
  EXPECT_EQ(props["Aux/csi-name"], "pvc-1");
  EXPECT_EQ(props["Aux/csi-pvc-name"], "data");
  EXPECT_EQ(props["Aux/csi-pvc-namespace"], "ns1");
  auto rd = client().GetResourceDefinition("pvc-1");
  ASSERT_TRUE(rd.ok());
  auto rg = client().GetResourceGroup(rd->resource_group_name);
  ASSERT_TRUE(rg.ok());
  EXPECT_EQ(rg->props.at("Aux/csi-owner"), kOwner);
  EXPECT_EQ(rg->select_filter.place_count, 2);
}

TEST_F(ControllerSimTest, WarmCreateIsOneLinstorRequestOrTwoWithLocalAccess) {
  Create(CreateReq("pvc-cold", kMiB, {{"placementCount", "2"}}));
  ResetCalls();
  Create(CreateReq("pvc-warm", kMiB, {{"placementCount", "2"}}));
  EXPECT_EQ(Calls(), 1);
  EXPECT_EQ(Calls(calls::kSpawn), 1);

  Create(CreateReq("pvc-cold-local", kMiB, {{"allowRemoteVolumeAccess", "false"}}));
  ResetCalls();
  auto v = Create(CreateReq("pvc-warm-local", kMiB, {{"allowRemoteVolumeAccess", "false"}}));
  EXPECT_EQ(Calls(), 2);
  EXPECT_EQ(Calls(calls::kViewResources), 1);
  ASSERT_EQ(v.accessible_topology_size(), 1);
  EXPECT_EQ(v.accessible_topology(0).segments().at("linstor-cpp.csi.io/node"),
            DiskfulNodes("pvc-warm-local").front());
}

TEST_F(ControllerSimTest, CreateIsIdempotentAndDetectsIncompatibleRepeats) {
  auto req = CreateReq("pvc-1", 5 * kMiB, {{"placementCount", "2"}});
  auto first = Create(req);
  auto second = Create(req);
  EXPECT_EQ(first.volume_id(), second.volume_id());
  EXPECT_EQ(first.capacity_bytes(), second.capacity_bytes());
  EXPECT_EQ(DiskfulNodes("pvc-1").size(), 2u);

  auto bigger = CreateReq("pvc-1", 50 * kMiB, {{"placementCount", "2"}});
  EXPECT_EQ(CreateStatus(bigger).code(), Code::kAlreadyExists);
  auto other_params = CreateReq("pvc-1", 5 * kMiB, {{"placementCount", "3"}});
  EXPECT_EQ(CreateStatus(other_params).code(), Code::kAlreadyExists);
  // A range that still includes the existing size is compatible.
  auto range = req;
  range.mutable_capacity_range()->set_required_bytes(kMiB);
  range.mutable_capacity_range()->set_limit_bytes(6 * kMiB);
  EXPECT_TRUE(CreateStatus(range).ok());
}

TEST_F(ControllerSimTest, OddNamesMapToValidLinstorNames) {
  auto v = Create(CreateReq("My Volume/with.dots", kMiB));
  EXPECT_TRUE(IsValidLinstorName(v.volume_id())) << v.volume_id();
  EXPECT_EQ(RdProps(v.volume_id())["Aux/csi-name"], "My Volume/with.dots");
  auto again = Create(CreateReq("My Volume/with.dots", kMiB));
  EXPECT_EQ(again.volume_id(), v.volume_id());
}

TEST_F(ControllerSimTest, CreateValidatesRequest) {
  EXPECT_EQ(CreateStatus(CreateReq("", kMiB)).code(), Code::kInvalidArgument);
  auto no_caps = CreateReq("pvc-x", kMiB);
  no_caps.clear_volume_capabilities();
  EXPECT_EQ(CreateStatus(no_caps).code(), Code::kInvalidArgument);
  auto mnmw = CreateReq("pvc-x", kMiB);
  *mnmw.mutable_volume_capabilities(0) = MountCap(Mode::MULTI_NODE_MULTI_WRITER);
  EXPECT_EQ(CreateStatus(mnmw).code(), Code::kInvalidArgument);
  auto bad_param = CreateReq("pvc-x", kMiB, {{"linstor-cpp.csi.io/bogus", "1"}});
  Status s = CreateStatus(bad_param);
  EXPECT_EQ(s.code(), Code::kInvalidArgument);
  EXPECT_THAT(s.message(), HasSubstr("linstor-cpp.csi.io/bogus"));
  auto range = CreateReq("pvc-x", 2 * kMiB);
  range.mutable_capacity_range()->set_limit_bytes(kMiB);
  EXPECT_EQ(CreateStatus(range).code(), Code::kOutOfRange);
  EXPECT_EQ(Calls(calls::kSpawn), 0) << "invalid requests must not reach LINSTOR";
}

TEST_F(ControllerSimTest, ImpossiblePlacementIsResourceExhaustedAndLeavesNothing) {
  Status s = CreateStatus(CreateReq("pvc-big", kMiB, {{"placementCount", "4"}}));
  EXPECT_EQ(s.code(), Code::kResourceExhausted) << s.ToString();
  EXPECT_THAT(s.message(), HasSubstr("pvc-big"));
  EXPECT_FALSE(RdExists("pvc-big"));
  Status full = CreateStatus(CreateReq("pvc-huge", 100 * 1024 * kMiB));
  EXPECT_EQ(full.code(), Code::kResourceExhausted);
  EXPECT_FALSE(RdExists("pvc-huge"));
}

TEST_F(ControllerSimTest, OutageIsUnavailableAndRetryConverges) {
  Fault(R"({"path_regex":"/spawn$","method":"POST","drop_rate":1,"count":1})");
  Status s = CreateStatus(CreateReq("pvc-1", kMiB));
  EXPECT_EQ(s.code(), Code::kUnavailable) << s.ToString();
  auto v = Create(CreateReq("pvc-1", kMiB));
  EXPECT_EQ(v.volume_id(), "pvc-1");
  EXPECT_EQ(DiskfulNodes("pvc-1").size(), 1u);
}

TEST_F(ControllerSimTest, RequisiteTopologyRestrictsNodes) {
  auto req = CreateReq("pvc-zone-a", kMiB,
                       {{"placementCount", "2"}, {"allowRemoteVolumeAccess", "false"}});
  auto* t = req.mutable_accessibility_requirements()->add_requisite();
  (*t->mutable_segments())["zone"] = "a";
  auto v = Create(req);
  EXPECT_THAT(DiskfulNodes("pvc-zone-a"), ElementsAre("alpha", "charlie"));
  ASSERT_EQ(v.accessible_topology_size(), 2);
  EXPECT_EQ(v.accessible_topology(0).segments().at("linstor-cpp.csi.io/node"), "alpha");

  auto by_node = CreateReq("pvc-on-bravo", kMiB, {{"allowRemoteVolumeAccess", "false"}});
  (*by_node.mutable_accessibility_requirements()
        ->add_requisite()
        ->mutable_segments())["linstor-cpp.csi.io/node"] = "bravo";
  ResetCalls();
  Create(by_node);
  EXPECT_THAT(DiskfulNodes("pvc-on-bravo"), ElementsAre("bravo"));
  EXPECT_EQ(Calls(calls::kListNodes), 0) << "the node key needs no node listing";

  auto nowhere = CreateReq("pvc-nowhere", kMiB);
  (*nowhere.mutable_accessibility_requirements()->add_requisite()->mutable_segments())["zone"] =
      "z";
  EXPECT_EQ(CreateStatus(nowhere).code(), Code::kResourceExhausted);
}

TEST_F(ControllerSimTest, PreferredNodeGetsAReplicaWhenAccessIsLocal) {
  auto req = CreateReq("pvc-pref", kMiB, {{"allowRemoteVolumeAccess", "false"}});
  auto* reqs = req.mutable_accessibility_requirements();
  for (const char* n : {"alpha", "bravo", "charlie"}) {
    (*reqs->add_requisite()->mutable_segments())["linstor-cpp.csi.io/node"] = n;
  }
  // alpha has the least free space: LINSTOR alone would not pick it.
  (*reqs->add_preferred()->mutable_segments())["linstor-cpp.csi.io/node"] = "alpha";
  auto v = Create(req);
  EXPECT_THAT(DiskfulNodes("pvc-pref"), ElementsAre("alpha"));
  ASSERT_EQ(v.accessible_topology_size(), 1);
  EXPECT_EQ(v.accessible_topology(0).segments().at("linstor-cpp.csi.io/node"), "alpha");
}

TEST_F(ControllerSimTest, DeleteVolumeIsIdempotent) {
  Create(CreateReq("pvc-1", kMiB));
  csi::v1::DeleteVolumeRequest del;
  del.set_volume_id("pvc-1");
  EXPECT_TRUE(controller_->DeleteVolume(del).ok());
  EXPECT_FALSE(RdExists("pvc-1"));
  EXPECT_TRUE(controller_->DeleteVolume(del).ok());
  del.set_volume_id("not a valid name");
  EXPECT_TRUE(controller_->DeleteVolume(del).ok());
  del.set_volume_id("");
  EXPECT_EQ(controller_->DeleteVolume(del).code(), Code::kInvalidArgument);
}

TEST_F(ControllerSimTest, DeleteInUseIsFailedPrecondition) {
  Create(CreateReq("pvc-1", kMiB));
  ASSERT_TRUE(admin().SetInUse("pvc-1", DiskfulNodes("pvc-1").front(), true).ok());
  csi::v1::DeleteVolumeRequest del;
  del.set_volume_id("pvc-1");
  EXPECT_EQ(controller_->DeleteVolume(del).code(), Code::kFailedPrecondition);
  EXPECT_TRUE(RdExists("pvc-1"));
}

TEST_F(ControllerSimTest, PublishWaitsUpToInUseWaitTimeoutForTheOtherNode) {
  Create(CreateReq("pvc-1", kMiB));
  const std::string holder = DiskfulNodes("pvc-1").front();
  ASSERT_TRUE(admin().SetInUse("pvc-1", holder, true).ok());
  csi::v1::ControllerPublishVolumeResponse resp;
  // Without inUseWaitTimeout: refused at once.
  Status refused = controller_->ControllerPublishVolume(PublishReq("pvc-1", "delta"), &resp);
  EXPECT_EQ(refused.code(), Code::kFailedPrecondition);
  EXPECT_THAT(refused.message(), HasSubstr("in use (DRBD Primary) on node " + holder));
  EXPECT_EQ(clock_.slept(), Clock::Duration::zero());

  // With it: polls LINSTOR on the clock, the delay doubling from poll_interval (1 ms) up to 2 s,
  // the last sleep ending at the timeout.
  auto waiting = PublishReq("pvc-1", "delta");
  (*waiting.mutable_volume_context())[std::string(kDriver) + "/inUseWaitTimeout"] = "5s";
  ResetCalls();
  Status timed_out = controller_->ControllerPublishVolume(waiting, &resp);
  EXPECT_EQ(timed_out.code(), Code::kFailedPrecondition);
  EXPECT_THAT(timed_out.message(), HasSubstr("(waited 5000 ms)"));
  EXPECT_EQ(clock_.slept(), std::chrono::seconds(5));
  const std::vector<Clock::Duration> sleeps = clock_.sleeps();
  ASSERT_EQ(sleeps.size(), 13u);
  EXPECT_EQ(sleeps[0], std::chrono::milliseconds(1));
  EXPECT_EQ(sleeps[10], std::chrono::milliseconds(1024));
  EXPECT_EQ(sleeps[11], std::chrono::milliseconds(2000)) << "capped";
  EXPECT_EQ(sleeps[12], std::chrono::milliseconds(953)) << "ends at the timeout";
  EXPECT_GE(Calls(calls::kViewResources), 13) << "LINSTOR read again after every sleep";
  EXPECT_FALSE(client().GetResource("pvc-1", "delta").ok()) << "nothing attached";
}

TEST_F(ControllerSimTest, NeverTouchesForeignObjects) {
  // A resource group and an RD someone else made, with names we might use.
  linstor::ResourceGroup theirs;
  theirs.name = "their-rg";
  theirs.select_filter.place_count = 1;
  ASSERT_TRUE(client().CreateResourceGroup(theirs).ok());
  linstor::ResourceGroupSpawn spawn;
  spawn.resource_definition_name = "pvc-foreign";
  spawn.volume_sizes = {1024};
  spawn.resource_definition_props = {{"Aux/csi-owner", "someone-else"}};
  ASSERT_TRUE(client().Spawn("their-rg", spawn).ok());
  spawn.resource_definition_name = "unmarked";
  spawn.resource_definition_props = {};
  ASSERT_TRUE(client().Spawn("their-rg", spawn).ok());
  ResetCalls();

  // Use of an explicit foreign group: volumes go in, the group is not modified.
  Create(CreateReq("pvc-mine", kMiB, {{"resourceGroup", "their-rg"}, {"placementCount", "3"}}));
  EXPECT_EQ(Calls(calls::kModifyRg), 0);
  EXPECT_EQ(client().GetResourceGroup("their-rg")->select_filter.place_count, 1);

  for (const std::string id : {"pvc-foreign", "unmarked"}) {
    EXPECT_EQ(CreateStatus(CreateReq(id, kMiB)).code(), Code::kAlreadyExists) << id;
    csi::v1::DeleteVolumeRequest del;
    del.set_volume_id(id);
    EXPECT_EQ(controller_->DeleteVolume(del).code(), Code::kFailedPrecondition) << id;
    csi::v1::ControllerPublishVolumeResponse pub;
    EXPECT_EQ(controller_->ControllerPublishVolume(PublishReq(id, "delta"), &pub).code(),
              Code::kNotFound);
    EXPECT_TRUE(controller_->ControllerUnpublishVolume(UnpublishReq(id, "alpha")).ok());
    csi::v1::ControllerExpandVolumeRequest exp;
    exp.set_volume_id(id);
    exp.mutable_capacity_range()->set_required_bytes(100 * kMiB);
    csi::v1::ControllerExpandVolumeResponse exp_resp;
    EXPECT_EQ(controller_->ControllerExpandVolume(exp, &exp_resp).code(), Code::kNotFound);
    csi::v1::ControllerModifyVolumeRequest mod;
    mod.set_volume_id(id);
    (*mod.mutable_mutable_parameters())["placementCount"] = "3";
    EXPECT_EQ(controller_->ControllerModifyVolume(mod).code(), Code::kNotFound);
    csi::v1::CreateSnapshotResponse snap;
    EXPECT_EQ(controller_->CreateSnapshot(SnapshotReq("s-" + id, id), &snap).code(),
              Code::kNotFound);
    EXPECT_TRUE(RdExists(id));
  }
  EXPECT_EQ(Calls(calls::kDeleteRd), 0);
  EXPECT_EQ(Calls(calls::kModifyRd), 0);
  EXPECT_EQ(Calls(calls::kDeleteResource), 0);
  EXPECT_EQ(Calls(calls::kResizeVd), 0);
  EXPECT_EQ(Calls(calls::kMakeAvailable), 0);
  csi::v1::ListVolumesResponse list;
  ASSERT_TRUE(controller_->ListVolumes({}, &list).ok());
  ASSERT_EQ(list.entries_size(), 1);
  EXPECT_EQ(list.entries(0).volume().volume_id(), "pvc-mine");
}

TEST_F(ControllerSimTest, OwnedGroupIsReconciled) {
  Create(CreateReq("pvc-1", kMiB, {{"resourceGroup", "sc-rg"}, {"placementCount", "2"}}));
  linstor::ResourceGroupModify drift;
  drift.select_filter = linstor::SelectFilter{};
  drift.select_filter->place_count = 1;
  drift.override_props["Aux/csi-spec"] = "stale";
  ASSERT_TRUE(client().ModifyResourceGroup("sc-rg", drift).ok());
  MakeController();  // a restart: empty cache
  Create(CreateReq("pvc-2", kMiB, {{"resourceGroup", "sc-rg"}, {"placementCount", "2"}}));
  EXPECT_EQ(client().GetResourceGroup("sc-rg")->select_filter.place_count, 2);
  EXPECT_EQ(DiskfulNodes("pvc-2").size(), 2u);
}

TEST_F(ControllerSimTest, VanishedGroupIsRecreated) {
  Create(CreateReq("pvc-1", kMiB));
  auto rg = client().GetResourceDefinition("pvc-1")->resource_group_name;
  csi::v1::DeleteVolumeRequest del;
  del.set_volume_id("pvc-1");
  ASSERT_TRUE(controller_->DeleteVolume(del).ok());
  ASSERT_TRUE(client().DeleteResourceGroup(rg).ok());
  Create(CreateReq("pvc-2", kMiB));
  EXPECT_TRUE(client().GetResourceGroup(rg).ok());
}

TEST_F(ControllerSimTest, PublishDiskfulAndDiskless) {
  Create(CreateReq("pvc-1", kMiB));
  const std::string diskful = DiskfulNodes("pvc-1").front();
  csi::v1::ControllerPublishVolumeResponse resp;
  ASSERT_TRUE(controller_->ControllerPublishVolume(PublishReq("pvc-1", diskful), &resp).ok());
  EXPECT_THAT(resp.publish_context().at("devicePath"), HasSubstr("/dev/drbd"));
  EXPECT_EQ(RdProps("pvc-1")["Aux/csi-published/" + diskful], "rw");
  EXPECT_EQ(RdProps("pvc-1").count("Aux/csi-diskless-made/" + diskful), 0u);

  // A second node (single-node mode): refused while published elsewhere.
  csi::v1::ControllerPublishVolumeResponse other;
  EXPECT_EQ(controller_->ControllerPublishVolume(PublishReq("pvc-1", "delta"), &other).code(),
            Code::kFailedPrecondition);
  ASSERT_TRUE(controller_->ControllerUnpublishVolume(UnpublishReq("pvc-1", diskful)).ok());
  EXPECT_EQ(DiskfulNodes("pvc-1"), std::vector<std::string>{diskful}) << "diskful replica stays";
  EXPECT_EQ(RdProps("pvc-1").count("Aux/csi-published/" + diskful), 0u);

  ASSERT_TRUE(controller_->ControllerPublishVolume(PublishReq("pvc-1", "delta"), &other).ok());
  auto delta = client().GetResource("pvc-1", "delta");
  ASSERT_TRUE(delta.ok());
  EXPECT_TRUE(delta->IsDiskless());
  EXPECT_EQ(RdProps("pvc-1")["Aux/csi-diskless-made/delta"], "true");
  // Idempotent, and a read-only repeat is incompatible.
  ASSERT_TRUE(controller_->ControllerPublishVolume(PublishReq("pvc-1", "delta"), &other).ok());
  EXPECT_EQ(controller_->ControllerPublishVolume(PublishReq("pvc-1", "delta", true), &other).code(),
            Code::kAlreadyExists);

  csi::v1::ListVolumesResponse list;
  ASSERT_TRUE(controller_->ListVolumes({}, &list).ok());
  ASSERT_EQ(list.entries_size(), 1);
  EXPECT_THAT(list.entries(0).status().published_node_ids(), ElementsAre("delta"));

  ASSERT_TRUE(controller_->ControllerUnpublishVolume(UnpublishReq("pvc-1", "delta")).ok());
  EXPECT_FALSE(client().GetResource("pvc-1", "delta").ok()) << "the diskless attach is removed";
  EXPECT_TRUE(controller_->ControllerUnpublishVolume(UnpublishReq("pvc-1", "delta")).ok());
}

TEST_F(ControllerSimTest, PublishErrors) {
  Create(CreateReq("pvc-local", kMiB, {{"allowRemoteVolumeAccess", "false"}}));
  csi::v1::ControllerPublishVolumeResponse resp;
  EXPECT_EQ(controller_->ControllerPublishVolume(PublishReq("pvc-local", "delta"), &resp).code(),
            Code::kFailedPrecondition);
  EXPECT_FALSE(client().GetResource("pvc-local", "delta").ok());
  EXPECT_EQ(
      controller_->ControllerPublishVolume(PublishReq("pvc-local", "nosuchnode"), &resp).code(),
      Code::kNotFound);
  EXPECT_EQ(controller_->ControllerPublishVolume(PublishReq("pvc-none", "alpha"), &resp).code(),
            Code::kNotFound);
  auto no_cap = PublishReq("pvc-local", "alpha");
  no_cap.clear_volume_capability();
  EXPECT_EQ(controller_->ControllerPublishVolume(no_cap, &resp).code(), Code::kInvalidArgument);
  EXPECT_EQ(controller_->ControllerPublishVolume(PublishReq("", "alpha"), &resp).code(),
            Code::kInvalidArgument);
  EXPECT_EQ(controller_->ControllerPublishVolume(PublishReq("pvc-local", ""), &resp).code(),
            Code::kInvalidArgument);
  EXPECT_TRUE(controller_->ControllerUnpublishVolume(UnpublishReq("pvc-none", "alpha")).ok());
  EXPECT_EQ(controller_->ControllerUnpublishVolume(UnpublishReq("", "alpha")).code(),
            Code::kInvalidArgument);
}

TEST_F(ControllerSimTest, UnpublishWithoutNodeIdUnpublishesEverywhere) {
  Create(CreateReq("pvc-1", kMiB));
  const std::string diskful = DiskfulNodes("pvc-1").front();
  csi::v1::ControllerPublishVolumeResponse resp;
  auto ro = PublishReq("pvc-1", diskful, true);
  *ro.mutable_volume_capability() = MountCap(Mode::MULTI_NODE_READER_ONLY);
  ASSERT_TRUE(controller_->ControllerPublishVolume(ro, &resp).ok());
  ro.set_node_id("delta");
  ASSERT_TRUE(controller_->ControllerPublishVolume(ro, &resp).ok());
  ASSERT_TRUE(controller_->ControllerUnpublishVolume(UnpublishReq("pvc-1", "")).ok());
  EXPECT_FALSE(client().GetResource("pvc-1", "delta").ok());
  EXPECT_EQ(DiskfulNodes("pvc-1"), std::vector<std::string>{diskful});
  for (const auto& [k, v] : RdProps("pvc-1")) {
    EXPECT_EQ(k.rfind("Aux/csi-published/", 0), std::string::npos) << k;
    EXPECT_EQ(k.rfind("Aux/csi-diskless-made/", 0), std::string::npos) << k;
  }
}

TEST_F(ControllerSimTest, UnpublishLeavesTiebreakersAndDiskfulReplicas) {
  // Two diskful replicas: LINSTOR adds a quorum tiebreaker on a third node.
  Create(CreateReq("pvc-tb", kMiB, {{"placementCount", "2"}}));
  std::string tiebreaker;
  for (const auto& r : Resources("pvc-tb"))
    if (r.IsTieBreaker()) tiebreaker = r.node_name;
  ASSERT_FALSE(tiebreaker.empty());
  csi::v1::ControllerPublishVolumeResponse resp;
  ASSERT_TRUE(controller_->ControllerPublishVolume(PublishReq("pvc-tb", tiebreaker), &resp).ok());
  EXPECT_EQ(RdProps("pvc-tb")["Aux/csi-diskless-made/" + tiebreaker], "tiebreaker");
  ASSERT_TRUE(controller_->ControllerUnpublishVolume(UnpublishReq("pvc-tb", tiebreaker)).ok());
  auto after = client().GetResource("pvc-tb", tiebreaker);
  EXPECT_TRUE(!after.ok() || after->IsTieBreaker()) << "the client the plugin made is gone";
  EXPECT_EQ(DiskfulNodes("pvc-tb").size(), 2u) << "diskful replicas stay";

  // A resource that turned back into a tiebreaker (LINSTOR did it) is left alone.
  ASSERT_TRUE(controller_->ControllerPublishVolume(PublishReq("pvc-tb", "delta"), &resp).ok());
  ASSERT_TRUE(controller_->ControllerUnpublishVolume(UnpublishReq("pvc-tb", "delta")).ok());
}

TEST_F(ControllerSimTest, PublicationsSurviveARestart) {
  Create(CreateReq("pvc-1", kMiB));
  csi::v1::ControllerPublishVolumeResponse resp;
  ASSERT_TRUE(controller_->ControllerPublishVolume(PublishReq("pvc-1", "delta", true), &resp).ok());
  MakeController();
  csi::v1::ControllerGetVolumeRequest get;
  get.set_volume_id("pvc-1");
  csi::v1::ControllerGetVolumeResponse got;
  ASSERT_TRUE(controller_->ControllerGetVolume(get, &got).ok());
  EXPECT_THAT(got.status().published_node_ids(), ElementsAre("delta"));
  EXPECT_FALSE(got.status().volume_condition().abnormal());
}

TEST_F(ControllerSimTest, ListVolumesPagesAfterTheFirstComeFromItsRead) {
  for (int i = 0; i < 7; ++i) Create(CreateReq("pvc-" + std::to_string(i), kMiB));
  auto list_page = [&](const std::string& token, csi::v1::ListVolumesResponse* resp) {
    csi::v1::ListVolumesRequest req;
    req.set_max_entries(3);
    req.set_starting_token(token);
    return controller_->ListVolumes(req, resp);
  };
  ResetCalls();
  csi::v1::ListVolumesResponse first;
  ASSERT_TRUE(list_page("", &first).ok());
  EXPECT_EQ(Calls(calls::kListRds), 1);
  const int after_first = Calls();
  // A volume created meanwhile shows in the next listing, not in the continued one.
  Create(CreateReq("pvc-9", kMiB));
  ResetCalls();
  std::vector<std::string> rest;
  std::string token = first.next_token();
  while (!token.empty()) {
    csi::v1::ListVolumesResponse resp;
    ASSERT_TRUE(list_page(token, &resp).ok());
    for (const auto& e : resp.entries()) rest.push_back(e.volume().volume_id());
    token = resp.next_token();
  }
  EXPECT_EQ(Calls(), 0) << "continued pages read nothing from LINSTOR";
  EXPECT_THAT(rest, ElementsAre("pvc-3", "pvc-4", "pvc-5", "pvc-6"));
  EXPECT_GT(after_first, 0);

  csi::v1::ListVolumesResponse again;
  ASSERT_TRUE(controller_->ListVolumes({}, &again).ok());
  EXPECT_EQ(Calls(calls::kListRds), 1) << "a new listing reads LINSTOR";
  EXPECT_EQ(again.entries_size(), 8);

  // Without the cache every page reads LINSTOR.
  ControllerOptions o;
  o.driver_name = kDriver;
  o.owner_id = kOwner;
  o.list_cache_ttl = std::chrono::milliseconds(0);
  Controller uncached(o, &client());
  ResetCalls();
  csi::v1::ListVolumesRequest req;
  req.set_max_entries(3);
  csi::v1::ListVolumesResponse p1, p2;
  ASSERT_TRUE(uncached.ListVolumes(req, &p1).ok());
  req.set_starting_token(p1.next_token());
  ASSERT_TRUE(uncached.ListVolumes(req, &p2).ok());
  EXPECT_EQ(Calls(calls::kListRds), 2);
  ASSERT_EQ(p2.entries_size(), 3);
  EXPECT_EQ(p2.entries(0).volume().volume_id(), "pvc-3");
}

TEST_F(ControllerSimTest, ListVolumesPaginatesStably) {
  for (int i = 0; i < 7; ++i) Create(CreateReq("pvc-" + std::to_string(i), kMiB));
  std::vector<std::string> seen;
  std::string token;
  int pages = 0;
  do {
    csi::v1::ListVolumesRequest req;
    req.set_max_entries(3);
    req.set_starting_token(token);
    csi::v1::ListVolumesResponse resp;
    ASSERT_TRUE(controller_->ListVolumes(req, &resp).ok());
    for (const auto& e : resp.entries()) {
      seen.push_back(e.volume().volume_id());
      EXPECT_EQ(e.volume().capacity_bytes(), kMiB);
      EXPECT_TRUE(e.status().has_volume_condition());
    }
    token = resp.next_token();
    ++pages;
  } while (!token.empty());
  EXPECT_EQ(pages, 3);
  EXPECT_THAT(seen, ElementsAre("pvc-0", "pvc-1", "pvc-2", "pvc-3", "pvc-4", "pvc-5", "pvc-6"));
  csi::v1::ListVolumesRequest bad;
  bad.set_starting_token("garbage");
  csi::v1::ListVolumesResponse resp;
  EXPECT_EQ(controller_->ListVolumes(bad, &resp).code(), Code::kAborted);
  bad.set_starting_token("");
  bad.set_max_entries(-1);
  EXPECT_EQ(controller_->ListVolumes(bad, &resp).code(), Code::kInvalidArgument);
}

TEST_F(ControllerSimTest, VolumeConditionReportsOfflineNodes) {
  Create(CreateReq("pvc-1", kMiB, {{"placementCount", "2"}}));
  const std::string node = DiskfulNodes("pvc-1").front();
  ASSERT_TRUE(admin().SetNodeOnline(node, false).ok());
  csi::v1::ControllerGetVolumeRequest get;
  get.set_volume_id("pvc-1");
  csi::v1::ControllerGetVolumeResponse got;
  ASSERT_TRUE(controller_->ControllerGetVolume(get, &got).ok());
  EXPECT_TRUE(got.status().volume_condition().abnormal());
  EXPECT_THAT(got.status().volume_condition().message(), HasSubstr(node));
  get.set_volume_id("pvc-none");
  EXPECT_EQ(controller_->ControllerGetVolume(get, &got).code(), Code::kNotFound);
}

TEST_F(ControllerSimTest, ValidateVolumeCapabilities) {
  Create(CreateReq("pvc-1", kMiB));
  csi::v1::ValidateVolumeCapabilitiesRequest req;
  req.set_volume_id("pvc-1");
  *req.add_volume_capabilities() = BlockCap(Mode::MULTI_NODE_READER_ONLY);
  csi::v1::ValidateVolumeCapabilitiesResponse resp;
  ASSERT_TRUE(controller_->ValidateVolumeCapabilities(req, &resp).ok());
  EXPECT_TRUE(resp.has_confirmed());
  *req.add_volume_capabilities() = MountCap(Mode::MULTI_NODE_MULTI_WRITER);
  resp.Clear();
  ASSERT_TRUE(controller_->ValidateVolumeCapabilities(req, &resp).ok());
  EXPECT_FALSE(resp.has_confirmed());
  EXPECT_THAT(resp.message(), HasSubstr("MULTI_NODE_MULTI_WRITER"));
  req.set_volume_id("pvc-none");
  EXPECT_EQ(controller_->ValidateVolumeCapabilities(req, &resp).code(), Code::kNotFound);
  req.set_volume_id("pvc-1");
  req.clear_volume_capabilities();
  EXPECT_EQ(controller_->ValidateVolumeCapabilities(req, &resp).code(), Code::kInvalidArgument);
}

TEST_F(ControllerSimTest, ExpandGrowsOnlyAndIsIdempotent) {
  Create(CreateReq("pvc-1", 10 * kMiB));
  csi::v1::ControllerExpandVolumeRequest req;
  req.set_volume_id("pvc-1");
  req.mutable_capacity_range()->set_required_bytes(20 * kMiB);
  *req.mutable_volume_capability() = MountCap();
  csi::v1::ControllerExpandVolumeResponse resp;
  ASSERT_TRUE(controller_->ControllerExpandVolume(req, &resp).ok());
  EXPECT_EQ(resp.capacity_bytes(), 20 * kMiB);
  EXPECT_TRUE(resp.node_expansion_required());
  // A single-RD GET carries no volume definitions on LINSTOR: ask for them.
  auto vds = client().ListVolumeDefinitions("pvc-1");
  ASSERT_TRUE(vds.ok());
  ASSERT_EQ(vds->size(), 1u);
  EXPECT_EQ(vds->front().size_kib, 20 * 1024);
  ResetCalls();
  ASSERT_TRUE(controller_->ControllerExpandVolume(req, &resp).ok());
  EXPECT_EQ(Calls(calls::kResizeVd), 0);
  req.mutable_capacity_range()->set_required_bytes(5 * kMiB);
  ASSERT_TRUE(controller_->ControllerExpandVolume(req, &resp).ok());
  EXPECT_EQ(resp.capacity_bytes(), 20 * kMiB) << "never shrinks";
  req.mutable_capacity_range()->set_limit_bytes(5 * kMiB);
  EXPECT_EQ(controller_->ControllerExpandVolume(req, &resp).code(), Code::kOutOfRange);
  *req.mutable_volume_capability() = BlockCap();
  req.mutable_capacity_range()->set_limit_bytes(0);
  req.mutable_capacity_range()->set_required_bytes(30 * kMiB);
  ASSERT_TRUE(controller_->ControllerExpandVolume(req, &resp).ok());
  EXPECT_FALSE(resp.node_expansion_required());
  req.mutable_capacity_range()->set_required_bytes(1024 * 1024 * kMiB);
  EXPECT_EQ(controller_->ControllerExpandVolume(req, &resp).code(), Code::kResourceExhausted);
  req.set_volume_id("pvc-none");
  EXPECT_EQ(controller_->ControllerExpandVolume(req, &resp).code(), Code::kNotFound);
  req.clear_capacity_range();
  EXPECT_EQ(controller_->ControllerExpandVolume(req, &resp).code(), Code::kInvalidArgument);
}

TEST_F(ControllerSimTest, ModifyPlacementCountAndDrbdOptions) {
  Create(CreateReq("pvc-1", kMiB));
  csi::v1::ControllerModifyVolumeRequest req;
  req.set_volume_id("pvc-1");
  (*req.mutable_mutable_parameters())["linstor-cpp.csi.io/placementCount"] = "3";
  (*req.mutable_mutable_parameters())["DrbdOptions/Net/max-buffers"] = "8000";
  ASSERT_TRUE(controller_->ControllerModifyVolume(req).ok());
  EXPECT_EQ(DiskfulNodes("pvc-1").size(), 3u);
  EXPECT_EQ(RdProps("pvc-1")["DrbdOptions/Net/max-buffers"], "8000");
  ASSERT_TRUE(controller_->ControllerModifyVolume(req).ok());  // idempotent
  EXPECT_EQ(DiskfulNodes("pvc-1").size(), 3u);

  // Down to 1, keeping the published replica.
  const std::string published = DiskfulNodes("pvc-1").front();
  csi::v1::ControllerPublishVolumeResponse pub;
  ASSERT_TRUE(controller_->ControllerPublishVolume(PublishReq("pvc-1", published), &pub).ok());
  (*req.mutable_mutable_parameters())["linstor-cpp.csi.io/placementCount"] = "1";
  ASSERT_TRUE(controller_->ControllerModifyVolume(req).ok());
  EXPECT_THAT(DiskfulNodes("pvc-1"), ElementsAre(published));

  csi::v1::ControllerModifyVolumeRequest immutable;
  immutable.set_volume_id("pvc-1");
  (*immutable.mutable_mutable_parameters())["storagePool"] = "other";
  EXPECT_EQ(controller_->ControllerModifyVolume(immutable).code(), Code::kInvalidArgument);
  immutable.clear_mutable_parameters();
  const int64_t modifies = Calls(calls::kModifyRd);
  EXPECT_TRUE(controller_->ControllerModifyVolume(immutable).ok()) << "an empty map is a no-op";
  EXPECT_EQ(Calls(calls::kModifyRd), modifies);
  EXPECT_THAT(DiskfulNodes("pvc-1"), ElementsAre(published));
  req.set_volume_id("pvc-none");
  EXPECT_EQ(controller_->ControllerModifyVolume(req).code(), Code::kNotFound);
  immutable.set_volume_id("pvc-none");
  EXPECT_EQ(controller_->ControllerModifyVolume(immutable).code(), Code::kNotFound);
  (*immutable.mutable_mutable_parameters())["storagePool"] = "other";
  EXPECT_EQ(controller_->ControllerModifyVolume(immutable).code(), Code::kNotFound)
      << "existence before the parameters";
  (*req.mutable_mutable_parameters())["linstor-cpp.csi.io/placementCount"] = "4";
  req.set_volume_id("pvc-1");
  EXPECT_EQ(controller_->ControllerModifyVolume(req).code(), Code::kResourceExhausted);
}

TEST_F(ControllerSimTest, GetCapacityPerClassAndSegment) {
  csi::v1::GetCapacityRequest req;
  csi::v1::GetCapacityResponse resp;
  ASSERT_TRUE(controller_->GetCapacity(req, &resp).ok());
  EXPECT_EQ(resp.available_capacity(), 60 * kGiBKib * 1024);
  EXPECT_EQ(resp.maximum_volume_size().value(), 30 * kGiBKib * 1024);

  (*req.mutable_parameters())["allowRemoteVolumeAccess"] = "false";
  (*req.mutable_accessible_topology()->mutable_segments())["linstor-cpp.csi.io/node"] = "alpha";
  ASSERT_TRUE(controller_->GetCapacity(req, &resp).ok());
  EXPECT_EQ(resp.maximum_volume_size().value(), 10 * kGiBKib * 1024);
  (*req.mutable_accessible_topology()->mutable_segments())["linstor-cpp.csi.io/node"] = "delta";
  ASSERT_TRUE(controller_->GetCapacity(req, &resp).ok());
  EXPECT_EQ(resp.maximum_volume_size().value(), 0);

  *req.add_volume_capabilities() = MountCap(Mode::MULTI_NODE_MULTI_WRITER);
  ASSERT_TRUE(controller_->GetCapacity(req, &resp).ok());
  EXPECT_EQ(resp.available_capacity(), 0);
  req.clear_volume_capabilities();
  (*req.mutable_parameters())["bogus"] = "1";
  EXPECT_EQ(controller_->GetCapacity(req, &resp).code(), Code::kInvalidArgument);
}

// A transport whose spawn requests wait until released: lets a test hold a volume's
// operation in flight.
class BlockingSpawnTransport : public linstor::Transport {
 public:
  explicit BlockingSpawnTransport(lcsi::sim::SimServer& sim) : inner_(sim) {}
  linstor::LinstorResult<linstor::HttpResponse> Send(std::string_view method,
                                                     std::string_view path_template,
                                                     const std::string& path,
                                                     const std::string* body) override {
    if (path.ends_with("/spawn")) {
      entered_.set_value();
      release_.get_future().wait();
    }
    return inner_.Send(method, path_template, path, body);
  }
  linstor::LinstorResult<linstor::HttpResponse> SendStreaming(std::string_view method,
                                                              std::string_view path_template,
                                                              const std::string& path,
                                                              const BodySink& on_body) override {
    return inner_.SendStreaming(method, path_template, path, on_body);
  }
  std::promise<void> entered_;
  std::promise<void> release_;

 private:
  lcsi::sim::InProcessTransport inner_;
};

TEST(ControllerConcurrencyTest, SecondCallOnTheSameVolumeIsAborted) {
  lcsi::sim::InProcessSim sim(TestClusterOptions());
  ASSERT_TRUE(sim.status().ok());
  auto owned = std::make_unique<BlockingSpawnTransport>(sim.server());
  BlockingSpawnTransport& transport = *owned;
  linstor::HttpLinstorClient client(std::move(owned));
  ControllerOptions o;
  o.owner_id = kOwner;
  Controller controller(o, &client);
  std::thread first([&] {
    csi::v1::CreateVolumeResponse resp;
    EXPECT_TRUE(controller.CreateVolume(CreateReq("pvc-1", kMiB), &resp).ok());
  });
  transport.entered_.get_future().wait();
  csi::v1::CreateVolumeResponse resp;
  EXPECT_EQ(controller.CreateVolume(CreateReq("pvc-1", kMiB), &resp).code(), Code::kAborted);
  csi::v1::DeleteVolumeRequest del;
  del.set_volume_id("pvc-1");
  EXPECT_EQ(controller.DeleteVolume(del).code(), Code::kAborted);
  transport.release_.set_value();
  first.join();
  EXPECT_TRUE(controller.DeleteVolume(del).ok());
}

}  // namespace
}  // namespace lcsi::controller::testing
