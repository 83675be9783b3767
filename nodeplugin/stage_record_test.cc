#include "nodeplugin/stage_record.h"

#include <gtest/gtest.h>

#include "nodeplugin/posix_filesystem.h"
#include "nodeplugin/test_support.h"

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
  PosixFilesystem files;
  testing::TempDir dir;
  std::string staging = dir.Sub("globalmount");
  EXPECT_EQ(StageRecordPath(staging + "/"), staging + ".lcsi-stage.json");
  auto none = ReadStageRecord(files, staging);
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());

  StageRecord r;
  r.volume_id = "vol";
  r.device = "/dev/loop3";
  r.block = true;
  ASSERT_TRUE(WriteStageRecord(files, staging, r).ok());
  auto read = ReadStageRecord(files, staging);
  ASSERT_TRUE(read.ok() && read->has_value());
  EXPECT_EQ(**read, r);

  ASSERT_TRUE(RemoveStageRecord(files, staging).ok());
  ASSERT_TRUE(RemoveStageRecord(files, staging).ok()) << "removing twice is fine";
  EXPECT_FALSE(ReadStageRecord(files, staging)->has_value());
}

TEST(StageRecordTest, CorruptRecordIsDataLoss) {
  PosixFilesystem files;
  testing::TempDir dir;
  std::string staging = dir.Sub("s");
  ASSERT_TRUE(testing::WriteFile(StageRecordPath(staging), "{not json"));
  auto read = ReadStageRecord(files, staging);
  ASSERT_FALSE(read.ok());
  EXPECT_EQ(read.status().code(), Code::kDataLoss);
  ASSERT_TRUE(testing::WriteFile(StageRecordPath(staging), "{\"device\":\"/dev/x\"}"));
  EXPECT_EQ(ReadStageRecord(files, staging).status().code(), Code::kDataLoss);
}

}  // namespace
}  // namespace lcsi::node
