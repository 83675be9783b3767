// Checks the compiled descriptors of csi/csi.proto against the CSI v1.12.0 wire list
// (../shared/reference/csi-v1.12-wire.txt, path in LCSI_CSI_WIRE_LIST) in both directions:
// every line of the list must match the proto exactly, and everything the proto declares
// must appear in the list. A missing list is a failure, never a skip.
// The suite name is lower case so that `ctest -R wire` selects it.
#include <google/protobuf/descriptor.h>
#include <google/protobuf/descriptor.pb.h>
#include <gtest/gtest.h>

#include <cctype>
#include <fstream>
#include <functional>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "csi/csi.pb.h"

#ifndef LCSI_CSI_WIRE_LIST
#error "LCSI_CSI_WIRE_LIST must name the CSI wire list (csi/CMakeLists.txt defines it)"
#endif

namespace {

namespace pb = google::protobuf;

constexpr char kWireListPath[] = LCSI_CSI_WIRE_LIST;
constexpr std::string_view kPackagePrefix = "csi.v1.";

// Markings CSI v1.12 applies that the list's line format cannot express: 'service' lines
// carry no marker and enum types have no line of their own.
const std::set<std::string> kAlphaServicesBeyondList = {"SnapshotMetadata"};
const std::set<std::string> kAlphaEnumTypes = {};

// One element of the wire contract: "kind key positional... flags...". Flags are kept
// sorted, so a list line and a descriptor render identically when they agree.
struct Fact {
  std::string kind;
  std::string key;
  std::vector<std::string> positional;
  std::set<std::string> flags;

  std::string Render() const {
    std::string out = kind + " " + key;
    for (const auto& p : positional) out += " " + p;
    for (const auto& f : flags) out += " " + f;
    return out;
  }
};

struct ListedFact {
  Fact fact;
  int line_no = 0;
  std::string line;
};

using FactsByKind = std::map<std::string, std::map<std::string, Fact>>;

struct WireList {
  bool opened = false;
  std::vector<std::string> parse_errors;  // each names its line
  std::map<std::string, std::map<std::string, ListedFact>> by_kind;
};

bool IsFlagToken(const std::string& token) {
  return token.starts_with("[") || token.starts_with("(") || token.starts_with("oneof=");
}

bool IsNumber(const std::string& token) {
  if (token.empty()) return false;
  for (char c : token) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return false;
  }
  return true;
}

// Returns an empty string when `fact` is a well-formed line of its kind, else the problem.
std::string CheckShape(const Fact& fact) {
  const auto& pos = fact.positional;
  std::set<std::string> allowed_flags = {"[alpha]"};
  if (fact.kind == "service" || fact.kind == "message") {
    if (!pos.empty()) return "unexpected tokens after the name";
  } else if (fact.kind == "rpc") {
    if (pos.size() != 3 || pos[1] != "->") return "expected 'Request -> Response'";
    allowed_flags.insert({"(server-streaming)", "(client-streaming)"});
  } else if (fact.kind == "field") {
    if (pos.size() < 2 || !IsNumber(pos[0])) return "expected a field number and type";
    const bool is_map = pos[1].starts_with("map<");
    const bool named_type = pos[1] == "MESSAGE" || pos[1] == "ENUM";
    const size_t want = is_map ? 2 : (named_type ? 4 : 3);
    if (pos.size() != want) return "wrong number of type/label tokens";
    allowed_flags.insert("[csi_secret]");
  } else if (fact.kind == "enum") {
    if (pos.size() != 1 || !IsNumber(pos[0])) return "expected one value number";
  } else if (fact.kind == "extension") {
    if (pos.size() != 2 || !IsNumber(pos[0])) return "expected a number and a type";
    allowed_flags.clear();
  } else {
    return "unknown line kind '" + fact.kind + "'";
  }
  for (const auto& flag : fact.flags) {
    if (!allowed_flags.contains(flag) && !(fact.kind == "field" && flag.starts_with("oneof=")))
      return "unknown marker '" + flag + "'";
  }
  return "";
}

