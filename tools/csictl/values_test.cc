#include "tools/csictl/values.h"

#include <gtest/gtest.h>

namespace lcsi::csictl {
namespace {

TEST(ParseSizeTest, Units) {
  struct Case {
    std::string text;
    int64_t bytes;
  };
  for (const Case& c : std::vector<Case>{{"0", 0},
                                         {"1073741824", 1073741824},
                                         {"4k", 4000},
                                         {"4Ki", 4096},
                                         {"512Mi", 536870912},
                                         {"1Gi", 1073741824},
                                         {"1GiB", 1073741824},
                                         {"1.5Gi", 1610612736},
                                         {"10G", 10000000000},
                                         {"2Ti", 2199023255552},
                                         {"9223372036854775807", INT64_MAX},
                                         {"1B", 1},
                                         {"1kB", 1000},
                                         {"1Gib", 1073741824},
                                         {"8191Pi", 8191 * (int64_t{1} << 50)},
                                         {"0.5", 1},  // whole bytes, rounded half up
                                         {"1.4", 1},
                                         {".5Ki", 512},
                                         {"2.Mi", 2097152},
                                         {"0.1G", 100000000},
                                         {"1.100Gi", 1181116006},  // 1.1 * 2^30 = 1181116006.4
                                         {"0.000000001G", 1},
                                         {"1.999999999Ki", 2048},
                                         {"9007199254740993k", 9007199254740993000}}) {
    auto got = ParseSize(c.text);
    ASSERT_TRUE(got.ok()) << c.text << ": " << got.status().ToString();
    EXPECT_EQ(*got, c.bytes) << c.text;
  }
}

TEST(ParseSizeTest, Rejects) {
  for (const char* text : {"", "Gi", "-1", "1Q", "1.2.3G", "9223372036854775808", "99999999Pi",
                           "1 Gi", "1b", "1BB", "+1", " 1", "1e3", "0x10", "1,5Gi", "."}) {
    EXPECT_FALSE(ParseSize(text).ok()) << text;
  }
}

TEST(ParseSizeTest, SaysWhatIsWrong) {
  struct Case {
    std::string text;
    std::string message;
  };
  for (const Case& c : std::vector<Case>{
           {"abc", "invalid size 'abc' (examples: 1073741824, 512Mi, 1Gi, 10G)"},
           {"-1", "size must not be negative, got '-1'"},
           {"1Xi", "invalid size unit 'Xi' in '1Xi' (use Ki, Mi, Gi, Ti, Pi or k, M, G, T, P)"},
           {"1.2.3G", "invalid size '1.2.3G': more than one '.'"},
           {"8192Pi", "size '8192Pi' is too large (at most 9223372036854775807 bytes)"},
           {"99999999999999999999",
            "size '99999999999999999999' is too large (at most "
            "9223372036854775807 bytes)"},
           {"9223372036854775807.5",
            "size '9223372036854775807.5' is too large (at most "
            "9223372036854775807 bytes)"},
           {"1.0000000001Gi", "size '1.0000000001Gi' has more than 9 decimal places"},
       }) {
    auto got = ParseSize(c.text);
    ASSERT_FALSE(got.ok()) << c.text;
    EXPECT_EQ(got.status().code(), Code::kInvalidArgument);
    EXPECT_EQ(got.status().message(), c.message);
  }
}

TEST(ParseAccessModeTest, NamesAndAliases) {
  using Mode = csi::v1::VolumeCapability::AccessMode;
  EXPECT_EQ(*ParseAccessMode("single-node-writer"), Mode::SINGLE_NODE_WRITER);
  EXPECT_EQ(*ParseAccessMode("SINGLE_NODE_WRITER"), Mode::SINGLE_NODE_WRITER);
  EXPECT_EQ(*ParseAccessMode("rwo"), Mode::SINGLE_NODE_WRITER);
  EXPECT_EQ(*ParseAccessMode("RWX"), Mode::MULTI_NODE_MULTI_WRITER);
  EXPECT_EQ(*ParseAccessMode("rwop"), Mode::SINGLE_NODE_SINGLE_WRITER);
  EXPECT_EQ(*ParseAccessMode("multi-node-reader-only"), Mode::MULTI_NODE_READER_ONLY);
  EXPECT_EQ(*ParseAccessMode("single-node-multi-writer"), Mode::SINGLE_NODE_MULTI_WRITER);
  EXPECT_FALSE(ParseAccessMode("unknown").ok());
  EXPECT_FALSE(ParseAccessMode("").ok());
}

TEST(ParseTopologyTest, Segments) {
  auto topology = ParseTopology("zone=a,kubernetes.io/hostname=n1");
  ASSERT_TRUE(topology.ok());
  EXPECT_EQ(topology->segments().size(), 2u);
  EXPECT_EQ(topology->segments().at("zone"), "a");
  EXPECT_EQ(topology->segments().at("kubernetes.io/hostname"), "n1");
  EXPECT_FALSE(ParseTopology("zone").ok());
  EXPECT_FALSE(ParseTopology("zone=a,").ok());
  EXPECT_FALSE(ParseTopology("").ok());
}

TEST(FormatBytesTest, BinaryUnits) {
  EXPECT_EQ(FormatBytes(0), "0 B");
  EXPECT_EQ(FormatBytes(1000), "1000 B");
  EXPECT_EQ(FormatBytes(1024), "1 KiB");
  EXPECT_EQ(FormatBytes(1073741824), "1 GiB");
  EXPECT_EQ(FormatBytes(1610612736), "1.5 GiB");
}

}  // namespace
}  // namespace lcsi::csictl
