#include "csi/redaction.h"

#include <gtest/gtest.h>

#include "csi/csi.pb.h"

namespace lcsi {
namespace {

TEST(Redaction, SecretMapsAreStrippedAtAnyDepth) {
  csi::v1::CreateVolumeRequest req;
  req.set_name("pvc-123");
  (*req.mutable_secrets())["password"] = "hunter2-top-secret";
  (*req.mutable_parameters())["placementCount"] = "2";
  std::string text = RedactedText(req);
  EXPECT_EQ(text.find("hunter2"), std::string::npos) << text;
  EXPECT_NE(text.find("password"), std::string::npos) << text;  // key kept for debugging
  EXPECT_NE(text.find(kRedacted), std::string::npos) << text;
  EXPECT_NE(text.find("placementCount"), std::string::npos) << text;
  EXPECT_NE(text.find("pvc-123"), std::string::npos) << text;
  // The original is untouched.
  EXPECT_EQ(req.secrets().at("password"), "hunter2-top-secret");
}

TEST(Redaction, EveryRequestWithSecretsIsCovered) {
  csi::v1::NodeStageVolumeRequest stage;
  (*stage.mutable_secrets())["k"] = "s3cr3t-stage";
  csi::v1::ControllerExpandVolumeRequest expand;
  (*expand.mutable_secrets())["k"] = "s3cr3t-expand";
  csi::v1::CreateSnapshotRequest snap;
  (*snap.mutable_secrets())["k"] = "s3cr3t-snap";
  for (const google::protobuf::Message* m :
       std::initializer_list<const google::protobuf::Message*>{&stage, &expand, &snap}) {
    EXPECT_EQ(RedactedText(*m).find("s3cr3t"), std::string::npos) << RedactedText(*m);
  }
}

TEST(Redaction, Subject) {
  csi::v1::DeleteVolumeRequest del;
  del.set_volume_id("vol-9");
  EXPECT_EQ(RequestSubject(del), "vol-9");
  csi::v1::CreateVolumeRequest create;
  create.set_name("pvc-1");
  EXPECT_EQ(RequestSubject(create), "pvc-1");
  csi::v1::ProbeRequest probe;
  EXPECT_EQ(RequestSubject(probe), "");
}

}  // namespace
}  // namespace lcsi
