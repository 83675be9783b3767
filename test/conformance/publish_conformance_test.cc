// ControllerPublishVolume / ControllerUnpublishVolume (spec §ControllerPublishVolume,
// §ControllerUnpublishVolume) and ControllerModifyVolume (§ControllerModifyVolume).
#include "test/conformance/conformance.h"

namespace lcsi::conformance {
namespace {

using grpc::StatusCode;
using C = v1::ControllerServiceCapability::RPC;

class Publish : public ConformanceTest {
 protected:
  void SetUp() override {
    ConformanceTest::SetUp();
    if (!caps().Controller(C::PUBLISH_UNPUBLISH_VOLUME)) GTEST_SKIP() << "PUBLISH_UNPUBLISH_VOLUME";
  }
  v1::ControllerPublishVolumeRequest PublishRequest(const std::string& volume,
                                                    const std::string& node_id,
                                                    const v1::VolumeCapability& cap = MountCap(),
                                                    bool readonly = false) {
    v1::ControllerPublishVolumeRequest req;
    req.set_volume_id(volume);
    req.set_node_id(node_id);
    *req.mutable_volume_capability() = cap;
    req.set_readonly(readonly);
    return req;
  }
  std::vector<std::string> PublishedNodes(const std::string& volume) {
    v1::ControllerGetVolumeRequest req;
    req.set_volume_id(volume);
    v1::ControllerGetVolumeResponse r;
    EXPECT_RPC_OK(RPC(controller(), ControllerGetVolume, req, &r));
    return {r.status().published_node_ids().begin(), r.status().published_node_ids().end()};
  }
  bool CanReadPublishedNodes() {
    return caps().Controller(C::GET_VOLUME) && caps().Controller(C::LIST_VOLUMES_PUBLISHED_NODES);
  }
};

TEST_F(Publish, RequiredFieldsMissing) {
  Spec(
      "ControllerPublishVolume: volume_id, node_id or volume_capability missing -> "
      "INVALID_ARGUMENT",
      "§ControllerPublishVolume (REQUIRED fields), §Error Scheme");
  v1::Volume v = MustCreateVolume(Unique("pubreq"));
  v1::ControllerPublishVolumeResponse r;
  auto no_volume = PublishRequest("", NodeId());
  EXPECT_CODE(RPC(controller(), ControllerPublishVolume, no_volume, &r),
              StatusCode::INVALID_ARGUMENT);
  auto no_node = PublishRequest(v.volume_id(), "");
  EXPECT_CODE(RPC(controller(), ControllerPublishVolume, no_node, &r),
              StatusCode::INVALID_ARGUMENT);
  auto no_cap = PublishRequest(v.volume_id(), NodeId());
  no_cap.clear_volume_capability();
  grpc::Status s = RPC(controller(), ControllerPublishVolume, no_cap, &r);
  if (s.ok()) TrackPublication(v.volume_id(), NodeId());
  EXPECT_CODE(s, StatusCode::INVALID_ARGUMENT);
}

TEST_F(Publish, UnknownVolumeOrNodeIsNotFound) {
  Spec("ControllerPublishVolume: unknown volume -> NOT_FOUND; unknown node -> NOT_FOUND",
       "§ControllerPublishVolume Errors");
  v1::Volume v = MustCreateVolume(Unique("pubnf"));
  v1::ControllerPublishVolumeResponse r;
  EXPECT_CODE(
      RPC(controller(), ControllerPublishVolume, PublishRequest("pvc-unknown-pub", NodeId()), &r),
      StatusCode::NOT_FOUND);
  grpc::Status s =
      RPC(controller(), ControllerPublishVolume, PublishRequest(v.volume_id(), "no-such-node"), &r);
  if (s.ok()) TrackPublication(v.volume_id(), "no-such-node");
  EXPECT_CODE(s, StatusCode::NOT_FOUND);
}

TEST_F(Publish, ExistenceIsCheckedBeforeOtherVerdicts) {
  Spec(
      "ControllerPublishVolume: an unknown volume or node -> NOT_FOUND even with an unsupported "
      "access mode, and an unknown node -> NOT_FOUND while the volume is published elsewhere "
      "(existence before INVALID_ARGUMENT and FAILED_PRECONDITION)",
      "§ControllerPublishVolume Errors (Volume does not exist; Node does not exist; Volume "
      "published to another node)");
  v1::Volume v = MustCreateVolume(Unique("pubord"));
  v1::ControllerPublishVolumeResponse r;
  const auto unsupported = MountCap(Mode::MULTI_NODE_MULTI_WRITER);
  EXPECT_CODE(RPC(controller(), ControllerPublishVolume,
                  PublishRequest("pvc-unknown-pub", NodeId(), unsupported), &r),
              StatusCode::NOT_FOUND);
  grpc::Status s = RPC(controller(), ControllerPublishVolume,
                       PublishRequest(v.volume_id(), "no-such-node", unsupported), &r);
  if (s.ok()) TrackPublication(v.volume_id(), "no-such-node");
  EXPECT_CODE(s, StatusCode::NOT_FOUND);
  s = RPC(controller(), ControllerPublishVolume,
          PublishRequest(v.volume_id(), NodeId(), unsupported), &r);
  if (s.ok()) TrackPublication(v.volume_id(), NodeId());
  EXPECT_CODE(s, StatusCode::INVALID_ARGUMENT) << "a known volume and node: the mode is judged";

  ASSERT_RPC_OK(
      RPC(controller(), ControllerPublishVolume, PublishRequest(v.volume_id(), NodeId()), &r));
  TrackPublication(v.volume_id(), NodeId());
  s = RPC(controller(), ControllerPublishVolume, PublishRequest(v.volume_id(), "no-such-node"), &r);
  if (s.ok()) TrackPublication(v.volume_id(), "no-such-node");
  EXPECT_CODE(s, StatusCode::NOT_FOUND) << "not FAILED_PRECONDITION: the node does not exist";
}

TEST_F(Publish, IdempotentWithSameContext) {
  Spec(
      "ControllerPublishVolume: publishing again with compatible arguments -> OK with the same "
      "publish_context; ControllerGetVolume lists the node",
      "§ControllerPublishVolume (MUST be idempotent), §ControllerPublishVolumeResponse "
      "(publish_context SHALL NOT be mutable)");
  v1::Volume v = MustCreateVolume(Unique("pubidem"));
  v1::ControllerPublishVolumeResponse first, second;
  ASSERT_RPC_OK(
      RPC(controller(), ControllerPublishVolume, PublishRequest(v.volume_id(), NodeId()), &first));
  TrackPublication(v.volume_id(), NodeId());
  ASSERT_RPC_OK(
      RPC(controller(), ControllerPublishVolume, PublishRequest(v.volume_id(), NodeId()), &second));
  EXPECT_EQ(first.publish_context().size(), second.publish_context().size());
  for (const auto& [k, val] : first.publish_context()) {
    EXPECT_EQ(second.publish_context().at(k), val) << k;
  }
  if (CanReadPublishedNodes()) {
    auto nodes = PublishedNodes(v.volume_id());
    EXPECT_NE(std::find(nodes.begin(), nodes.end(), NodeId()), nodes.end());
  }
}

TEST_F(Publish, IncompatibleRepublishIsAlreadyExists) {
  Spec(
      "ControllerPublishVolume: already published on the node with a different readonly flag "
      "-> ALREADY_EXISTS",
      "§ControllerPublishVolume Errors (Volume published but is incompatible)");
  if (!caps().Controller(C::PUBLISH_READONLY)) GTEST_SKIP() << "PUBLISH_READONLY";
  v1::Volume v =
      MustCreateVolume(Unique("pubro"), kVolumeBytes, MountCap(Mode::MULTI_NODE_READER_ONLY));
  v1::ControllerPublishVolumeResponse r;
  auto rw = PublishRequest(v.volume_id(), NodeId(), MountCap(Mode::MULTI_NODE_READER_ONLY), false);
  ASSERT_RPC_OK(RPC(controller(), ControllerPublishVolume, rw, &r));
  TrackPublication(v.volume_id(), NodeId());
  auto ro = rw;
  ro.set_readonly(true);
  EXPECT_CODE(RPC(controller(), ControllerPublishVolume, ro, &r), StatusCode::ALREADY_EXISTS);
}

TEST_F(Publish, SingleNodeVolumeOnSecondNodeIsFailedPrecondition) {
  Spec(
      "ControllerPublishVolume: a SINGLE_NODE_WRITER volume published on node A, then on node "
      "B -> FAILED_PRECONDITION (message names node A)",
      "§ControllerPublishVolume Errors (Volume published to another node)");
  v1::Volume v = MustCreateVolume(Unique("pubsn"));
  v1::ControllerPublishVolumeResponse r;
  ASSERT_RPC_OK(
      RPC(controller(), ControllerPublishVolume, PublishRequest(v.volume_id(), NodeId()), &r));
  TrackPublication(v.volume_id(), NodeId());
  grpc::Status s =
      RPC(controller(), ControllerPublishVolume, PublishRequest(v.volume_id(), OtherNodeId()), &r);
  if (s.ok()) TrackPublication(v.volume_id(), OtherNodeId());
  EXPECT_CODE(s, StatusCode::FAILED_PRECONDITION);
  EXPECT_NE(s.error_message().find(NodeId()), std::string::npos)
      << "the message SHOULD name the node it is published on: " << s.error_message();
}

TEST_F(Publish, MultiNodeVolumeOnTwoNodes) {
  Spec(
      "ControllerPublishVolume: a MULTI_NODE_MULTI_WRITER block volume may be published on two "
      "nodes (or creation refuses the capability with INVALID_ARGUMENT); unpublish with empty "
      "node_id unpublishes from all nodes",
      "§ControllerPublishVolume (MULTI_NODE), §ControllerUnpublishVolume (node_id unset)");
  auto cap = BlockCap(Mode::MULTI_NODE_MULTI_WRITER);
  v1::CreateVolumeResponse created;
  grpc::Status s =
      RPC(controller(), CreateVolume, CreateRequest(Unique("pubmn"), kVolumeBytes, cap), &created);
  if (!s.ok()) {
    EXPECT_CODE(s, StatusCode::INVALID_ARGUMENT);
    return;
  }
  std::string id = created.volume().volume_id();
  TrackVolume(id);
  v1::ControllerPublishVolumeResponse r;
  ASSERT_RPC_OK(RPC(controller(), ControllerPublishVolume, PublishRequest(id, NodeId(), cap), &r));
  TrackPublication(id, NodeId());
  ASSERT_RPC_OK(
      RPC(controller(), ControllerPublishVolume, PublishRequest(id, OtherNodeId(), cap), &r));
  TrackPublication(id, OtherNodeId());
  v1::ControllerUnpublishVolumeRequest all;
  all.set_volume_id(id);
  v1::ControllerUnpublishVolumeResponse ur;
  ASSERT_RPC_OK(RPC(controller(), ControllerUnpublishVolume, all, &ur));
  if (CanReadPublishedNodes()) {
    EXPECT_TRUE(PublishedNodes(id).empty());
  }
}

TEST_F(Publish, UnpublishRules) {
  Spec(
      "ControllerUnpublishVolume: volume_id missing -> INVALID_ARGUMENT; not published -> OK; "
      "twice -> OK; unknown volume or node -> OK or NOT_FOUND; node no longer listed",
      "§ControllerUnpublishVolume, §ControllerUnpublishVolume Errors");
  v1::ControllerUnpublishVolumeResponse r;
  v1::ControllerUnpublishVolumeRequest no_id;
  no_id.set_node_id(NodeId());
  EXPECT_CODE(RPC(controller(), ControllerUnpublishVolume, no_id, &r),
              StatusCode::INVALID_ARGUMENT);

  v1::Volume v = MustCreateVolume(Unique("unpub"));
  v1::ControllerUnpublishVolumeRequest req;
  req.set_volume_id(v.volume_id());
  req.set_node_id(NodeId());
  EXPECT_RPC_OK(RPC(controller(), ControllerUnpublishVolume, req, &r)) << "never published";
  v1::ControllerPublishVolumeResponse pr;
  ASSERT_RPC_OK(
      RPC(controller(), ControllerPublishVolume, PublishRequest(v.volume_id(), NodeId()), &pr));
  TrackPublication(v.volume_id(), NodeId());
  EXPECT_RPC_OK(RPC(controller(), ControllerUnpublishVolume, req, &r));
  EXPECT_RPC_OK(RPC(controller(), ControllerUnpublishVolume, req, &r)) << "second time";
  if (CanReadPublishedNodes()) {
    auto nodes = PublishedNodes(v.volume_id());
    EXPECT_EQ(std::find(nodes.begin(), nodes.end(), NodeId()), nodes.end());
  }
  v1::ControllerUnpublishVolumeRequest unknown_volume;
  unknown_volume.set_volume_id("pvc-unknown-unpub");
  unknown_volume.set_node_id(NodeId());
  EXPECT_TRUE(HasCodeIn(RPC(controller(), ControllerUnpublishVolume, unknown_volume, &r),
                        {StatusCode::OK, StatusCode::NOT_FOUND}));
  v1::ControllerUnpublishVolumeRequest unknown_node;
  unknown_node.set_volume_id(v.volume_id());
  unknown_node.set_node_id("no-such-node");
  EXPECT_TRUE(HasCodeIn(RPC(controller(), ControllerUnpublishVolume, unknown_node, &r),
                        {StatusCode::OK, StatusCode::NOT_FOUND}));
}

TEST_F(Publish, PublishedNodesSurviveControllerRestart) {
  Spec(
      "ControllerGetVolume/ListVolumes report published nodes truthfully after the controller "
      "restarts (state lives in LINSTOR, not in the process)",
      "§ListVolumesResponse.VolumeStatus.published_node_ids, §ControllerGetVolume");
  if (!CanReadPublishedNodes()) GTEST_SKIP() << "GET_VOLUME + LIST_VOLUMES_PUBLISHED_NODES";
  v1::Volume v = MustCreateVolume(Unique("pubrestart"));
  v1::ControllerPublishVolumeResponse r;
  ASSERT_RPC_OK(
      RPC(controller(), ControllerPublishVolume, PublishRequest(v.volume_id(), NodeId()), &r));
  TrackPublication(v.volume_id(), NodeId());
  ASSERT_TRUE(stack().RestartController().ok()) << stack().ControllerLog();
  auto nodes = PublishedNodes(v.volume_id());
  EXPECT_NE(std::find(nodes.begin(), nodes.end(), NodeId()), nodes.end());
}

class Modify : public ConformanceTest {
 protected:
  void SetUp() override {
    ConformanceTest::SetUp();
    if (!caps().Controller(C::MODIFY_VOLUME)) GTEST_SKIP() << "MODIFY_VOLUME";
  }
};

TEST_F(Modify, RequiredFieldsAndUnsupportedParameters) {
  Spec(
      "ControllerModifyVolume: volume_id missing -> INVALID_ARGUMENT; an unsupported mutable "
      "parameter on an existing volume -> INVALID_ARGUMENT",
      "§ControllerModifyVolume, §ControllerModifyVolume Errors (Parameters not supported)");
  v1::Volume v = MustCreateVolume(Unique("modify"));
  v1::ControllerModifyVolumeResponse r;
  v1::ControllerModifyVolumeRequest no_id;
  (*no_id.mutable_mutable_parameters())["placementCount"] = "2";
  EXPECT_CODE(RPC(controller(), ControllerModifyVolume, no_id, &r), StatusCode::INVALID_ARGUMENT);
  for (const std::string& key :
       {stack().options().driver_name + "/noSuchParameter", std::string("XXX_FakeKey")}) {
    v1::ControllerModifyVolumeRequest bad;
    bad.set_volume_id(v.volume_id());
    (*bad.mutable_mutable_parameters())[key] = "x";
    EXPECT_CODE(RPC(controller(), ControllerModifyVolume, bad, &r), StatusCode::INVALID_ARGUMENT)
        << key;
  }
}

TEST_F(Modify, UnknownVolumeIsNotFoundWhateverTheParameters) {
  Spec(
      "ControllerModifyVolume: an unknown volume_id -> NOT_FOUND, with an empty, an unsupported "
      "or a supported mutable_parameters map (existence is checked before the parameters)",
      "§ControllerModifyVolume Errors (Volume does not exist)");
  std::vector<std::map<std::string, std::string>> maps = {
      {}, {{"XXX_FakeKey", "XXX_FakeValue"}}, {{"placementCount", "2"}}};
  for (const auto& m : maps) {
    for (const std::string id : {"pvc-unknown-modify", "non-existing-volume-id"}) {
      v1::ControllerModifyVolumeRequest unknown;
      unknown.set_volume_id(id);
      for (const auto& [k, val] : m) (*unknown.mutable_mutable_parameters())[k] = val;
      v1::ControllerModifyVolumeResponse r;
      EXPECT_CODE(RPC(controller(), ControllerModifyVolume, unknown, &r), StatusCode::NOT_FOUND)
          << id << " with " << m.size() << " parameter(s)";
    }
  }
}

TEST_F(Modify, EmptyMapIsANoOp) {
  Spec(
      "ControllerModifyVolume: an empty mutable_parameters map on an existing volume (made "
      "without and with mutable_parameters) -> OK and LINSTOR sees no change",
      "§ControllerModifyVolume (mutable_parameters: a proto3 map, empty is valid), "
      "§ControllerModifyVolume (MUST be idempotent)");
  v1::Volume plain = MustCreateVolume(Unique("modempty"));
  auto req = CreateRequest(Unique("modvac"), kVolumeBytes, MountCap());
  (*req.mutable_mutable_parameters())["placementCount"] = "1";
  v1::CreateVolumeResponse created;
  ASSERT_RPC_OK(RPC(controller(), CreateVolume, req, &created));
  TrackVolume(created.volume().volume_id());
  for (const std::string& id : {plain.volume_id(), created.volume().volume_id()}) {
    const std::string before = stack().sim().Get("/v1/resource-definitions/" + id).body;
    ASSERT_TRUE(stack().sim().ResetCounters().ok());
    v1::ControllerModifyVolumeRequest empty;
    empty.set_volume_id(id);
    v1::ControllerModifyVolumeResponse r;
    EXPECT_RPC_OK(RPC(controller(), ControllerModifyVolume, empty, &r)) << id;
    auto counters = stack().sim().Counters();
    ASSERT_TRUE(counters.ok());
    for (const auto& [route, n] : *counters) {
      if (n == 0) continue;
      EXPECT_EQ(route.rfind("GET ", 0), 0u) << id << ": an empty map changed LINSTOR: " << route;
    }
    EXPECT_EQ(stack().sim().Get("/v1/resource-definitions/" + id).body, before) << id;
  }
}

TEST_F(Modify, SupportedParameterIsIdempotent) {
  Spec(
      "ControllerModifyVolume: a supported mutable parameter -> OK, and again -> OK; "
      "CreateVolume accepts mutable_parameters",
      "§ControllerModifyVolume (MUST be idempotent), §CreateVolume (mutable_parameters)");
  auto req = CreateRequest(Unique("modok"), kVolumeBytes, MountCap());
  (*req.mutable_mutable_parameters())["placementCount"] = "1";
  v1::CreateVolumeResponse created;
  ASSERT_RPC_OK(RPC(controller(), CreateVolume, req, &created));
  TrackVolume(created.volume().volume_id());
  v1::ControllerModifyVolumeRequest modify;
  modify.set_volume_id(created.volume().volume_id());
  (*modify.mutable_mutable_parameters())["placementCount"] = "2";
  v1::ControllerModifyVolumeResponse r;
  EXPECT_RPC_OK(RPC(controller(), ControllerModifyVolume, modify, &r));
  EXPECT_RPC_OK(RPC(controller(), ControllerModifyVolume, modify, &r)) << "repeat";
}

}  // namespace
}  // namespace lcsi::conformance
