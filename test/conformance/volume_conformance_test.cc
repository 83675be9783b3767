// CreateVolume, DeleteVolume, ValidateVolumeCapabilities, ListVolumes, GetCapacity,
// ControllerGetVolume, ControllerExpandVolume (spec §Controller Service RPC).
#include <future>
#include <set>

#include "test/conformance/conformance.h"

namespace lcsi::conformance {
namespace {

using grpc::StatusCode;
using C = v1::ControllerServiceCapability::RPC;

class Volumes : public ConformanceTest {
 protected:
  void SetUp() override {
    ConformanceTest::SetUp();
    if (!caps().Controller(C::CREATE_DELETE_VOLUME)) GTEST_SKIP() << "CREATE_DELETE_VOLUME";
  }
};

TEST_F(Volumes, CreateNameMissing) {
  Spec("CreateVolume: name missing -> INVALID_ARGUMENT",
       "§CreateVolume (name REQUIRED), §Error Scheme");
  v1::CreateVolumeResponse r;
  EXPECT_CODE(RPC(controller(), CreateVolume, CreateRequest("", kVolumeBytes, MountCap()), &r),
              StatusCode::INVALID_ARGUMENT);
}

TEST_F(Volumes, CreateCapabilitiesMissing) {
  Spec("CreateVolume: volume_capabilities missing -> INVALID_ARGUMENT",
       "§CreateVolume (volume_capabilities REQUIRED), §Error Scheme");
  v1::CreateVolumeRequest req;
  req.set_name(Unique("nocaps"));
  v1::CreateVolumeResponse r;
  grpc::Status s = RPC(controller(), CreateVolume, req, &r);
  if (s.ok()) TrackVolume(r.volume().volume_id());
  EXPECT_CODE(s, StatusCode::INVALID_ARGUMENT);
}

TEST_F(Volumes, CreateCapabilityWithoutAccessTypeOrMode) {
  Spec(
      "CreateVolume: a capability without access_type, or without access_mode -> "
      "INVALID_ARGUMENT",
      "§VolumeCapability (access_type: one MUST be specified; access_mode REQUIRED)");
  v1::VolumeCapability no_type;
  no_type.mutable_access_mode()->set_mode(Mode::SINGLE_NODE_WRITER);
  v1::VolumeCapability no_mode;
  no_mode.mutable_mount();
  for (const auto& cap : {no_type, no_mode}) {
    v1::CreateVolumeResponse r;
    grpc::Status s =
        RPC(controller(), CreateVolume, CreateRequest(Unique("badcap"), kVolumeBytes, cap), &r);
    if (s.ok()) TrackVolume(r.volume().volume_id());
    EXPECT_CODE(s, StatusCode::INVALID_ARGUMENT) << cap.ShortDebugString();
  }
}

TEST_F(Volumes, CreateUnknownParameterInPluginNamespace) {
  Spec("CreateVolume: unknown parameter in the plugin's namespace -> INVALID_ARGUMENT naming it",
       "§Error Scheme (invalid or unsupported field)");
  auto req = CreateRequest(Unique("badparam"), kVolumeBytes, MountCap());
  std::string key = stack().options().driver_name + "/noSuchParameter";
  (*req.mutable_parameters())[key] = "1";
  v1::CreateVolumeResponse r;
  grpc::Status s = RPC(controller(), CreateVolume, req, &r);
  if (s.ok()) TrackVolume(r.volume().volume_id());
  EXPECT_CODE(s, StatusCode::INVALID_ARGUMENT);
  EXPECT_NE(s.error_message().find("noSuchParameter"), std::string::npos) << s.error_message();
}

TEST_F(Volumes, CreateHonoursCapacityRange) {
  Spec("CreateVolume: capacity_bytes >= required_bytes and <= limit_bytes; volume_id set",
       "§CreateVolume (capacity_range MUST be honored), §Volume");
  auto req = CreateRequest(Unique("range"), 10 * kMiB + 1, MountCap());
  req.mutable_capacity_range()->set_limit_bytes(80 * kMiB);
  v1::CreateVolumeResponse r;
  ASSERT_RPC_OK(RPC(controller(), CreateVolume, req, &r));
  TrackVolume(r.volume().volume_id());
  EXPECT_FALSE(r.volume().volume_id().empty());
  EXPECT_GE(r.volume().capacity_bytes(), 10 * kMiB + 1);
  EXPECT_LE(r.volume().capacity_bytes(), 80 * kMiB);
}

TEST_F(Volumes, CreateWithoutCapacityRange) {
  Spec("CreateVolume: no capacity_range -> the plugin picks a size (capacity >= 0)",
       "§CreateVolume (capacity_range OPTIONAL)");
  v1::CreateVolumeResponse r;
  ASSERT_RPC_OK(
      RPC(controller(), CreateVolume, CreateRequest(Unique("nosize"), 0, MountCap()), &r));
  TrackVolume(r.volume().volume_id());
  EXPECT_GE(r.volume().capacity_bytes(), 0);
}

TEST_F(Volumes, CreateUnsatisfiableRangeIsOutOfRange) {
  Spec("CreateVolume: a limit below anything the backend can provide (1 byte) -> OUT_OF_RANGE",
       "§CreateVolume Errors (Unsupported capacity_range)");
  auto req = CreateRequest(Unique("tiny"), 1, MountCap());
  req.mutable_capacity_range()->set_limit_bytes(1);
  v1::CreateVolumeResponse r;
  grpc::Status s = RPC(controller(), CreateVolume, req, &r);
  if (s.ok()) {
    TrackVolume(r.volume().volume_id());
    EXPECT_EQ(r.volume().capacity_bytes(), 1) << "OK is only allowed for an exact 1-byte volume";
  } else {
    EXPECT_CODE(s, StatusCode::OUT_OF_RANGE);
  }
}

TEST_F(Volumes, CreateRequiredAboveLimitFails) {
  Spec(
      "CreateVolume: required_bytes > limit_bytes cannot be honoured -> OUT_OF_RANGE or "
      "INVALID_ARGUMENT",
      "§CreateVolume Errors, §CapacityRange");
  auto req = CreateRequest(Unique("inverted"), 64 * kMiB, MountCap());
  req.mutable_capacity_range()->set_limit_bytes(32 * kMiB);
  v1::CreateVolumeResponse r;
  grpc::Status s = RPC(controller(), CreateVolume, req, &r);
  if (s.ok()) TrackVolume(r.volume().volume_id());
  EXPECT_TRUE(HasCodeIn(s, {StatusCode::OUT_OF_RANGE, StatusCode::INVALID_ARGUMENT}));
}

TEST_F(Volumes, CreateNegativeCapacityFails) {
  Spec(
      "CreateVolume: negative required_bytes (MUST NOT be negative) -> INVALID_ARGUMENT or "
      "OUT_OF_RANGE",
      "§CapacityRange, §Error Scheme");
  auto req = CreateRequest(Unique("negative"), 0, MountCap());
  req.mutable_capacity_range()->set_required_bytes(-kMiB);
  v1::CreateVolumeResponse r;
  grpc::Status s = RPC(controller(), CreateVolume, req, &r);
  if (s.ok()) TrackVolume(r.volume().volume_id());
  EXPECT_TRUE(HasCodeIn(s, {StatusCode::INVALID_ARGUMENT, StatusCode::OUT_OF_RANGE}));
}

TEST_F(Volumes, CreateIsIdempotent) {
  Spec("CreateVolume: the same name and arguments again -> OK with the same volume",
       "§CreateVolume (MUST be idempotent)");
  std::string name = Unique("idem");
  v1::Volume first = MustCreateVolume(name);
  v1::CreateVolumeResponse again;
  ASSERT_RPC_OK(
      RPC(controller(), CreateVolume, CreateRequest(name, kVolumeBytes, MountCap()), &again));
  EXPECT_EQ(again.volume().volume_id(), first.volume_id());
  EXPECT_EQ(again.volume().capacity_bytes(), first.capacity_bytes());
  EXPECT_EQ(again.volume().volume_context().size(), first.volume_context().size());
  for (const auto& [k, v] : first.volume_context()) {
    EXPECT_EQ(again.volume().volume_context().at(k), v) << "volume_context SHALL NOT change: " << k;
  }
}

TEST_F(Volumes, CreateConcurrentSameNameYieldsOneVolume) {
  Spec(
      "CreateVolume: concurrent calls for one name -> each OK (same volume) or ABORTED; one "
      "volume",
      "§CreateVolume (idempotent; SHOULD NOT provision more than one piece of storage), "
      "§Concurrency");
  std::string name = Unique("race");
  std::vector<std::future<std::pair<grpc::Status, std::string>>> calls;
  for (int i = 0; i < 6; ++i) {
    calls.push_back(std::async(std::launch::async, [&] {
      v1::CreateVolumeResponse r;
      grpc::Status s =
          RPC(controller(), CreateVolume, CreateRequest(name, kVolumeBytes, MountCap()), &r);
      return std::make_pair(s, r.volume().volume_id());
    }));
  }
  std::set<std::string> ids;
  for (auto& f : calls) {
    auto [s, id] = f.get();
    EXPECT_TRUE(HasCodeIn(s, {StatusCode::OK, StatusCode::ABORTED}));
    if (s.ok()) ids.insert(id);
  }
  v1::Volume settled = MustCreateVolume(name);  // the CO retries until OK
  EXPECT_LE(ids.size(), 1u);
  if (!ids.empty()) {
    EXPECT_EQ(*ids.begin(), settled.volume_id());
  }
}

TEST_F(Volumes, CreateSameNameIncompatibleSizeIsAlreadyExists) {
  Spec("CreateVolume: existing name with an incompatible capacity_range -> ALREADY_EXISTS",
       "§CreateVolume Errors (Volume already exists but is incompatible)");
  std::string name = Unique("incompat");
  MustCreateVolume(name, 64 * kMiB);
  auto req = CreateRequest(name, 256 * kMiB, MountCap());
  req.mutable_capacity_range()->set_limit_bytes(256 * kMiB);
  v1::CreateVolumeResponse r;
  grpc::Status s = RPC(controller(), CreateVolume, req, &r);
  if (s.ok() && r.volume().capacity_bytes() < 256 * kMiB) TrackVolume(r.volume().volume_id());
  EXPECT_CODE(s, StatusCode::ALREADY_EXISTS);
}

TEST_F(Volumes, CreateAcceptsAnyUnicodeNameUpToTheLimit) {
  Spec(
      "CreateVolume: any Unicode name without banned control characters (128 bytes) is "
      "accepted, idempotently",
      "§CreateVolume (name), §Size Limits");
  std::string name = "Ünïcødé volume/with spaces:and.dots-";
  while (name.size() < 128) name += "x";
  name.resize(128);
  v1::Volume v = MustCreateVolume(name);
  v1::CreateVolumeResponse again;
  ASSERT_RPC_OK(
      RPC(controller(), CreateVolume, CreateRequest(name, kVolumeBytes, MountCap()), &again));
  EXPECT_EQ(again.volume().volume_id(), v.volume_id());
}

TEST_F(Volumes, CreateFromMissingSnapshotIsNotFound) {
  Spec("CreateVolume: content source snapshot does not exist -> NOT_FOUND",
       "§CreateVolume Errors (Source does not exist)");
  if (!caps().Controller(C::CREATE_DELETE_SNAPSHOT)) GTEST_SKIP() << "CREATE_DELETE_SNAPSHOT";
  v1::Volume source = MustCreateVolume(Unique("src"));
  v1::Snapshot snap = MustCreateSnapshot(source.volume_id(), Unique("snap"));
  // A well-formed id of a snapshot that is gone.
  v1::DeleteSnapshotRequest del;
  del.set_snapshot_id(snap.snapshot_id());
  v1::DeleteSnapshotResponse dr;
  ASSERT_RPC_OK(RPC(controller(), DeleteSnapshot, del, &dr));
  auto req = CreateRequest(Unique("fromgone"), kVolumeBytes, MountCap());
  req.mutable_volume_content_source()->mutable_snapshot()->set_snapshot_id(snap.snapshot_id());
  v1::CreateVolumeResponse r;
  grpc::Status s = RPC(controller(), CreateVolume, req, &r);
  if (s.ok()) TrackVolume(r.volume().volume_id());
  EXPECT_CODE(s, StatusCode::NOT_FOUND);
}

TEST_F(Volumes, CreateFromMissingVolumeIsNotFound) {
  Spec("CreateVolume: content source volume does not exist -> NOT_FOUND",
       "§CreateVolume Errors (Source does not exist)");
  if (!caps().Controller(C::CLONE_VOLUME)) GTEST_SKIP() << "CLONE_VOLUME";
  auto req = CreateRequest(Unique("clonegone"), kVolumeBytes, MountCap());
  req.mutable_volume_content_source()->mutable_volume()->set_volume_id("pvc-does-not-exist-0000");
  v1::CreateVolumeResponse r;
  grpc::Status s = RPC(controller(), CreateVolume, req, &r);
  if (s.ok()) TrackVolume(r.volume().volume_id());
  EXPECT_CODE(s, StatusCode::NOT_FOUND);
}

TEST_F(Volumes, MissingSourceIsNotFoundBeforeOtherVerdicts) {
  Spec(
      "CreateVolume: a content source that does not exist -> NOT_FOUND even with an unsupported "
      "fs_type, an unknown parameter, an impossible capacity range or a requisite topology no "
      "node matches; a repeat of a restore whose snapshot is gone since -> OK, the same volume",
      "§CreateVolume Errors (Source does not exist), §CreateVolume (MUST be idempotent)");
  if (!caps().Controller(C::CREATE_DELETE_SNAPSHOT)) GTEST_SKIP() << "CREATE_DELETE_SNAPSHOT";
  v1::Volume source = MustCreateVolume(Unique("srcord"));
  v1::Snapshot snap = MustCreateSnapshot(source.volume_id(), Unique("snap"));
  ASSERT_TRUE(snap.ready_to_use());
  auto restore = CreateRequest(Unique("restord"), kVolumeBytes, MountCap());
  restore.mutable_volume_content_source()->mutable_snapshot()->set_snapshot_id(snap.snapshot_id());
  v1::CreateVolumeResponse restored;
  ASSERT_RPC_OK(RPC(controller(), CreateVolume, restore, &restored));
  TrackVolume(restored.volume().volume_id());
  v1::DeleteSnapshotRequest del;
  del.set_snapshot_id(snap.snapshot_id());
  v1::DeleteSnapshotResponse dr;
  ASSERT_RPC_OK(RPC(controller(), DeleteSnapshot, del, &dr));

  std::vector<std::pair<std::string, v1::CreateVolumeRequest>> cases;
  auto base = [&](const std::string& what) {
    auto req = CreateRequest(Unique("gone"), kVolumeBytes, MountCap());
    req.mutable_volume_content_source()->mutable_snapshot()->set_snapshot_id(snap.snapshot_id());
    cases.push_back({what, req});
    return &cases.back().second;
  };
  base("unsupported fs_type")->mutable_volume_capabilities(0)->mutable_mount()->set_fs_type("ntfs");
  (*base("unknown parameter")
        ->mutable_parameters())[stack().options().driver_name + "/noSuchParameter"] = "x";
  auto* range = base("limit below required")->mutable_capacity_range();
  range->set_required_bytes(2 * kVolumeBytes);
  range->set_limit_bytes(kVolumeBytes);
  (*base("requisite topology of no node")
        ->mutable_accessibility_requirements()
        ->add_requisite()
        ->mutable_segments())[stack().options().driver_name + "/node"] = "no-such-satellite";
  auto clone =
      CreateRequest(Unique("gone"), kVolumeBytes, MountCap(Mode::SINGLE_NODE_WRITER, "ntfs"));
  clone.mutable_volume_content_source()->mutable_volume()->set_volume_id("pvc-does-not-exist-1");
  cases.push_back({"clone of a missing volume, unsupported fs_type", clone});
  for (const auto& [what, req] : cases) {
    v1::CreateVolumeResponse r;
    grpc::Status s = RPC(controller(), CreateVolume, req, &r);
    if (s.ok()) TrackVolume(r.volume().volume_id());
    EXPECT_CODE(s, StatusCode::NOT_FOUND) << what;
  }
  v1::CreateVolumeResponse again;
  ASSERT_RPC_OK(RPC(controller(), CreateVolume, restore, &again)) << "repeat, snapshot gone";
  EXPECT_EQ(again.volume().volume_id(), restored.volume().volume_id());
}

TEST_F(Volumes, CreateFromSnapshotAndClone) {
  Spec("CreateVolume from a snapshot / a volume: OK, content_source echoed, capacity >= source",
       "§CreateVolume (volume types), §Volume.content_source, §ControllerServiceCapability "
       "(CREATE_DELETE_SNAPSHOT MUST support restore; CLONE_VOLUME)");
  if (!caps().Controller(C::CREATE_DELETE_SNAPSHOT)) GTEST_SKIP() << "CREATE_DELETE_SNAPSHOT";
  v1::Volume source = MustCreateVolume(Unique("src"));
  v1::Snapshot snap = MustCreateSnapshot(source.volume_id(), Unique("snap"));
  ASSERT_TRUE(snap.ready_to_use());
  auto req = CreateRequest(Unique("restored"), kVolumeBytes, MountCap());
  req.mutable_volume_content_source()->mutable_snapshot()->set_snapshot_id(snap.snapshot_id());
  v1::CreateVolumeResponse r;
  ASSERT_RPC_OK(RPC(controller(), CreateVolume, req, &r));
  TrackVolume(r.volume().volume_id());
  EXPECT_GE(r.volume().capacity_bytes(), snap.size_bytes());
  EXPECT_EQ(r.volume().content_source().snapshot().snapshot_id(), snap.snapshot_id())
      << "external-provisioner rejects a restore whose response lacks content_source";
  // Idempotent with the source too.
  v1::CreateVolumeResponse again;
  ASSERT_RPC_OK(RPC(controller(), CreateVolume, req, &again));
  EXPECT_EQ(again.volume().volume_id(), r.volume().volume_id());

  if (caps().Controller(C::CLONE_VOLUME)) {
    auto clone = CreateRequest(Unique("clone"), kVolumeBytes, MountCap());
    clone.mutable_volume_content_source()->mutable_volume()->set_volume_id(source.volume_id());
    v1::CreateVolumeResponse cr;
    ASSERT_RPC_OK(RPC(controller(), CreateVolume, clone, &cr));
    TrackVolume(cr.volume().volume_id());
    EXPECT_NE(cr.volume().volume_id(), source.volume_id());
    EXPECT_EQ(cr.volume().content_source().volume().volume_id(), source.volume_id());
  }
}

TEST_F(Volumes, CreateFromSnapshotSmallerThanSnapshotIsOutOfRange) {
  Spec("CreateVolume from a snapshot with limit_bytes below the snapshot's size -> OUT_OF_RANGE",
       "§CreateVolume Errors (Unsupported capacity_range: smaller than the source snapshot)");
  if (!caps().Controller(C::CREATE_DELETE_SNAPSHOT)) GTEST_SKIP() << "CREATE_DELETE_SNAPSHOT";
  v1::Volume source = MustCreateVolume(Unique("src"), 64 * kMiB);
  v1::Snapshot snap = MustCreateSnapshot(source.volume_id(), Unique("snap"));
  auto req = CreateRequest(Unique("shrunk"), 8 * kMiB, MountCap());
  req.mutable_capacity_range()->set_limit_bytes(8 * kMiB);
  req.mutable_volume_content_source()->mutable_snapshot()->set_snapshot_id(snap.snapshot_id());
  v1::CreateVolumeResponse r;
  grpc::Status s = RPC(controller(), CreateVolume, req, &r);
  if (s.ok()) TrackVolume(r.volume().volume_id());
  EXPECT_CODE(s, StatusCode::OUT_OF_RANGE);
}

class RequisiteTopology : public Volumes, public ::testing::WithParamInterface<bool> {};

TEST_P(RequisiteTopology, VolumeIsAccessibleFromTheRequisiteNode) {
  bool remote = GetParam();
  Spec(std::string("CreateVolume with requisite = this node's topology (allowRemoteVolumeAccess=") +
           (remote ? "true" : "false") +
           "): the volume is accessible from the node: accessible_topology has a segment of it" +
           (remote ? ", or is empty (= equally accessible from all nodes)" : ""),
       "§TopologyRequirement (requisite: SP MUST ensure x >= 1), §Volume.accessible_topology");
  if (!caps().Plugin(v1::PluginCapability::Service::VOLUME_ACCESSIBILITY_CONSTRAINTS)) {
    GTEST_SKIP() << "VOLUME_ACCESSIBILITY_CONSTRAINTS";
  }
  v1::NodeGetInfoResponse info;
  ASSERT_RPC_OK(RPC(node(), NodeGetInfo, v1::NodeGetInfoRequest(), &info));
  ASSERT_FALSE(info.accessible_topology().segments().empty());
  auto req = CreateRequest(Unique("topo"), kVolumeBytes, MountCap());
  (*req.mutable_parameters())["allowRemoteVolumeAccess"] = remote ? "true" : "false";
  *req.mutable_accessibility_requirements()->add_requisite() = info.accessible_topology();
  *req.mutable_accessibility_requirements()->add_preferred() = info.accessible_topology();
  v1::CreateVolumeResponse r;
  ASSERT_RPC_OK(RPC(controller(), CreateVolume, req, &r));
  TrackVolume(r.volume().volume_id());
  bool reachable = remote && r.volume().accessible_topology().empty();
  for (const auto& t : r.volume().accessible_topology()) {
    bool subset = !t.segments().empty();
    for (const auto& [k, v] : t.segments()) {
      auto it = info.accessible_topology().segments().find(k);
      subset = subset && it != info.accessible_topology().segments().end() && it->second == v;
    }
    reachable = reachable || subset;
  }
  EXPECT_TRUE(reachable) << r.volume().ShortDebugString();
}

INSTANTIATE_TEST_SUITE_P(RemoteAccess, RequisiteTopology, ::testing::Bool(),
                         [](const auto& info) { return info.param ? "remote" : "local_only"; });

TEST_F(Volumes, CreateUnsatisfiableTopologyFails) {
  Spec(
      "CreateVolume: requisite topology nobody can satisfy -> the call MUST fail "
      "(RESOURCE_EXHAUSTED, or INVALID_ARGUMENT for an unknown segment)",
      "§TopologyRequirement (SP MUST fail), §CreateVolume Errors");
  if (!caps().Plugin(v1::PluginCapability::Service::VOLUME_ACCESSIBILITY_CONSTRAINTS)) {
    GTEST_SKIP() << "VOLUME_ACCESSIBILITY_CONSTRAINTS";
  }
  auto req = CreateRequest(Unique("notopo"), kVolumeBytes, MountCap());
  (*req.mutable_accessibility_requirements()
        ->add_requisite()
        ->mutable_segments())[stack().options().driver_name + "/node"] = "no-such-satellite";
  v1::CreateVolumeResponse r;
  grpc::Status s = RPC(controller(), CreateVolume, req, &r);
  if (s.ok()) TrackVolume(r.volume().volume_id());
  EXPECT_TRUE(HasCodeIn(s, {StatusCode::RESOURCE_EXHAUSTED, StatusCode::INVALID_ARGUMENT}));
}

TEST_F(Volumes, DeleteVolumeIdMissing) {
  Spec("DeleteVolume: volume_id missing -> INVALID_ARGUMENT", "§DeleteVolume, §Error Scheme");
  v1::DeleteVolumeResponse r;
  EXPECT_CODE(RPC(controller(), DeleteVolume, v1::DeleteVolumeRequest(), &r),
              StatusCode::INVALID_ARGUMENT);
}

TEST_F(Volumes, DeleteIsIdempotentAndUnknownIsOk) {
  Spec("DeleteVolume: unknown id -> OK; deleting twice -> OK; the volume is gone afterwards",
       "§DeleteVolume (MUST be idempotent; does not exist -> MUST reply OK)");
  v1::DeleteVolumeRequest unknown;
  unknown.set_volume_id("pvc-never-created-1234");
  v1::DeleteVolumeResponse r;
  EXPECT_RPC_OK(RPC(controller(), DeleteVolume, unknown, &r));
  v1::Volume v = MustCreateVolume(Unique("del"));
  v1::DeleteVolumeRequest req;
  req.set_volume_id(v.volume_id());
  EXPECT_RPC_OK(RPC(controller(), DeleteVolume, req, &r));
  EXPECT_RPC_OK(RPC(controller(), DeleteVolume, req, &r));
  if (caps().Controller(C::GET_VOLUME)) {
    v1::ControllerGetVolumeRequest get;
    get.set_volume_id(v.volume_id());
    v1::ControllerGetVolumeResponse gr;
    EXPECT_CODE(RPC(controller(), ControllerGetVolume, get, &gr), StatusCode::NOT_FOUND);
  }
  v1::ValidateVolumeCapabilitiesRequest vr;
  vr.set_volume_id(v.volume_id());
  *vr.add_volume_capabilities() = MountCap();
  v1::ValidateVolumeCapabilitiesResponse vresp;
  EXPECT_CODE(RPC(controller(), ValidateVolumeCapabilities, vr, &vresp), StatusCode::NOT_FOUND);
}

TEST_F(Volumes, DeleteLeavesSnapshotsUsable) {
  Spec(
      "DeleteVolume with snapshots: either OK and the snapshots stay listed and restorable, or "
      "FAILED_PRECONDITION with the volume unaltered",
      "§DeleteVolume (snapshots independent of volumes), §DeleteVolume Errors");
  if (!caps().Controller(C::CREATE_DELETE_SNAPSHOT)) GTEST_SKIP() << "CREATE_DELETE_SNAPSHOT";
  v1::Volume v = MustCreateVolume(Unique("withsnap"));
  v1::Snapshot snap = MustCreateSnapshot(v.volume_id(), Unique("keep"));
  v1::DeleteVolumeRequest del;
  del.set_volume_id(v.volume_id());
  v1::DeleteVolumeResponse dr;
  grpc::Status s = RPC(controller(), DeleteVolume, del, &dr);
  if (!s.ok()) {
    EXPECT_CODE(s, StatusCode::FAILED_PRECONDITION);
    return;
  }
  if (caps().Controller(C::LIST_SNAPSHOTS)) {
    v1::ListSnapshotsRequest ls;
    ls.set_snapshot_id(snap.snapshot_id());
    v1::ListSnapshotsResponse lr;
    ASSERT_RPC_OK(RPC(controller(), ListSnapshots, ls, &lr));
    ASSERT_EQ(lr.entries_size(), 1) << "a snapshot MUST still appear once its volume is deleted";
    EXPECT_TRUE(lr.entries(0).snapshot().ready_to_use());
  }
  auto restore = CreateRequest(Unique("afterdel"), kVolumeBytes, MountCap());
  restore.mutable_volume_content_source()->mutable_snapshot()->set_snapshot_id(snap.snapshot_id());
  v1::CreateVolumeResponse rr;
  ASSERT_RPC_OK(RPC(controller(), CreateVolume, restore, &rr))
      << "a snapshot of a deleted volume MUST still be a valid source";
  TrackVolume(rr.volume().volume_id());
}

TEST_F(Volumes, ValidateRequiredFieldsAndNotFound) {
  Spec(
      "ValidateVolumeCapabilities: volume_id or volume_capabilities missing -> "
      "INVALID_ARGUMENT; unknown volume -> NOT_FOUND",
      "§ValidateVolumeCapabilities, §ValidateVolumeCapabilities Errors");
  v1::Volume v = MustCreateVolume(Unique("validate"));
  v1::ValidateVolumeCapabilitiesResponse r;
  v1::ValidateVolumeCapabilitiesRequest no_id;
  *no_id.add_volume_capabilities() = MountCap();
  EXPECT_CODE(RPC(controller(), ValidateVolumeCapabilities, no_id, &r),
              StatusCode::INVALID_ARGUMENT);
  v1::ValidateVolumeCapabilitiesRequest no_caps;
  no_caps.set_volume_id(v.volume_id());
  EXPECT_CODE(RPC(controller(), ValidateVolumeCapabilities, no_caps, &r),
              StatusCode::INVALID_ARGUMENT);
  v1::ValidateVolumeCapabilitiesRequest unknown;
  unknown.set_volume_id("pvc-unknown-validate");
  *unknown.add_volume_capabilities() = MountCap();
  EXPECT_CODE(RPC(controller(), ValidateVolumeCapabilities, unknown, &r), StatusCode::NOT_FOUND);
}

TEST_F(Volumes, ValidateConfirmsSupportedOnly) {
  Spec(
      "ValidateVolumeCapabilities: supported capabilities -> confirmed (with them); an "
      "unsupported one -> never confirmed",
      "§ValidateVolumeCapabilities (confirmed only if ALL are supported)");
  v1::Volume v = MustCreateVolume(Unique("validate"));
  v1::ValidateVolumeCapabilitiesRequest req;
  req.set_volume_id(v.volume_id());
  *req.add_volume_capabilities() = MountCap();
  v1::ValidateVolumeCapabilitiesResponse r;
  ASSERT_RPC_OK(RPC(controller(), ValidateVolumeCapabilities, req, &r));
  ASSERT_TRUE(r.has_confirmed()) << r.message();
  EXPECT_GE(r.confirmed().volume_capabilities_size(), 1);
  // A filesystem nobody supports.
  *req.add_volume_capabilities() = MountCap(Mode::SINGLE_NODE_WRITER, "nosuchfs");
  v1::ValidateVolumeCapabilitiesResponse bad;
  grpc::Status s = RPC(controller(), ValidateVolumeCapabilities, req, &bad);
  if (s.ok()) {
    EXPECT_FALSE(bad.has_confirmed()) << bad.ShortDebugString();
  } else {
    EXPECT_CODE(s, StatusCode::INVALID_ARGUMENT);
  }
}

TEST_F(Volumes, ListVolumesPaginates) {
  Spec(
      "ListVolumes: max_entries bounds every page, next_token continues, all volumes appear "
      "exactly once, an empty next_token ends the listing",
      "§ListVolumes");
  if (!caps().Controller(C::LIST_VOLUMES)) GTEST_SKIP() << "LIST_VOLUMES";
  std::set<std::string> mine;
  for (int i = 0; i < 5; ++i) mine.insert(MustCreateVolume(Unique("list")).volume_id());
  std::multiset<std::string> seen;
  std::string token;
  int pages = 0;
  do {
    v1::ListVolumesRequest req;
    req.set_max_entries(2);
    req.set_starting_token(token);
    v1::ListVolumesResponse r;
    ASSERT_RPC_OK(RPC(controller(), ListVolumes, req, &r));
    EXPECT_LE(r.entries_size(), 2);
    for (const auto& e : r.entries()) {
      EXPECT_FALSE(e.volume().volume_id().empty());
      seen.insert(e.volume().volume_id());
      if (caps().Controller(C::LIST_VOLUMES_PUBLISHED_NODES)) {
        EXPECT_TRUE(e.has_status()) << "status MUST be set with LIST_VOLUMES_PUBLISHED_NODES";
      }
      if (caps().Controller(C::VOLUME_CONDITION)) {
        EXPECT_TRUE(e.status().has_volume_condition())
            << "volume_condition MUST be set with VOLUME_CONDITION";
      }
    }
    token = r.next_token();
    ASSERT_LT(++pages, 1000) << "pagination does not terminate";
  } while (!token.empty());
  for (const auto& id : mine) EXPECT_EQ(seen.count(id), 1u) << id;
  // max_entries 0: no limit, no token.
  v1::ListVolumesResponse all;
  ASSERT_RPC_OK(RPC(controller(), ListVolumes, v1::ListVolumesRequest(), &all));
  EXPECT_TRUE(all.next_token().empty());
  std::set<std::string> all_ids;
  for (const auto& e : all.entries()) all_ids.insert(e.volume().volume_id());
  for (const auto& id : mine) EXPECT_EQ(all_ids.count(id), 1u) << id;
}

TEST_F(Volumes, ListVolumesBadTokenIsAborted) {
  Spec("ListVolumes: invalid starting_token -> ABORTED", "§ListVolumes Errors");
  if (!caps().Controller(C::LIST_VOLUMES)) GTEST_SKIP() << "LIST_VOLUMES";
  v1::ListVolumesRequest req;
  req.set_starting_token("this-is-not-a-token-!@#");
  v1::ListVolumesResponse r;
  EXPECT_CODE(RPC(controller(), ListVolumes, req, &r), StatusCode::ABORTED);
}

TEST_F(Volumes, ListVolumesTokenSurvivesDeletion) {
  Spec(
      "ListVolumes: a next_token stays usable after the last volume of its page is deleted; "
      "deleted volumes disappear from the list",
      "§ListVolumes (no consistent view required, but tokens are not invalidated by deletes; "
      "as csi-sanity checks)");
  if (!caps().Controller(C::LIST_VOLUMES)) GTEST_SKIP() << "LIST_VOLUMES";
  for (int i = 0; i < 3; ++i) MustCreateVolume(Unique("tok"));
  v1::ListVolumesRequest req;
  req.set_max_entries(1);
  v1::ListVolumesResponse first;
  ASSERT_RPC_OK(RPC(controller(), ListVolumes, req, &first));
  ASSERT_EQ(first.entries_size(), 1);
  ASSERT_FALSE(first.next_token().empty());
  std::string deleted = first.entries(0).volume().volume_id();
  v1::DeleteVolumeRequest del;
  del.set_volume_id(deleted);
  v1::DeleteVolumeResponse dr;
  ASSERT_RPC_OK(RPC(controller(), DeleteVolume, del, &dr));
  req.set_starting_token(first.next_token());
  req.set_max_entries(0);
  v1::ListVolumesResponse rest;
  EXPECT_RPC_OK(RPC(controller(), ListVolumes, req, &rest));
  v1::ListVolumesResponse all;
  ASSERT_RPC_OK(RPC(controller(), ListVolumes, v1::ListVolumesRequest(), &all));
  for (const auto& e : all.entries()) EXPECT_NE(e.volume().volume_id(), deleted);
}

TEST_F(Volumes, GetCapacity) {
  Spec(
      "GetCapacity: available_capacity >= 0, maximum/minimum_volume_size >= 0 when set, with "
      "and without capabilities, parameters and topology",
      "§GetCapacity");
  if (!caps().Controller(C::GET_CAPACITY)) GTEST_SKIP() << "GET_CAPACITY";
  std::vector<v1::GetCapacityRequest> requests(3);
  *requests[1].add_volume_capabilities() = MountCap();
  if (caps().Plugin(v1::PluginCapability::Service::VOLUME_ACCESSIBILITY_CONSTRAINTS)) {
    v1::NodeGetInfoResponse info;
    ASSERT_RPC_OK(RPC(node(), NodeGetInfo, v1::NodeGetInfoRequest(), &info));
    *requests[2].mutable_accessible_topology() = info.accessible_topology();
    *requests[2].add_volume_capabilities() = BlockCap();
  }
  for (const auto& req : requests) {
    v1::GetCapacityResponse r;
    ASSERT_RPC_OK(RPC(controller(), GetCapacity, req, &r)) << req.ShortDebugString();
    EXPECT_GE(r.available_capacity(), 0);
    if (r.has_maximum_volume_size()) {
      EXPECT_GE(r.maximum_volume_size().value(), 0);
    }
    if (r.has_minimum_volume_size()) {
      EXPECT_GE(r.minimum_volume_size().value(), 0);
    }
  }
  // The default cluster has free space: a 64 MiB volume fits, so capacity is not zero.
  v1::GetCapacityResponse r;
  ASSERT_RPC_OK(RPC(controller(), GetCapacity, requests[1], &r));
  EXPECT_GE(r.available_capacity(), kVolumeBytes);
}

TEST_F(Volumes, ControllerGetVolume) {
  Spec(
      "ControllerGetVolume: volume_id missing -> INVALID_ARGUMENT; unknown -> NOT_FOUND; known "
      "-> the volume with status (volume_condition with VOLUME_CONDITION)",
      "§ControllerGetVolume, §ControllerGetVolume Errors");
  if (!caps().Controller(C::GET_VOLUME)) GTEST_SKIP() << "GET_VOLUME";
  v1::ControllerGetVolumeResponse r;
  EXPECT_CODE(RPC(controller(), ControllerGetVolume, v1::ControllerGetVolumeRequest(), &r),
              StatusCode::INVALID_ARGUMENT);
  v1::ControllerGetVolumeRequest unknown;
  unknown.set_volume_id("pvc-unknown-get");
  EXPECT_CODE(RPC(controller(), ControllerGetVolume, unknown, &r), StatusCode::NOT_FOUND);
  v1::Volume v = MustCreateVolume(Unique("get"));
  v1::ControllerGetVolumeRequest req;
  req.set_volume_id(v.volume_id());
  ASSERT_RPC_OK(RPC(controller(), ControllerGetVolume, req, &r));
  EXPECT_EQ(r.volume().volume_id(), v.volume_id());
  EXPECT_EQ(r.volume().capacity_bytes(), v.capacity_bytes());
  EXPECT_TRUE(r.has_status());
  if (caps().Controller(C::VOLUME_CONDITION)) {
    ASSERT_TRUE(r.status().has_volume_condition());
    EXPECT_FALSE(r.status().volume_condition().abnormal())
        << r.status().volume_condition().message();
    EXPECT_FALSE(r.status().volume_condition().message().empty())
        << "VolumeCondition.message is REQUIRED";
  }
  if (caps().Controller(C::LIST_VOLUMES_PUBLISHED_NODES)) {
    EXPECT_EQ(r.status().published_node_ids_size(), 0);
  }
}

TEST_F(Volumes, ControllerExpand) {
  Spec(
      "ControllerExpandVolume: missing volume_id / capacity_range -> INVALID_ARGUMENT; unknown "
      "-> NOT_FOUND; grows to >= required; repeat and smaller -> OK",
      "§ControllerExpandVolume, §ControllerExpandVolume Errors");
  if (!caps().Controller(C::EXPAND_VOLUME)) GTEST_SKIP() << "EXPAND_VOLUME";
  v1::Volume v = MustCreateVolume(Unique("expand"), 64 * kMiB);
  v1::ControllerExpandVolumeResponse r;
  v1::ControllerExpandVolumeRequest no_id;
  no_id.mutable_capacity_range()->set_required_bytes(128 * kMiB);
  EXPECT_CODE(RPC(controller(), ControllerExpandVolume, no_id, &r), StatusCode::INVALID_ARGUMENT);
  v1::ControllerExpandVolumeRequest no_range;
  no_range.set_volume_id(v.volume_id());
  EXPECT_CODE(RPC(controller(), ControllerExpandVolume, no_range, &r),
              StatusCode::INVALID_ARGUMENT);
  v1::ControllerExpandVolumeRequest unknown = no_id;
  unknown.set_volume_id("pvc-unknown-expand");
  EXPECT_CODE(RPC(controller(), ControllerExpandVolume, unknown, &r), StatusCode::NOT_FOUND);

  v1::ControllerExpandVolumeRequest grow;
  grow.set_volume_id(v.volume_id());
  grow.mutable_capacity_range()->set_required_bytes(128 * kMiB);
  *grow.mutable_volume_capability() = MountCap();
  ASSERT_RPC_OK(RPC(controller(), ControllerExpandVolume, grow, &r));
  EXPECT_GE(r.capacity_bytes(), 128 * kMiB);
  ASSERT_RPC_OK(RPC(controller(), ControllerExpandVolume, grow, &r)) << "repeat";
  EXPECT_GE(r.capacity_bytes(), 128 * kMiB);
  v1::ControllerExpandVolumeRequest smaller = grow;
  smaller.mutable_capacity_range()->set_required_bytes(32 * kMiB);
  EXPECT_RPC_OK(RPC(controller(), ControllerExpandVolume, smaller, &r))
      << "already larger than the target -> SHOULD reply OK";
  EXPECT_GE(r.capacity_bytes(), 128 * kMiB) << "expansion never shrinks";
  if (caps().Controller(C::GET_VOLUME)) {
    v1::ControllerGetVolumeRequest get;
    get.set_volume_id(v.volume_id());
    v1::ControllerGetVolumeResponse gr;
    ASSERT_RPC_OK(RPC(controller(), ControllerGetVolume, get, &gr));
    EXPECT_GE(gr.volume().capacity_bytes(), 128 * kMiB);
  }
}

}  // namespace
}  // namespace lcsi::conformance

