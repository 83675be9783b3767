#include "test/fuzz/mutator.h"

#include <gtest/gtest.h>

#include <set>

namespace lcsi::fuzz {
namespace {

TEST(MutatorTest, SameSeedGivesSameSequence) {
  Mutator a(42, {"unix://"});
  Mutator b(42, {"unix://"});
  for (int i = 0; i < 200; ++i) {
    EXPECT_EQ(a.Mutate("unix:///csi/csi.sock", "tcp://h:1", 64),
              b.Mutate("unix:///csi/csi.sock", "tcp://h:1", 64));
  }
}

TEST(MutatorTest, ProducesVariedOutputsWithinMaxLength) {
  Mutator m(7, {"::", "unix:"});
  std::set<std::string> seen;
  for (int i = 0; i < 500; ++i) {
    std::string out = m.Mutate("unix:///csi/csi.sock", "127.0.0.1:10000", 24);
    EXPECT_LE(out.size(), 24u);
    seen.insert(out);
  }
  // A mutator that returned its input (or a handful of variants) would find nothing.
  EXPECT_GT(seen.size(), 300u);
}

TEST(MutatorTest, EmptyInputIsHandled) {
  Mutator m(1, {});
  for (int i = 0; i < 200; ++i) EXPECT_LE(m.Mutate("", "", 16).size(), 16u);
}

}  // namespace
}  // namespace lcsi::fuzz
