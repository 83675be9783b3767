// Fuzz target: controller/names.h, the mapping of CSI names and ids to LINSTOR names:
// LinstorNameFor, Decode/EncodeSnapshotId, Decode/EncodeGroupSnapshotId. Ids come from the CO
// (and from whoever can create VolumeSnapshotContents), so every byte sequence must be safe.
#include <cstdint>
#include <string>
#include <string_view>

#include "controller/names.h"
#include "test/fuzz/fuzz_check.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  using namespace lcsi::controller;

  // Volume names: always a valid LINSTOR name, deterministic, identity on valid names.
  if (!text.empty()) {
    std::string name = LinstorNameFor(text);
    FUZZ_CHECK(IsValidLinstorName(name), "LinstorNameFor gives a valid LINSTOR name");
    FUZZ_CHECK(LinstorNameFor(text) == name, "LinstorNameFor is deterministic");
    if (IsValidLinstorName(text)) {
      FUZZ_CHECK(name == text, "a valid LINSTOR name maps to itself");
    }
    FUZZ_CHECK(LinstorNameFor(name) == name, "a mapped name maps to itself");
  }

  // Snapshot ids: what decodes re-encodes to the same id, with valid LINSTOR names inside.
  if (auto ref = DecodeSnapshotId(text)) {
    FUZZ_CHECK(IsValidLinstorName(ref->resource_definition) && IsValidLinstorName(ref->snapshot),
               "a decoded snapshot id holds valid LINSTOR names");
    FUZZ_CHECK(EncodeSnapshotId(*ref) == text, "snapshot ids round-trip");
  }
  if (auto name = DecodeGroupSnapshotId(text)) {
    FUZZ_CHECK(IsValidLinstorName(*name), "a decoded group snapshot id holds a valid name");
    FUZZ_CHECK(EncodeGroupSnapshotId(*name) == text, "group snapshot ids round-trip");
  }

  // Encoding any pair of valid names decodes back to it.
  size_t split = text.find('/');
  if (split != std::string_view::npos) {
    SnapshotRef ref{std::string(text.substr(0, split)), std::string(text.substr(split + 1))};
    if (IsValidLinstorName(ref.resource_definition) && IsValidLinstorName(ref.snapshot)) {
      auto back = DecodeSnapshotId(EncodeSnapshotId(ref));
      FUZZ_CHECK(back.has_value() && *back == ref, "encoded snapshot refs decode back");
    }
  }
  return 0;
}
