// Fuzz target for the LINSTOR response decoders: every decoder must return a value
// or a kBadResponse error on any input, never crash, hang or read out of bounds.
// Built as a libFuzzer binary (LCSI_FUZZ=ON, clang) and, always, linked with
// standalone_main.cc into a driver that ctest runs over the seed corpus plus
// seeded pseudo-random mutations.
#include <cstddef>
#include <cstdint>
#include <string>

#include "linstor/decode.h"
#include "linstor/errors.h"

namespace {

template <typename Decoder>
void Run(const uint8_t* data, size_t size, Decoder decode) {
  std::string body(reinterpret_cast<const char*>(data), size);
  auto result = decode(body);
  // Touch the outcome so the work is not optimized away, and check the contract.
  if (!result.ok() && result.kind() == lcsi::linstor::LinstorErrorKind::kNone) __builtin_trap();
  if (body != std::string(reinterpret_cast<const char*>(data), size)) __builtin_trap();
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
