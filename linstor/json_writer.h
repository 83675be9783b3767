// JsonWriter: builds compact JSON request bodies. Commas are placed automatically;
// strings are escaped per RFC 8259 (", \, and control characters; bytes >= 0x80
// pass through unchanged, so UTF-8 stays UTF-8).
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace lcsi::linstor {

class JsonWriter {
 public:
  JsonWriter& BeginObject();
  JsonWriter& EndObject();
  JsonWriter& BeginArray();
  JsonWriter& EndArray();
  // Inside an object: names the next value.
  JsonWriter& Key(std::string_view key);

  JsonWriter& String(std::string_view value);
  JsonWriter& Int(int64_t value);
  JsonWriter& Double(double value);  // non-finite values are written as null
  JsonWriter& Bool(bool value);
  JsonWriter& Null();

  JsonWriter& Strings(const std::vector<std::string>& values);
  JsonWriter& StringMap(const std::map<std::string, std::string>& values);

  const std::string& str() const { return out_; }
  std::string Take() { return std::move(out_); }

  // Appends 's' as a quoted, escaped JSON string.
  static void AppendQuoted(std::string& out, std::string_view s);

 private:
  void BeforeValue();

  std::string out_;
  std::vector<bool> first_;  // per open container: nothing written yet
  bool after_key_ = false;
};

}  // namespace lcsi::linstor
