// csi-wire-listing: prints the canonical CSI wire listing (csi/wire_listing.h) of csi.proto or of
// a wire list file, as lines or as per-kind digests. scripts/check-csi-wire.sh uses it to diff
// csi.proto against the CSI v1.12 wire list and to recompute csi_proto_wire_test's digests.
#include <fstream>
#include <iostream>
#include <string>

#include "csi/wire_listing.h"

namespace {

constexpr char kUsage[] =
    "usage: csi-wire-listing [--list FILE] [--digests]\n"
    "  prints csi.proto's wire listing (or FILE's, canonicalized), one line per element;\n"
    "  --digests prints 'kind count sha256' per kind instead\n";

}  // namespace

int main(int argc, char** argv) {
  std::string list_path;
  bool digests = false;
  for (int i = 1; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--list" && i + 1 < argc) {
      list_path = argv[++i];
    } else if (arg == "--digests") {
      digests = true;
    } else {
      std::cerr << kUsage;
      return 2;
    }
  }

  lcsi::wire::Listing listing;
  if (list_path.empty()) {
    listing = lcsi::wire::FromCsiProto();
  } else {
    std::ifstream in(list_path);
    if (!in) {
      std::cerr << "csi-wire-listing: cannot read " << list_path << "\n";
      return 1;
    }
    lcsi::wire::ParsedList parsed = lcsi::wire::ParseList(in);
    for (const auto& error : parsed.errors) std::cerr << list_path << ": " << error << "\n";
    if (!parsed.errors.empty()) return 1;
    listing = std::move(parsed.facts);
  }

  for (const auto& kind : lcsi::wire::Kinds()) {
    const auto lines = lcsi::wire::Lines(listing, kind);
    if (digests) {
      std::cout << kind << " " << lines.size() << " " << lcsi::wire::Sha256Hex(lines) << "\n";
    } else {
      for (const auto& line : lines) std::cout << line << "\n";
    }
  }
  return 0;
}
