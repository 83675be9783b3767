// Fuzz target: linstor/decode.h, the LINSTOR response decoders. Every decoder must return a
// value or an error of a LinstorErrorKind on any input, never crash, hang, read out of bounds
// or change the body it decodes.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "linstor/decode.h"
#include "linstor/errors.h"
#include "test/fuzz/fuzz_check.h"

namespace {

template <typename Decoder>
void Run(const uint8_t* data, size_t size, Decoder decode) {
  std::string_view text(reinterpret_cast<const char*>(data), size);
  std::string body(text);
  auto result = decode(body);
  FUZZ_CHECK(result.ok() || result.kind() != lcsi::linstor::LinstorErrorKind::kNone,
             "a decoder failure carries an error kind");
  FUZZ_CHECK(body == text, "decoding leaves the body unchanged");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace lcsi::linstor;
  Run(data, size, DecodeControllerVersion);
  Run(data, size, DecodeNodes);
  Run(data, size, DecodeNode);
  Run(data, size, DecodeStoragePools);
  Run(data, size, DecodeResourceGroups);
  Run(data, size, DecodeResourceGroup);
  Run(data, size, DecodeResourceDefinitions);
  Run(data, size, DecodeResourceDefinition);
  Run(data, size, DecodeVolumeDefinitions);
  Run(data, size, DecodeResources);
  Run(data, size, DecodeResource);
  Run(data, size, DecodeSnapshots);
  Run(data, size, DecodeSnapshot);
  Run(data, size, DecodeQuerySizeInfo);
  Run(data, size, DecodeApiCallRcs);
  Run(data, size, DecodeCloneStarted);
  Run(data, size, DecodeCloneStatus);
  return 0;
}