WireList ParseWireList(std::istream& in) {
  WireList list;
  list.opened = true;
  std::string line;
  for (int line_no = 1; std::getline(in, line); ++line_no) {
    std::istringstream tokens(line);
    std::vector<std::string> t;
    for (std::string token; tokens >> token;) t.push_back(token);
    if (t.empty() || t[0].starts_with("#")) continue;

    auto error = [&](const std::string& what) {
      list.parse_errors.push_back("wire list line " + std::to_string(line_no) + ": " + what +
                                  ": '" + line + "'");
    };
    // Extension lines are keyed by extendee and name: "extension Extendee name N TYPE".
    const size_t key_tokens = t[0] == "extension" ? 2 : 1;
    if (t.size() < 1 + key_tokens) {
      error("missing name");
      continue;
    }
    Fact fact{.kind = t[0], .key = t[1], .positional = {}, .flags = {}};
    if (key_tokens == 2) fact.key += " " + t[2];
    for (size_t i = 1 + key_tokens; i < t.size(); ++i) {
      if (IsFlagToken(t[i])) {
        if (!fact.flags.insert(t[i]).second) error("repeated marker " + t[i]);
      } else if (!fact.flags.empty()) {
        error("type token '" + t[i] + "' after a marker");
      } else {
        fact.positional.push_back(t[i]);
      }
    }
    if (std::string problem = CheckShape(fact); !problem.empty()) {
      error(problem);
      continue;
    }
    if (fact.kind == "service" && kAlphaServicesBeyondList.contains(fact.key))
      fact.flags.insert("[alpha]");
    auto [it, inserted] =
        list.by_kind[fact.kind].emplace(fact.key, ListedFact{fact, line_no, line});
    if (!inserted) error("duplicate of line " + std::to_string(it->second.line_no));
  }
  return list;
}

const WireList& Wire() {
  static const WireList list = [] {
    std::ifstream in(kWireListPath);
    if (!in) return WireList{};
    return ParseWireList(in);
  }();
  return list;
}

std::string Relative(const std::string& full_name) {
  return full_name.starts_with(kPackagePrefix) ? full_name.substr(kPackagePrefix.size())
                                               : full_name;
}

std::string Upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

// Scalar types as map<...> spells them ("string"), named types by relative name.
std::string MapTypeToken(const pb::FieldDescriptor* f) {
  if (f->message_type() != nullptr) return Relative(f->message_type()->full_name());
  if (f->enum_type() != nullptr) return Relative(f->enum_type()->full_name());
  return pb::FieldDescriptor::TypeName(f->type());
}

std::string LabelName(const pb::FieldDescriptor* f) {
  switch (f->label()) {
    case pb::FieldDescriptor::LABEL_OPTIONAL:
      return "OPTIONAL";
    case pb::FieldDescriptor::LABEL_REQUIRED:
      return "REQUIRED";
    case pb::FieldDescriptor::LABEL_REPEATED:
      return "REPEATED";
  }
  return "?";
}

Fact FieldFact(const pb::FieldDescriptor* f) {
  Fact fact{.kind = "field",
            .key = Relative(f->containing_type()->full_name()) + "." + f->name(),
            .positional = {std::to_string(f->number())},
            .flags = {}};
  if (f->is_map()) {
    const pb::Descriptor* entry = f->message_type();
    fact.positional.push_back("map<" + MapTypeToken(entry->map_key()) + "," +
                              MapTypeToken(entry->map_value()) + ">");
  } else {
    fact.positional.push_back(Upper(pb::FieldDescriptor::TypeName(f->type())));
    fact.positional.push_back(LabelName(f));
    if (f->message_type() != nullptr) {
      fact.positional.push_back(Relative(f->message_type()->full_name()));
    } else if (f->enum_type() != nullptr) {
      fact.positional.push_back(Relative(f->enum_type()->full_name()));
    }
  }
  if (f->options().GetExtension(csi::v1::csi_secret)) fact.flags.insert("[csi_secret]");
  if (f->options().GetExtension(csi::v1::alpha_field)) fact.flags.insert("[alpha]");
  if (const pb::OneofDescriptor* oneof = f->real_containing_oneof(); oneof != nullptr)
    fact.flags.insert("oneof=" + oneof->name());
  if (f->has_optional_keyword()) fact.flags.insert("(proto3-optional)");
  return fact;
}

void CollectEnum(const pb::EnumDescriptor* e, FactsByKind& out) {
  const std::string enum_name = Relative(e->full_name());
  for (int i = 0; i < e->value_count(); ++i) {
    const pb::EnumValueDescriptor* v = e->value(i);
    Fact fact{.kind = "enum",
              .key = enum_name + "." + v->name(),
              .positional = {std::to_string(v->number())},
              .flags = {}};
    if (v->options().GetExtension(csi::v1::alpha_enum_value)) fact.flags.insert("[alpha]");
    out["enum"][fact.key] = fact;
  }
}

