#include "nodeplugin/stage_record.h"

#include <gtest/gtest.h>

#include "nodeplugin/fake_filesystem.h"

namespace lcsi::node {
namespace {

TEST(StageRecordTest, JsonRoundTrip) {
  StageRecord r;
  r.volume_id = "pvc-\"quoted\"\\name";
  r.device = "/dev/drbd1000";
  r.block = false;
  r.fs_type = "xfs";
  r.requested_fs = "";
  r.access_mode = 7;
  r.mount_flags = {"noatime", "discard"};
  r.read_only = true;
  auto parsed = StageRecordFromJson(StageRecordToJson(r));
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(*parsed, r);
}

TEST(StageRecordTest, FileLifeCycle) {
  FakeFilesystem files;
  ASSERT_TRUE(files.MkdirAll("/kubelet/pv", 0750).ok());
  std::string staging = "/kubelet/pv/globalmount";
  EXPECT_EQ(StageRecordPath(staging + "/"), staging + ".lcsi-stage.json");
  auto none = ReadStageRecord(files, staging);
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());

  StageRecord r;
  r.volume_id = "vol";
  r.device = "/dev/loop3";
  r.block = true;
  ASSERT_TRUE(WriteStageRecord(files, staging, r).ok());
  EXPECT_EQ(files.LastDurability(StageRecordPath(staging)), Durability::kSurvivesProcessCrash)
      << "a record describes a mount, which a machine crash loses anyway: no fsync";
  auto read = ReadStageRecord(files, staging);
  ASSERT_TRUE(read.ok() && read->has_value());
  EXPECT_EQ(**read, r);

  ASSERT_TRUE(RemoveStageRecord(files, staging).ok());
  ASSERT_TRUE(RemoveStageRecord(files, staging).ok()) << "removing twice is fine";
  EXPECT_FALSE(ReadStageRecord(files, staging)->has_value());
}

TEST(StageRecordTest, CorruptRecordIsDataLoss) {
  FakeFilesystem files;
  std::string staging = "/kubelet/s";
  files.AddFile(StageRecordPath(staging), "{not json");
  auto read = ReadStageRecord(files, staging);
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.status().code(), Code::kDataLoss);
  files.AddFile(StageRecordPath(staging), "{\"device\":\"/dev/x\"}");
  EXPECT_EQ(ReadStageRecord(files, staging).status().code(), Code::kDataLoss);
}

TEST(StageRecordTest, UnreadableRecordPassesTheErrorOn) {
  FakeFilesystem files;
  files.FailNext("ReadFile", Internal("open: Permission denied"));
  auto read = ReadStageRecord(files, "/kubelet/s");
  EXPECT_EQ(read.status().code(), Code::kInternal) << "not mistaken for 'no record'";
}

}  // namespace
}  // namespace lcsi::node
