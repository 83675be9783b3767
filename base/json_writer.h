// JsonWriter: appends compact JSON to a string. Commas are placed automatically;
// strings are escaped per RFC 8259 (", \, and control characters; \b \f \n \r \t by
// name, the others as \u00XX; bytes >= 0x80 pass through unchanged, so UTF-8 stays UTF-8).
// Dependency-free (library target lcsi_json); used by the LINSTOR client, linstor-sim,
// the JSON log format and the node plugin's stage records.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace lcsi {

class JsonWriter {
 public:
  JsonWriter& BeginObject();
  JsonWriter& EndObject();
  JsonWriter& BeginArray();
  JsonWriter& EndArray();
  // Inside an object: the next value belongs to this key.
  JsonWriter& Key(std::string_view key);

  JsonWriter& String(std::string_view value);
  JsonWriter& Int(int64_t value);
  // Shortest text that reads back as the same double; integral values get ".0" so the
  // number reads back as floating point; non-finite values are written as null.
  JsonWriter& Double(double value);
  JsonWriter& Bool(bool value);
  JsonWriter& Null();
  // Inserts an already serialized JSON value.
  JsonWriter& Raw(std::string_view json);

  JsonWriter& StringArray(const std::vector<std::string>& values);
  JsonWriter& StringMap(const std::map<std::string, std::string>& values);

  // Key + value shorthands.
  JsonWriter& Field(std::string_view key, std::string_view value) { return Key(key).String(value); }
  JsonWriter& Field(std::string_view key, const char* value) { return Key(key).String(value); }
  JsonWriter& Field(std::string_view key, const std::string& value) {
    return Key(key).String(value);
  }
  JsonWriter& Field(std::string_view key, int64_t value) { return Key(key).Int(value); }
  JsonWriter& Field(std::string_view key, int value) { return Key(key).Int(value); }
  JsonWriter& Field(std::string_view key, bool value) { return Key(key).Bool(value); }
  JsonWriter& Field(std::string_view key, double value) { return Key(key).Double(value); }

  const std::string& str() const { return out_; }
  std::string Take() { return std::move(out_); }

  // Appends 's' as a quoted, escaped JSON string (quotes included).
  static void AppendQuoted(std::string& out, std::string_view s);

 private:
  void BeforeValue();

  std::string out_;
  // One entry per open container: true while no element was written yet.
  std::vector<bool> first_;
  bool after_key_ = false;
};

}  // namespace lcsi