void CollectMessage(const pb::Descriptor* m, FactsByKind& out) {
  if (m->options().map_entry()) return;  // spelled as map<...> on the owning field
  Fact fact{.kind = "message", .key = Relative(m->full_name()), .positional = {}, .flags = {}};
  if (m->options().GetExtension(csi::v1::alpha_message)) fact.flags.insert("[alpha]");
  out["message"][fact.key] = fact;
  for (int i = 0; i < m->field_count(); ++i) {
    Fact field = FieldFact(m->field(i));
    out["field"][field.key] = field;
  }
  for (int i = 0; i < m->nested_type_count(); ++i) CollectMessage(m->nested_type(i), out);
  for (int i = 0; i < m->enum_type_count(); ++i) CollectEnum(m->enum_type(i), out);
}

const pb::FileDescriptor* CsiFile() { return csi::v1::GetPluginInfoRequest::descriptor()->file(); }

// Everything csi.proto declares, in the list's vocabulary.
FactsByKind CollectProto() {
  const pb::FileDescriptor* file = CsiFile();
  FactsByKind out;
  for (int s = 0; s < file->service_count(); ++s) {
    const pb::ServiceDescriptor* service = file->service(s);
    Fact fact{.kind = "service", .key = service->name(), .positional = {}, .flags = {}};
    if (service->options().GetExtension(csi::v1::alpha_service)) fact.flags.insert("[alpha]");
    out["service"][fact.key] = fact;
    for (int m = 0; m < service->method_count(); ++m) {
      const pb::MethodDescriptor* method = service->method(m);
      Fact rpc{.kind = "rpc",
               .key = service->name() + "." + method->name(),
               .positional = {Relative(method->input_type()->full_name()), "->",
                              Relative(method->output_type()->full_name())},
               .flags = {}};
      if (method->server_streaming()) rpc.flags.insert("(server-streaming)");
      if (method->client_streaming()) rpc.flags.insert("(client-streaming)");
      if (method->options().GetExtension(csi::v1::alpha_method)) rpc.flags.insert("[alpha]");
      out["rpc"][rpc.key] = rpc;
    }
  }
  for (int i = 0; i < file->message_type_count(); ++i) CollectMessage(file->message_type(i), out);
  for (int i = 0; i < file->enum_type_count(); ++i) CollectEnum(file->enum_type(i), out);
  for (int i = 0; i < file->extension_count(); ++i) {
    const pb::FieldDescriptor* ext = file->extension(i);
    Fact fact{.kind = "extension",
              .key = ext->containing_type()->full_name() + " " + ext->name(),
              .positional = {std::to_string(ext->number()),
                             Upper(pb::FieldDescriptor::TypeName(ext->type()))},
              .flags = {}};
    if (ext->is_repeated()) fact.flags.insert("(repeated)");
    out["extension"][fact.key] = fact;
  }
  return out;
}

// Compares one kind of line both ways: list -> proto, then proto -> list.
void ExpectKindMatches(const std::string& kind) {
  const WireList& list = Wire();
  ASSERT_TRUE(list.opened) << "cannot read the CSI v1.12 wire list at " << kWireListPath
                           << " (it must sit in ../shared/reference beside the checkout)";
  for (const auto& problem : list.parse_errors) {
    if (problem.find("'" + kind + " ") != std::string::npos) ADD_FAILURE() << problem;
  }
  const auto listed_it = list.by_kind.find(kind);
  ASSERT_TRUE(listed_it != list.by_kind.end() && !listed_it->second.empty())
      << "the wire list at " << kWireListPath << " has no '" << kind << "' lines";
  const auto& listed = listed_it->second;
  FactsByKind proto = CollectProto();
  const auto& declared = proto[kind];

  for (const auto& [key, entry] : listed) {
    const auto it = declared.find(key);
    if (it == declared.end()) {
      ADD_FAILURE() << "wire list line " << entry.line_no << ": csi.proto lacks " << kind << " "
                    << key << "\n  list: " << entry.line;
      continue;
    }
    if (entry.fact.Render() != it->second.Render()) {
      // "want" is the list line in canonical form; shown only when it reads differently.
      const std::string want = entry.fact.Render();
      ADD_FAILURE() << "wire list line " << entry.line_no << ": csi.proto differs"
                    << "\n  list:  " << entry.line
                    << (want != entry.line ? "\n  want:  " + want : std::string())
                    << "\n  proto: " << it->second.Render();
    }
  }
  for (const auto& [key, fact] : declared) {
    if (!listed.contains(key))
      ADD_FAILURE() << "csi.proto declares '" << fact.Render() << "', which the wire list lacks";
  }
}

