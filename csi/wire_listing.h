// The CSI wire contract as a canonical text listing, one line per element:
//   service NAME [alpha]
//   rpc Service.Method Request -> Response [(server-streaming)] [alpha]
//   message Name [alpha]
//   field Message.name NUMBER TYPE LABEL [TypeName] [csi_secret] [alpha] [oneof=x]
//   field Message.name NUMBER map<K,V> [...markers]
//   enum Enum.VALUE NUMBER [alpha]
//   extension Extendee name NUMBER TYPE
// It is the line format of the CSI v1.12 wire list (a listing of the spec's wire facts, not kept
// in this repository). Both csi.proto's compiled descriptors and such a list
// render into it, so the two can be compared by text or by digest: csi_proto_wire_test compares
// the descriptors' digests with ones computed from the list, and scripts/check-csi-wire.sh diffs
// the two listings when the list is at hand.
#pragma once

#include <istream>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace lcsi::wire {

// The line kinds in listing order.
const std::vector<std::string>& Kinds();

// One element of the wire contract. Markers are kept sorted, so a list line and a descriptor
// render identically when they agree.
struct Fact {
  std::string kind;
  std::string key;
  std::vector<std::string> positional;
  std::set<std::string> flags;

  std::string Render() const;
};

// kind -> key -> fact.
using Listing = std::map<std::string, std::map<std::string, Fact>>;

// Everything csi/csi.proto declares, from the generated descriptors.
Listing FromCsiProto();

struct ParsedList {
  Listing facts;
  std::map<std::string, int> line_of;  // "kind key" -> line number in the list
  std::vector<std::string> errors;     // each names its line
};

// Reads a wire list: '#' lines and blank lines are skipped; every other line must have the shape
// of its kind. Services that CSI marks alpha get the [alpha] marker the list cannot carry.
ParsedList ParseList(std::istream& in);

// The rendered lines of one kind, ordered by key.
std::vector<std::string> Lines(const Listing& listing, const std::string& kind);

// Lowercase hex SHA-256 of the lines, each followed by '\n'.
std::string Sha256Hex(const std::vector<std::string>& lines);

// Services CSI v1.12 marks alpha: the list's 'service' lines carry no marker.
const std::set<std::string>& AlphaServicesBeyondList();

}  // namespace lcsi::wire
