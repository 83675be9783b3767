#include "csi/redaction.h"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/text_format.h>

#include <memory>

#include "csi/csi.pb.h"

namespace lcsi {

namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

void Redact(Message& message) {
  const Reflection* refl = message.GetReflection();
  std::vector<const FieldDescriptor*> fields;
  refl->ListFields(message, &fields);
  for (const FieldDescriptor* field : fields) {
    if (field->options().GetExtension(csi::v1::csi_secret)) {
      if (field->is_map()) {
        // Keep the keys (useful to debug), hide the values.
        for (int i = 0; i < refl->FieldSize(message, field); ++i) {
          Message* entry = refl->MutableRepeatedMessage(&message, field, i);
          const FieldDescriptor* value = entry->GetDescriptor()->map_value();
          if (value->cpp_type() == FieldDescriptor::CPPTYPE_STRING) {
            entry->GetReflection()->SetString(entry, value, kRedacted);
          } else {
            entry->GetReflection()->ClearField(entry, value);
          }
        }
      } else if (field->cpp_type() == FieldDescriptor::CPPTYPE_STRING && !field->is_repeated()) {
        refl->SetString(&message, field, kRedacted);
      } else {
        refl->ClearField(&message, field);
      }
      continue;
    }
    if (field->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE) continue;
    if (field->is_repeated()) {
      for (int i = 0; i < refl->FieldSize(message, field); ++i) {
        Redact(*refl->MutableRepeatedMessage(&message, field, i));
      }
    } else {
      Redact(*refl->MutableMessage(&message, field));
    }
  }
}

}  // namespace

std::string RedactedText(const Message& message) {
  std::unique_ptr<Message> copy(message.New());
  copy->CopyFrom(message);
  Redact(*copy);
  google::protobuf::TextFormat::Printer printer;
  printer.SetSingleLineMode(true);
  std::string out;
  printer.PrintToString(*copy, &out);
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

std::string RequestSubject(const Message& message) {
  const auto* desc = message.GetDescriptor();
  const Reflection* refl = message.GetReflection();
  for (const char* name : {"volume_id", "snapshot_id", "group_snapshot_id", "name"}) {
    const FieldDescriptor* f = desc->FindFieldByName(name);
    if (f != nullptr && f->cpp_type() == FieldDescriptor::CPPTYPE_STRING && !f->is_repeated()) {
      std::string v = refl->GetString(message, f);
      if (!v.empty()) return v;
    }
  }
  return "";
}

}  // namespace lcsi
