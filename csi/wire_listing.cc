#include "csi/wire_listing.h"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/descriptor.pb.h>
#include <openssl/evp.h>

#include <cctype>
#include <cstdio>
#include <sstream>
#include <string_view>

#include "csi/csi.pb.h"

namespace lcsi::wire {
namespace {

namespace pb = google::protobuf;

constexpr std::string_view kPackagePrefix = "csi.v1.";

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

void CollectEnum(const pb::EnumDescriptor* e, Listing& out) {
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

void CollectMessage(const pb::Descriptor* m, Listing& out) {
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

void CollectServices(const pb::FileDescriptor* file, Listing& out) {
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
}

void CollectExtensions(const pb::FileDescriptor* file, Listing& out) {
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
}

}  // namespace

const std::vector<std::string>& Kinds() {
  static const std::vector<std::string> kinds = {"service", "rpc",  "message",
                                                 "field",   "enum", "extension"};
  return kinds;
}

const std::set<std::string>& AlphaServicesBeyondList() {
  static const std::set<std::string> services = {"SnapshotMetadata"};
  return services;
}

std::string Fact::Render() const {
  std::string out = kind + " " + key;
  for (const auto& p : positional) out += " " + p;
  for (const auto& f : flags) out += " " + f;
  return out;
}

Listing FromCsiProto() {
  const pb::FileDescriptor* file = csi::v1::GetPluginInfoRequest::descriptor()->file();
  Listing out;
  CollectServices(file, out);
  for (int i = 0; i < file->message_type_count(); ++i) CollectMessage(file->message_type(i), out);
  for (int i = 0; i < file->enum_type_count(); ++i) CollectEnum(file->enum_type(i), out);
  CollectExtensions(file, out);
  return out;
}

ParsedList ParseList(std::istream& in) {
  ParsedList list;
  std::string line;
  for (int line_no = 1; std::getline(in, line); ++line_no) {
    std::istringstream tokens(line);
    std::vector<std::string> t;
    for (std::string token; tokens >> token;) t.push_back(token);
    if (t.empty() || t[0].starts_with("#")) continue;

    auto error = [&](const std::string& what) {
      list.errors.push_back("wire list line " + std::to_string(line_no) + ": " + what + ": '" +
                            line + "'");
    };
    // Extension lines are keyed by extendee and name: "extension Extendee name N TYPE".
    const size_t key_tokens = t[0] == "extension" ? 2 : 1;
    if (t.size() < 1 + key_tokens) {
      error("missing name");
      continue;
    }
    Fact fact{.kind = t[0], .key = t[1], .positional = {}, .flags = {}};
    if (key_tokens == 2) fact.key += " " + t[2];
    bool well_formed = true;
    for (size_t i = 1 + key_tokens; i < t.size(); ++i) {
      if (IsFlagToken(t[i])) {
        if (!fact.flags.insert(t[i]).second) {
          error("repeated marker " + t[i]);
          well_formed = false;
        }
      } else if (!fact.flags.empty()) {
        error("type token '" + t[i] + "' after a marker");
        well_formed = false;
      } else {
        fact.positional.push_back(t[i]);
      }
    }
    if (std::string problem = CheckShape(fact); !problem.empty()) {
      error(problem);
      continue;
    }
    if (!well_formed) continue;
    if (fact.kind == "service" && AlphaServicesBeyondList().contains(fact.key))
      fact.flags.insert("[alpha]");
    const std::string where = fact.kind + " " + fact.key;
    if (auto seen = list.line_of.find(where); seen != list.line_of.end()) {
      error("duplicate of line " + std::to_string(seen->second));
      continue;
    }
    list.line_of[where] = line_no;
    list.facts[fact.kind][fact.key] = fact;
  }
  return list;
}

std::vector<std::string> Lines(const Listing& listing, const std::string& kind) {
  std::vector<std::string> lines;
  if (auto it = listing.find(kind); it != listing.end()) {
    for (const auto& [key, fact] : it->second) lines.push_back(fact.Render());
  }
  return lines;
}

std::string Sha256Hex(const std::vector<std::string>& lines) {
  EVP_MD_CTX* ctx = EVP_MD_CTX_new();
  EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr);
  for (const auto& line : lines) {
    EVP_DigestUpdate(ctx, line.data(), line.size());
    EVP_DigestUpdate(ctx, "\n", 1);
  }
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int size = 0;
  EVP_DigestFinal_ex(ctx, digest, &size);
  EVP_MD_CTX_free(ctx);
  std::string hex;
  char byte[3];
  for (unsigned int i = 0; i < size; ++i) {
    std::snprintf(byte, sizeof byte, "%02x", digest[i]);
    hex += byte;
  }
  return hex;
}

}  // namespace lcsi::wire