namespace lcsi::conformance {
namespace {

TEST_F(Volumes, VolumeContextIsStable) {
  Spec(
      "a volume reports the same volume_context everywhere (CreateVolume again, "
      "ControllerGetVolume, ListVolumes)",
      "§Volume.volume_context (SHALL always report the same volume_context; SHALL NOT be "
      "mutable)");
  v1::Volume v = MustCreateVolume(Unique("ctx"));
  auto same = [&](const google::protobuf::Map<std::string, std::string>& other,
                  const std::string& where) {
    EXPECT_EQ(other.size(), v.volume_context().size()) << where;
    for (const auto& [k, val] : v.volume_context()) {
      auto it = other.find(k);
      EXPECT_TRUE(it != other.end() && it->second == val) << where << ": " << k;
    }
  };
  if (caps().Controller(C::GET_VOLUME)) {
    v1::ControllerGetVolumeRequest get;
    get.set_volume_id(v.volume_id());
    v1::ControllerGetVolumeResponse r;
    ASSERT_RPC_OK(RPC(controller(), ControllerGetVolume, get, &r));
    same(r.volume().volume_context(), "ControllerGetVolume");
  }
  if (caps().Controller(C::LIST_VOLUMES)) {
    std::string token;
    bool found = false;
    do {
      v1::ListVolumesRequest req;
      req.set_starting_token(token);
      req.set_max_entries(50);
      v1::ListVolumesResponse r;
      ASSERT_RPC_OK(RPC(controller(), ListVolumes, req, &r));
      for (const auto& e : r.entries()) {
        if (e.volume().volume_id() == v.volume_id()) {
          found = true;
          same(e.volume().volume_context(), "ListVolumes");
          EXPECT_EQ(e.volume().capacity_bytes(), v.capacity_bytes());
        }
      }
      token = r.next_token();
    } while (!token.empty());
    EXPECT_TRUE(found);
  }
}

}  // namespace
}  // namespace lcsi::conformance
