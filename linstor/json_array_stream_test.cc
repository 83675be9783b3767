#include "linstor/json_array_stream.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace lcsi::linstor {
namespace {

struct Split {
  std::vector<std::string> elements;
  Status status;
};

// Feeds `json` in chunks of `chunk` bytes (every boundary position gets exercised).
Split SplitInChunks(const std::string& json, size_t chunk) {
  Split out;
  JsonArrayStream s([&](std::string_view e) {
    out.elements.emplace_back(e);
    return Status::Ok();
  });
  for (size_t i = 0; i < json.size(); i += chunk) {
    if (!s.Feed(std::string_view(json).substr(i, chunk))) break;
  }
  out.status = s.Finish();
  return out;
}

TEST(JsonArrayStreamTest, SplitsElementsWhateverTheChunkBoundaries) {
  const std::string json =
      " [ {\"a\":\"x,]}\\\"{[\",\"b\":[1,{\"c\":[]}]} ,\n{\"d\":\"\\\\\"},"
      "[1,2], \"s\\\"q\" , -12.5e3,true,null ]  ";
  const std::vector<std::string> want = {"{\"a\":\"x,]}\\\"{[\",\"b\":[1,{\"c\":[]}]}",
                                         "{\"d\":\"\\\\\"}",
                                         "[1,2]",
                                         "\"s\\\"q\"",
                                         "-12.5e3",
                                         "true",
                                         "null"};
  for (size_t chunk = 1; chunk <= json.size(); ++chunk) {
    Split s = SplitInChunks(json, chunk);
    ASSERT_TRUE(s.status.ok()) << "chunk " << chunk << ": " << s.status.ToString();
    EXPECT_EQ(s.elements, want) << "chunk " << chunk;
  }
}

TEST(JsonArrayStreamTest, EmptyArray) {
  Split s = SplitInChunks("[]", 1);
  EXPECT_TRUE(s.status.ok());
  EXPECT_TRUE(s.elements.empty());
  EXPECT_TRUE(SplitInChunks(" [ \n ] ", 3).status.ok());
}

TEST(JsonArrayStreamTest, RejectsWhatIsNotOneCompleteArray) {
  for (const char* bad : {"", "{\"ret_code\":1}", "[{\"a\":1}", "[{\"a\":1},", "[{\"a\":1},]",
                          "[{\"a\":1} {\"b\":2}]", "[1] x", "[\"open]", "[,]"}) {
    Split s = SplitInChunks(bad, 2);
    EXPECT_FALSE(s.status.ok()) << bad;
  }
}

TEST(JsonArrayStreamTest, CallbackErrorStopsTheStream) {
  int seen = 0;
  JsonArrayStream s([&](std::string_view) {
    ++seen;
    return seen == 2 ? InvalidArgument("stop") : Status::Ok();
  });
  EXPECT_FALSE(s.Feed("[{},{},{}]"));
  EXPECT_EQ(seen, 2);
  EXPECT_EQ(s.Finish().message(), "stop");
}

}  // namespace
}  // namespace lcsi::linstor
