// Fuzz target: controller/parameters.h, StorageClass / mutable / snapshot-class parameter
// parsing. The input is split into key/value pairs: "key=value" lines ('\n'-separated); the
// first line may name the driver ("driver=<name>").
#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "controller/parameters.h"
#include "test/fuzz/fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  using namespace lcsi::controller;

  std::string driver = "linstor-cpp.csi.io";
  ParameterMap params;
  size_t pos = 0;
  bool first = true;
  while (pos <= text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(pos, end - pos);
    pos = end + 1;
    size_t eq = line.find('=');
    std::string key(line.substr(0, eq));
    std::string value(eq == std::string_view::npos ? "" : line.substr(eq + 1));
    if (first && key == "driver") {
      driver = value;
    } else if (!line.empty()) {
      params[key] = value;
    }
    first = false;
  }

  auto parsed = ParseVolumeParameters(params, driver);
  if (parsed.ok()) {
    auto again = ParseVolumeParameters(params, driver);
    FUZZ_CHECK(again.ok() && again->Canonical() == parsed->Canonical(), "parsing is deterministic");
    FUZZ_CHECK(parsed->Fingerprint() == again->Fingerprint(), "fingerprints are stable");
    FUZZ_CHECK(!parsed->placement_count || *parsed->placement_count > 0,
               "an accepted placement count is positive");
  } else {
    FUZZ_CHECK(!parsed.status().message().empty(), "a rejection carries a message");
    FUZZ_CHECK(parsed.status().code() == lcsi::Code::kInvalidArgument,
               "bad parameters are InvalidArgument");
  }

  auto mutable_params = ParseMutableParameters(params, driver);
  if (mutable_params.ok()) {
    FUZZ_CHECK(!mutable_params->placement_count || *mutable_params->placement_count > 0,
               "an accepted mutable placement count is positive");
    auto again = ParseMutableParameters(params, driver);
    FUZZ_CHECK(again.ok() && again->Canonical() == mutable_params->Canonical(),
               "mutable parsing is deterministic");
  } else {
    FUZZ_CHECK(mutable_params.status().code() == lcsi::Code::kInvalidArgument,
               "bad mutable parameters are InvalidArgument");
  }

  auto snapshot_params = ParseSnapshotParameters(params, driver);
  if (!snapshot_params.ok()) {
    FUZZ_CHECK(snapshot_params.status().code() == lcsi::Code::kInvalidArgument,
               "bad snapshot-class parameters are InvalidArgument");
  }
  return 0;
}
