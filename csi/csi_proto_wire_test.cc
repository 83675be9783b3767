// Checks csi/csi.proto's compiled descriptors against the CSI v1.12.0 wire list without reading
// it: the list stays outside the repository, so this test
// holds, per line kind, the count and SHA-256 of the list's canonical listing (csi/wire_listing.h)
// and compares them with the listing rendered from the descriptors. scripts/check-csi-wire.sh
// recomputes these digests from the list and diffs the two listings line by line.
// The suite name is lower case so that `ctest -R wire` selects it.
#include <google/protobuf/descriptor.h>
#include <google/protobuf/descriptor.pb.h>
#include <gtest/gtest.h>

#include <fstream>
#include <functional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "csi/csi.pb.h"
#include "csi/wire_listing.h"

#ifndef LCSI_WIRE_RENDERED_PATH
#error \
    "LCSI_WIRE_RENDERED_PATH must name where a mismatching listing is written (csi/CMakeLists.txt)"
#endif

namespace {

namespace pb = google::protobuf;
using lcsi::wire::Lines;

// Computed by `scripts/check-csi-wire.sh WIRE_LIST` from the CSI v1.12 wire list
// (CSI spec v1.12.0); rerun it and update these only when the list itself changes.
struct KindDigest {
  const char* kind;
  size_t count;
  const char* sha256;
};
constexpr KindDigest kReferenceDigests[] = {
    {"service", 5, "877d5aee405bb55316a4b548d8cb81f2ea10bf2fa1b8a7b95cde064dbbe7454a"},
    {"rpc", 32, "a92803f5d8c752123515d46813150bd0abdd08c94a0f9302ec45d5cf5bce44b0"},
    {"message", 94, "6faee72f010fbc66a5370c959e1745214930b028aef065c35080c0d41a857647"},
    {"field", 196, "3029be6a84737d538035e661c35daa1a45aae429a6ae13879bc30ead09dd515f"},
    {"enum", 47, "14f9e37809e3b5ec2ad3add9ccdfb561d11cfe4d8dfe5d0dc5369de55c2db888"},
    {"extension", 7, "b14c2f3fa118189d0d5a8805be2b6ddc3fd2c70f1b7b9c6698de0c94a4ab2d71"},
};

// Lines of one kind are shown in the failure message when there are at most this many.
constexpr size_t kLinesShownInline = 40;

// Writes csi.proto's whole listing next to the test binary, for scripts/check-csi-wire.sh.
void WriteRenderedListing(const lcsi::wire::Listing& listing) {
  std::ofstream out(LCSI_WIRE_RENDERED_PATH);
  for (const auto& kind : lcsi::wire::Kinds()) {
    for (const auto& line : Lines(listing, kind)) out << line << "\n";
  }
}

void ExpectKindMatchesReference(const std::string& kind) {
  const KindDigest* want = nullptr;
  for (const auto& d : kReferenceDigests) {
    if (kind == d.kind) want = &d;
  }
  ASSERT_NE(want, nullptr) << "no reference digest for kind " << kind;
  const lcsi::wire::Listing listing = lcsi::wire::FromCsiProto();
  const std::vector<std::string> lines = Lines(listing, kind);
  const std::string got = lcsi::wire::Sha256Hex(lines);
  if (lines.size() == want->count && got == want->sha256) return;

  WriteRenderedListing(listing);
  std::ostringstream shown;
  if (lines.size() <= kLinesShownInline) {
    for (const auto& line : lines) shown << "\n  " << line;
  }
  ADD_FAILURE() << "csi.proto's '" << kind << "' lines differ from the CSI v1.12 wire list:\n"
                << "  csi.proto: " << lines.size() << " lines, sha256 " << got << "\n"
                << "  list:      " << want->count << " lines, sha256 " << want->sha256 << "\n"
                << "csi.proto's listing was written to " << LCSI_WIRE_RENDERED_PATH << ";\n"
                << "`scripts/check-csi-wire.sh WIRE_LIST` diffs it against the CSI v1.12 wire "
                   "list line by line."
                << shown.str();
}

TEST(csi_proto_wire, Services) { ExpectKindMatchesReference("service"); }
TEST(csi_proto_wire, Rpcs) { ExpectKindMatchesReference("rpc"); }
TEST(csi_proto_wire, Messages) { ExpectKindMatchesReference("message"); }
TEST(csi_proto_wire, Fields) { ExpectKindMatchesReference("field"); }
TEST(csi_proto_wire, EnumValues) { ExpectKindMatchesReference("enum"); }
TEST(csi_proto_wire, Extensions) { ExpectKindMatchesReference("extension"); }

TEST(csi_proto_wire, DigestIsSha256OfNewlineTerminatedLines) {
  // sha256("abc\n"), as `printf 'abc\n' | sha256sum` prints it.
  EXPECT_EQ(lcsi::wire::Sha256Hex({"abc"}),
            "edeaaff3f1774ad2888673770c6d64097e391bc362d7d6fb34982ddf0efd18cb");
  EXPECT_NE(lcsi::wire::Sha256Hex({"a", "bc"}), lcsi::wire::Sha256Hex({"ab", "c"}));
}

// The digests above come from parsing the list; the test renders descriptors. The two paths
// agree exactly when a listing rendered from the descriptors parses back to itself.
TEST(csi_proto_wire, RenderedListingParsesBackUnchanged) {
  const lcsi::wire::Listing listing = lcsi::wire::FromCsiProto();
  std::stringstream text;
  for (const auto& kind : lcsi::wire::Kinds()) {
    for (const auto& line : Lines(listing, kind)) text << line << "\n";
  }
  const lcsi::wire::ParsedList parsed = lcsi::wire::ParseList(text);
  EXPECT_EQ(parsed.errors, std::vector<std::string>{});
  for (const auto& kind : lcsi::wire::Kinds()) {
    EXPECT_FALSE(Lines(listing, kind).empty()) << "csi.proto has no " << kind;
    EXPECT_EQ(Lines(parsed.facts, kind), Lines(listing, kind)) << kind;
  }
}

TEST(csi_proto_wire, ParserCanonicalizesMarkersAndSkipsComments) {
  std::istringstream text(
      "# a comment\n"
      "\n"
      "service SnapshotMetadata\n"
      "field Topology.segments 1 map<string,string>\n"
      "field Secret.value 2 STRING OPTIONAL [alpha] [csi_secret]\n"
      "field Other.value 2 STRING OPTIONAL [csi_secret] [alpha]\n"
      "rpc S.M Req -> Resp (server-streaming)\n"
      "extension google.protobuf.FieldOptions csi_secret 1059 BOOL\n");
  const lcsi::wire::ParsedList parsed = lcsi::wire::ParseList(text);
  EXPECT_EQ(parsed.errors, std::vector<std::string>{});
  EXPECT_EQ(Lines(parsed.facts, "service"),
            std::vector<std::string>{"service SnapshotMetadata [alpha]"});
  EXPECT_EQ(Lines(parsed.facts, "field"),
            (std::vector<std::string>{"field Other.value 2 STRING OPTIONAL [alpha] [csi_secret]",
                                      "field Secret.value 2 STRING OPTIONAL [alpha] [csi_secret]",
                                      "field Topology.segments 1 map<string,string>"}));
  EXPECT_EQ(
      Lines(parsed.facts, "extension"),
      std::vector<std::string>{"extension google.protobuf.FieldOptions csi_secret 1059 BOOL"});
  EXPECT_EQ(parsed.line_of.at("rpc S.M"), 7);
}

TEST(csi_proto_wire, ParserNamesTheLineOfEveryMalformedEntry) {
  std::istringstream text(
      "service Identity\n"
      "rpc Identity.Probe ProbeRequest ProbeResponse\n"
      "field A.b x STRING OPTIONAL\n"
      "field A.c 1 STRING OPTIONAL [alpha] A\n"
      "enum E.V 1 [beta]\n"
      "widget W\n"
      "service Identity\n"
      "message\n");
  const lcsi::wire::ParsedList parsed = lcsi::wire::ParseList(text);
  const std::vector<std::string> want_prefixes = {
      "wire list line 2: expected 'Request -> Response'",
      "wire list line 3: expected a field number and type",
      "wire list line 4: type token 'A' after a marker",
      "wire list line 5: unknown marker '[beta]'",
      "wire list line 6: unknown line kind 'widget'",
      "wire list line 7: duplicate of line 1",
      "wire list line 8: missing name",
  };
  ASSERT_EQ(parsed.errors.size(), want_prefixes.size()) << ::testing::PrintToString(parsed.errors);
  for (size_t i = 0; i < want_prefixes.size(); ++i) {
    EXPECT_TRUE(parsed.errors[i].starts_with(want_prefixes[i]))
        << parsed.errors[i] << "\n  want prefix: " << want_prefixes[i];
  }
  EXPECT_EQ(Lines(parsed.facts, "service"), std::vector<std::string>{"service Identity"});
  EXPECT_TRUE(Lines(parsed.facts, "field").empty());
}

TEST(csi_proto_wire, FileHeader) {
  const pb::FileDescriptor* file = csi::v1::GetPluginInfoRequest::descriptor()->file();
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

// alpha_enum cannot appear in the list (enum types have no line): CSI v1.12 marks no enum type.
TEST(csi_proto_wire, EnumTypeMarkings) {
  std::vector<const pb::EnumDescriptor*> enums;
  const pb::FileDescriptor* file = csi::v1::GetPluginInfoRequest::descriptor()->file();
  std::function<void(const pb::Descriptor*)> visit = [&](const pb::Descriptor* m) {
    for (int i = 0; i < m->enum_type_count(); ++i) enums.push_back(m->enum_type(i));
    for (int i = 0; i < m->nested_type_count(); ++i) visit(m->nested_type(i));
  };
  for (int i = 0; i < file->enum_type_count(); ++i) enums.push_back(file->enum_type(i));
  for (int i = 0; i < file->message_type_count(); ++i) visit(file->message_type(i));
  ASSERT_FALSE(enums.empty());
  for (const pb::EnumDescriptor* e : enums) {
    EXPECT_FALSE(e->options().GetExtension(csi::v1::alpha_enum))
        << "alpha_enum marking of enum " << e->full_name();
  }
}

// The alpha markings kept beside the list must name services csi.proto declares alpha.
TEST(csi_proto_wire, AlphaServicesBeyondListAreDeclaredAlpha) {
  const pb::FileDescriptor* file = csi::v1::GetPluginInfoRequest::descriptor()->file();
  for (const auto& name : lcsi::wire::AlphaServicesBeyondList()) {
    const pb::ServiceDescriptor* service = file->FindServiceByName(name);
    ASSERT_NE(service, nullptr) << "csi.proto declares no service " << name;
    EXPECT_TRUE(service->options().GetExtension(csi::v1::alpha_service)) << name;
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
