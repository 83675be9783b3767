#include "base/json_writer.h"

#include <gtest/gtest.h>
#include <simdjson.h>

#include <cmath>

namespace lcsi {
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
  w.Key("d").StringArray({});
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

TEST(JsonWriterTest, DoublesReadBackAsFloatingPoint) {
  JsonWriter w;
  w.BeginArray().Double(2.0).Double(0.1).Double(-3.0).Double(1e300).Double(INFINITY).EndArray();
  EXPECT_EQ(w.str(), "[2.0,0.1,-3.0,1e+300,null]");
  simdjson::dom::parser parser;
  simdjson::dom::element doc;
  ASSERT_EQ(parser.parse(w.str()).get(doc), simdjson::SUCCESS);
  simdjson::dom::array values;
  ASSERT_EQ(doc.get(values), simdjson::SUCCESS);
  const double expected[] = {2.0, 0.1, -3.0, 1e300};
  size_t i = 0;
  for (auto value : values) {
    if (i < 4) {
      EXPECT_TRUE(value.is_double()) << i;
      double d = 0;
      EXPECT_EQ(value.get(d), simdjson::SUCCESS);
      EXPECT_EQ(d, expected[i]);
    } else {
      EXPECT_TRUE(value.is_null());
    }
    ++i;
  }
  EXPECT_EQ(i, 5u);
}

TEST(JsonWriterTest, FieldShorthandsAndRaw) {
  JsonWriter w;
  w.BeginObject()
      .Field("s", "x")
      .Field("sv", std::string_view("y"))
      .Field("str", std::string("z"))
      .Field("i", 7)
      .Field("l", int64_t{-8})
      .Field("b", false)
      .Field("d", 0.5)
      .Key("raw")
      .Raw(R"({"k":[1,2]})")
      .Key("list")
      .BeginArray()
      .Raw("1")
      .Raw(R"("two")")
      .EndArray()
      .EndObject();
  // Raw takes part in comma placement like any other value.
  EXPECT_EQ(w.str(), R"({"s":"x","sv":"y","str":"z","i":7,"l":-8,"b":false,"d":0.5,)"
                     R"("raw":{"k":[1,2]},"list":[1,"two"]})");
}

TEST(JsonWriterTest, TakeMovesTheText) {
  JsonWriter w;
  w.StringArray({"a", "b"});
  EXPECT_EQ(w.Take(), R"(["a","b"])");
}

}  // namespace
}  // namespace lcsi
