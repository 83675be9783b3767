#include "controller/names.h"

#include <gtest/gtest.h>

#include <set>

namespace lcsi::controller {
namespace {

TEST(LinstorNameTest, ValidNames) {
  EXPECT_TRUE(IsValidLinstorName("pvc-0f3c1d2e-1111-2222-3333-444455556666"));
  EXPECT_TRUE(IsValidLinstorName("_x"));
  EXPECT_TRUE(IsValidLinstorName(std::string(48, 'a')));
  EXPECT_FALSE(IsValidLinstorName("a"));
  EXPECT_FALSE(IsValidLinstorName(std::string(49, 'a')));
  EXPECT_FALSE(IsValidLinstorName("1abc"));
  EXPECT_FALSE(IsValidLinstorName("-abc"));
  EXPECT_FALSE(IsValidLinstorName("ab.c"));
  EXPECT_FALSE(IsValidLinstorName("ab/c"));
  EXPECT_FALSE(IsValidLinstorName(""));
}

TEST(LinstorNameTest, FittingNameIsKept) {
  EXPECT_EQ(LinstorNameFor("pvc-123"), "pvc-123");
  EXPECT_EQ(LinstorNameFor("snapshot-abc"), "snapshot-abc");
}

TEST(LinstorNameTest, NonFittingNamesMapDeterministicallyToValidNames) {
  const std::vector<std::string> inputs = {
      "x",        "1volume", "my.volume/with:odd chars", std::string(200, 'z'), "é-unicode",
      "-leading", "a b",     std::string(49, 'a')};
  std::set<std::string> outputs;
  for (const auto& in : inputs) {
    const std::string out = LinstorNameFor(in);
    EXPECT_TRUE(IsValidLinstorName(out)) << in << " -> " << out;
    EXPECT_EQ(out, LinstorNameFor(in)) << "not deterministic for " << in;
    EXPECT_EQ(out.rfind("csi-", 0), 0u) << out;
    outputs.insert(out);
  }
  EXPECT_EQ(outputs.size(), inputs.size()) << "two inputs mapped to the same name";
  // Names sharing their first characters still differ (the hash covers the whole name).
  EXPECT_NE(LinstorNameFor(std::string(60, 'a') + "1"), LinstorNameFor(std::string(60, 'a') + "2"));
  EXPECT_EQ(LinstorNameFor("my.vol").substr(0, 11), "csi-my-vol-");
}

TEST(SnapshotIdTest, RoundTrip) {
  SnapshotRef ref{"pvc-1", "snapshot-2"};
  const std::string id = EncodeSnapshotId(ref);
  EXPECT_EQ(id, "pvc-1/snapshot-2");
  auto back = DecodeSnapshotId(id);
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(*back, ref);
}

TEST(SnapshotIdTest, GarbageIsRejected) {
  for (const char* bad : {"", "/", "pvc-1", "pvc-1/", "/snap", "pvc-1/snap/x", "1pvc/snap",
                          "pvc-1/sn ap", "group:snap", "pvc-1//snap", "reallyfakesnapshotid"}) {
    EXPECT_FALSE(DecodeSnapshotId(bad).has_value()) << bad;
  }
}

TEST(GroupSnapshotIdTest, RoundTripAndGarbage) {
  EXPECT_EQ(EncodeGroupSnapshotId("gs-1"), "group:gs-1");
  auto back = DecodeGroupSnapshotId("group:gs-1");
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(*back, "gs-1");
  for (const char* bad : {"", "group:", "gs-1", "group:1x", "group:a/b", "GROUP:gs-1"}) {
    EXPECT_FALSE(DecodeGroupSnapshotId(bad).has_value()) << bad;
  }
}

}  // namespace
}  // namespace lcsi::controller
