// Fuzz target: nodeplugin/satellite_name.h ParseSatelliteMap (the --satellite-map file, a
// ConfigMap an operator writes). Besides "no crash", checks the contract on accepted input.
#include <cstdint>
#include <string>
#include <string_view>

#include "nodeplugin/satellite_name.h"
#include "test/fuzz/fuzz_check.h"

namespace {

bool PlainName(const std::string& s) {
  for (char c : s) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_' || c == '.';
    if (!ok) return false;
  }
  return !s.empty();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  auto parsed = lcsi::node::ParseSatelliteMap(text);
  if (!parsed.ok()) {
    FUZZ_CHECK(!parsed.status().message().empty(), "a rejection carries a message");
    return 0;
  }
  // No empty names, and names never carry the line structure or surrounding blanks.
  std::string both_forms_plain, both_forms_yaml;
  bool all_plain = true;
  for (const auto& [node, satellite] : *parsed) {
    FUZZ_CHECK(!node.empty() && !satellite.empty(), "no empty node or satellite name");
    FUZZ_CHECK(node.find('\n') == std::string::npos && satellite.find('\n') == std::string::npos,
               "names never span lines");
    all_plain = all_plain && PlainName(node) && PlainName(satellite);
    both_forms_plain += node + " " + satellite + "\n";
    both_forms_yaml += node + ": " + satellite + "\n";
  }
  // A map of plain names written back in either accepted form parses to the same map.
  if (all_plain) {
    auto plain = lcsi::node::ParseSatelliteMap(both_forms_plain);
    auto yaml = lcsi::node::ParseSatelliteMap(both_forms_yaml);
    FUZZ_CHECK(plain.ok() && *plain == *parsed, "plain names round-trip in 'node sat' form");
    FUZZ_CHECK(yaml.ok() && *yaml == *parsed, "plain names round-trip in 'node: sat' form");
  }
  return 0;
}
