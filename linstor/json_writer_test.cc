#include "linstor/json_writer.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <cmath>

namespace lcsi::linstor {
namespace {

// Parses 'json' with simdjson (strict) and returns the string at key "s".
std::string RoundTrip(const std::string& json) {
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  EXPECT_EQ(parser.parse(json).get(doc), simdjson::SUCCESS) << json;
  std::string_view s;
  EXPECT_EQ(doc["s"].get(s), simdjson::SUCCESS) << json;
  return std::string(s);
}

TEST(JsonWriterTest, EscapesEverythingJsonRequires) {
  struct Case {
    std::string in;
    std::string escaped;
  };
  const Case cases[] = {
      {"plain", "\"plain\""},
      {"quote\"", "\"quote\\\"\""},
      {"back\\slash", "\"back\\\\slash\""},
      {"nl\ncr\rtab\t", "\"nl\\ncr\\rtab\\t\""},
      {"bs\bff\f", "\"bs\\bff\\f\""},
      {std::string("nul\0x", 5), "\"nul\\u0000x\""},
      {"\x01\x1f", "\"\\u0001\\u001f\""},
      {"slash/ok", "\"slash/ok\""},
      {"utf8 \xc3\xa9\xe2\x98\x83", "\"utf8 \xc3\xa9\xe2\x98\x83\""},
      {"\x7f", "\"\x7f\""},
  };
  for (const auto& c : cases) {
    std::string out;
    JsonWriter::AppendQuoted(out, c.in);
    EXPECT_EQ(out, c.escaped);
    JsonWriter w;
    w.BeginObject().Key("s").String(c.in).EndObject();
    EXPECT_EQ(RoundTrip(w.str()), c.in);
  }
}

TEST(JsonWriterTest, KeysAreEscapedToo) {
  JsonWriter w;
  w.BeginObject().Key("a\"b").Int(1).EndObject();
  EXPECT_EQ(w.str(), R"({"a\"b":1})");
}

TEST(JsonWriterTest, CommasAndNesting) {
  JsonWriter w;
  w.BeginObject();
  w.Key("a").Int(-5);
  w.Key("b").BeginArray().Int(1).Bool(true).Null().String("x").BeginObject().EndObject().EndArray();
  w.Key("c").StringMap({{"k1", "v1"}, {"k2", "v2"}});
  w.Key("d").Strings({});
  w.Key("e").Double(2.5);
  w.Key("f").Double(std::nan(""));
  w.Key("g").Int(INT64_MIN);
  w.EndObject();
  EXPECT_EQ(w.str(), R"({"a":-5,"b":[1,true,null,"x",{}],"c":{"k1":"v1","k2":"v2"},"d":[],"e":2.5,)"
                     R"("f":null,"g":-9223372036854775808})");
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  EXPECT_EQ(parser.parse(w.str()).get(doc), simdjson::SUCCESS);
}

}  // namespace
}  // namespace lcsi::linstor