TEST(csi_proto_wire, WireListIsPresentAndWellFormed) {
  const WireList& list = Wire();
  ASSERT_TRUE(list.opened) << "cannot read the CSI v1.12 wire list at " << kWireListPath
                           << " (it must sit in ../shared/reference beside the checkout)";
  for (const auto& problem : list.parse_errors) ADD_FAILURE() << problem;
  for (const char* kind : {"service", "rpc", "message", "field", "enum", "extension"}) {
    EXPECT_TRUE(list.by_kind.contains(kind)) << "the wire list has no '" << kind << "' lines";
  }
}

TEST(csi_proto_wire, FileHeader) {
  const pb::FileDescriptor* file = CsiFile();
  EXPECT_EQ(file, pb::DescriptorPool::generated_pool()->FindFileByName("csi/csi.proto"));
  EXPECT_EQ(file->package(), "csi.v1");
  EXPECT_EQ(file->syntax(), pb::FileDescriptor::SYNTAX_PROTO3);
  EXPECT_EQ(file->options().go_package(), "github.com/container-storage-interface/spec/lib/go/csi");
  std::set<std::string> imports;
  for (int i = 0; i < file->dependency_count(); ++i) imports.insert(file->dependency(i)->name());
  EXPECT_EQ(imports, (std::set<std::string>{"google/protobuf/descriptor.proto",
                                            "google/protobuf/timestamp.proto",
                                            "google/protobuf/wrappers.proto"}));
}

TEST(csi_proto_wire, Services) { ExpectKindMatches("service"); }
TEST(csi_proto_wire, Rpcs) { ExpectKindMatches("rpc"); }
TEST(csi_proto_wire, Messages) { ExpectKindMatches("message"); }
TEST(csi_proto_wire, Fields) { ExpectKindMatches("field"); }
TEST(csi_proto_wire, EnumValues) { ExpectKindMatches("enum"); }
TEST(csi_proto_wire, Extensions) { ExpectKindMatches("extension"); }

// alpha_enum cannot appear in the list (enum types have no line); pin it here instead.
TEST(csi_proto_wire, EnumTypeMarkings) {
  std::vector<const pb::EnumDescriptor*> enums;
  const pb::FileDescriptor* file = CsiFile();
  std::function<void(const pb::Descriptor*)> visit = [&](const pb::Descriptor* m) {
    for (int i = 0; i < m->enum_type_count(); ++i) enums.push_back(m->enum_type(i));
    for (int i = 0; i < m->nested_type_count(); ++i) visit(m->nested_type(i));
  };
  for (int i = 0; i < file->enum_type_count(); ++i) enums.push_back(file->enum_type(i));
  for (int i = 0; i < file->message_type_count(); ++i) visit(file->message_type(i));
  ASSERT_FALSE(enums.empty());
  for (const pb::EnumDescriptor* e : enums) {
    const std::string name = Relative(e->full_name());
    EXPECT_EQ(e->options().GetExtension(csi::v1::alpha_enum), kAlphaEnumTypes.contains(name))
        << "alpha_enum marking of enum " << name;
  }
}

// The markings kept beside the list must name services the list knows, or they are stale.
TEST(csi_proto_wire, MarkingsBeyondListNameListedServices) {
  const WireList& list = Wire();
  ASSERT_TRUE(list.opened) << "cannot read the CSI v1.12 wire list at " << kWireListPath;
  const auto services = list.by_kind.find("service");
  ASSERT_NE(services, list.by_kind.end());
  for (const auto& name : kAlphaServicesBeyondList) {
    EXPECT_TRUE(services->second.contains(name)) << "service " << name << " is not in the list";
  }
}

// Secrets stripping in logs relies on csi_secret being readable from generated descriptors.
TEST(csi_proto_wire, SecretOptionIsVisibleThroughGeneratedCode) {
  const pb::FieldDescriptor* secrets =
      csi::v1::CreateVolumeRequest::descriptor()->FindFieldByName("secrets");
  ASSERT_NE(secrets, nullptr);
  EXPECT_TRUE(secrets->options().GetExtension(csi::v1::csi_secret));
  const pb::FieldDescriptor* name =
      csi::v1::CreateVolumeRequest::descriptor()->FindFieldByName("name");
  ASSERT_NE(name, nullptr);
  EXPECT_FALSE(name->options().GetExtension(csi::v1::csi_secret));
}

}  // namespace
