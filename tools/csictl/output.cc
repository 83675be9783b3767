#include "tools/csictl/output.h"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/reflection.h>
#include <google/protobuf/timestamp.pb.h>
#include <google/protobuf/util/json_util.h>
#include <google/protobuf/util/time_util.h>

#include <algorithm>
#include <vector>

#include "tools/csictl/values.h"

namespace lcsi::csictl {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

bool IsByteCount(const FieldDescriptor& field) {
  const std::string& name = field.name();
  auto ends_with = [&](const std::string& suffix) {
    return name.size() >= suffix.size() &&
           name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0;
  };
  return ends_with("_bytes") || name == "available_capacity" || name == "maximum_volume_size" ||
         name == "minimum_volume_size";
}

std::string Quote(const std::string& text) {
  // Keep lines one per field: escape newlines; leave everything else as it is.
  std::string out;
  for (char ch : text) {
    if (ch == '\n') {
      out += "\\n";
    } else {
      out.push_back(ch);
    }
  }
  return out;
}

void AppendMessage(const Message& message, const std::string& prefix, std::string* out);

std::string ScalarText(const Message& message, const FieldDescriptor& field, int index) {
  const Reflection* r = message.GetReflection();
  const bool repeated = field.is_repeated();
  switch (field.cpp_type()) {
    case FieldDescriptor::CPPTYPE_INT32:
      return std::to_string(repeated ? r->GetRepeatedInt32(message, &field, index)
                                     : r->GetInt32(message, &field));
    case FieldDescriptor::CPPTYPE_INT64: {
      int64_t v =
          repeated ? r->GetRepeatedInt64(message, &field, index) : r->GetInt64(message, &field);
      std::string text = std::to_string(v);
      if (IsByteCount(field)) text += " (" + FormatBytes(v) + ")";
      return text;
    }
    case FieldDescriptor::CPPTYPE_UINT32:
      return std::to_string(repeated ? r->GetRepeatedUInt32(message, &field, index)
                                     : r->GetUInt32(message, &field));
    case FieldDescriptor::CPPTYPE_UINT64:
      return std::to_string(repeated ? r->GetRepeatedUInt64(message, &field, index)
                                     : r->GetUInt64(message, &field));
    case FieldDescriptor::CPPTYPE_DOUBLE:
      return std::to_string(repeated ? r->GetRepeatedDouble(message, &field, index)
                                     : r->GetDouble(message, &field));
    case FieldDescriptor::CPPTYPE_FLOAT:
      return std::to_string(repeated ? r->GetRepeatedFloat(message, &field, index)
                                     : r->GetFloat(message, &field));
    case FieldDescriptor::CPPTYPE_BOOL:
      return (repeated ? r->GetRepeatedBool(message, &field, index) : r->GetBool(message, &field))
                 ? "true"
                 : "false";
    case FieldDescriptor::CPPTYPE_ENUM:
      return (repeated ? r->GetRepeatedEnum(message, &field, index) : r->GetEnum(message, &field))
          ->name();
    case FieldDescriptor::CPPTYPE_STRING:
      return Quote(repeated ? r->GetRepeatedString(message, &field, index)
                            : r->GetString(message, &field));
    case FieldDescriptor::CPPTYPE_MESSAGE:
      break;
  }
  return "";
}

// Well-known types print as one value.
bool AppendWellKnown(const Message& value, const FieldDescriptor& field, const std::string& path,
                     std::string* out) {
  const std::string& type = value.GetDescriptor()->full_name();
  if (type == "google.protobuf.Timestamp") {
    google::protobuf::Timestamp ts;
    ts.CopyFrom(value);
    *out += path + ": " + google::protobuf::util::TimeUtil::ToString(ts) + "\n";
    return true;
  }
  if (type.rfind("google.protobuf.", 0) == 0 && type.size() > 5 &&
      type.compare(type.size() - 5, 5, "Value") == 0) {
    // Wrappers (Int64Value, ...): print the inner value under the outer field's name.
    const FieldDescriptor* inner = value.GetDescriptor()->FindFieldByName("value");
    if (inner == nullptr) return false;
    std::string text = ScalarText(value, *inner, 0);
    if (inner->cpp_type() == FieldDescriptor::CPPTYPE_INT64 && IsByteCount(field)) {
      text += " (" + FormatBytes(value.GetReflection()->GetInt64(value, inner)) + ")";
    }
    *out += path + ": " + text + "\n";
    return true;
  }
  return false;
}

void AppendField(const Message& message, const FieldDescriptor& field, const std::string& prefix,
                 std::string* out) {
  const Reflection* r = message.GetReflection();
  const std::string path = prefix.empty() ? field.name() : prefix + "." + field.name();

  if (field.is_map()) {
    // Sort by key so output is stable.
    std::vector<std::pair<std::string, std::string>> entries;
    for (int i = 0; i < r->FieldSize(message, &field); ++i) {
      const Message& entry = r->GetRepeatedMessage(message, &field, i);
      const auto* d = entry.GetDescriptor();
      entries.emplace_back(ScalarText(entry, *d->FindFieldByNumber(1), 0),
                           ScalarText(entry, *d->FindFieldByNumber(2), 0));
    }
    std::sort(entries.begin(), entries.end());
    for (const auto& [key, value] : entries) *out += path + "." + key + ": " + value + "\n";
    return;
  }
  if (field.is_repeated()) {
    for (int i = 0; i < r->FieldSize(message, &field); ++i) {
      const std::string item = path + "[" + std::to_string(i) + "]";
      if (field.cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
        const Message& value = r->GetRepeatedMessage(message, &field, i);
        if (!AppendWellKnown(value, field, item, out)) {
          const size_t before = out->size();
          AppendMessage(value, item, out);
          if (out->size() == before) *out += item + ": {}\n";
        }
      } else {
        *out += item + ": " + ScalarText(message, field, i) + "\n";
      }
    }
    return;
  }
  if (field.cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
    const Message& value = r->GetMessage(message, &field);
    if (AppendWellKnown(value, field, path, out)) return;
    const size_t before = out->size();
    AppendMessage(value, path, out);
    // A set but empty message still means something (e.g. "block: {}" access type).
    if (out->size() == before) *out += path + ": {}\n";
    return;
  }
  *out += path + ": " + ScalarText(message, field, 0) + "\n";
}

void AppendMessage(const Message& message, const std::string& prefix, std::string* out) {
  std::vector<const FieldDescriptor*> fields;
  message.GetReflection()->ListFields(message, &fields);  // set fields, in field-number order
  for (const FieldDescriptor* field : fields) AppendField(message, *field, prefix, out);
}

}  // namespace

std::string FormatReadable(const Message& message) {
  std::string out;
  AppendMessage(message, "", &out);
  return out.empty() ? "OK\n" : out;
}

Result<std::string> FormatJson(const Message& message) {
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  options.preserve_proto_field_names = true;
  options.always_print_primitive_fields = true;
  std::string json;
  auto status = google::protobuf::util::MessageToJsonString(message, &json, options);
  if (!status.ok()) return Internal("cannot print response as JSON: " + status.ToString());
  if (json.empty() || json.back() != '\n') json += "\n";
  return json;
}

}  // namespace lcsi::csictl
