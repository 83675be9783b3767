#include "controller/pagination.h"

#include <gtest/gtest.h>

namespace lcsi::controller {
namespace {

TEST(PaginationTest, TokenRoundTrip) {
  for (const std::string& key :
       std::vector<std::string>{"a", "pvc-1/snap-2", std::string("x\xff", 2)}) {
    auto back = DecodePageToken(EncodePageToken(key));
    ASSERT_TRUE(back.ok());
    EXPECT_EQ(*back, key);
  }
}

TEST(PaginationTest, BadTokensAreAborted) {
  for (const char* bad : {"garbage", "k1.", "k1.zz", "k1.abc", "K1.61", "k1.00", "1"}) {
    auto r = DecodePageToken(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.status().code(), Code::kAborted) << bad;
  }
  auto p = Paginate({"a", "b"}, 1, "not-a-token");
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.status().code(), Code::kAborted);
}

TEST(PaginationTest, WalksAllPagesWithoutGapsOrRepeats) {
  std::vector<std::string> keys;
  for (int i = 0; i < 10; ++i) keys.push_back("v" + std::to_string(i));
  std::vector<std::string> seen;
  std::string token;
  int pages = 0;
  do {
    auto p = Paginate(keys, 3, token);
    ASSERT_TRUE(p.ok());
    for (size_t i = p->begin; i < p->end; ++i) seen.push_back(keys[i]);
    token = p->next_token;
    ++pages;
  } while (!token.empty());
  EXPECT_EQ(seen, keys);
  EXPECT_EQ(pages, 4);
}

TEST(PaginationTest, StableWhenEntriesDisappear) {
  std::vector<std::string> keys = {"a", "b", "c", "d"};
  auto first = Paginate(keys, 2, "");
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->end, 2u);
  // "b" (the last returned) and "c" are deleted between the calls.
  std::vector<std::string> later = {"a", "d"};
  auto second = Paginate(later, 2, first->next_token);
  ASSERT_TRUE(second.ok());
  ASSERT_EQ(second->end - second->begin, 1u);
  EXPECT_EQ(later[second->begin], "d");
  EXPECT_TRUE(second->next_token.empty());
}

TEST(PaginationTest, ZeroMeansAllAndNegativeIsInvalid) {
  auto all = Paginate({"a", "b", "c"}, 0, "");
  ASSERT_TRUE(all.ok());
  EXPECT_EQ(all->end, 3u);
  EXPECT_TRUE(all->next_token.empty());
  auto neg = Paginate({"a"}, -1, "");
  ASSERT_FALSE(neg.ok());
  EXPECT_EQ(neg.status().code(), Code::kInvalidArgument);
}

}  // namespace
}  // namespace lcsi::controller
