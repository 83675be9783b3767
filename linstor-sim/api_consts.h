// LINSTOR's ApiConsts: the bit layout and codes of ApiCallRc.ret_code.
// Bits 62-63: message type (error/warning/info). Bits 24-25: operation (create/modify/delete).
// Bits 18-22: object type. Bits 0-14: the code. Values are LINSTOR's own.
#pragma once

#include <cstdint>

namespace lcsi::sim::rc {

inline constexpr uint64_t kMaskError = 0xC000000000000000ULL;
inline constexpr uint64_t kMaskWarn = 0x8000000000000000ULL;
inline constexpr uint64_t kMaskInfo = 0x4000000000000000ULL;
inline constexpr uint64_t kMaskBitsType = 0xC000000000000000ULL;

inline constexpr uint64_t kMaskCrt = 0x0000000001000000ULL;
inline constexpr uint64_t kMaskMod = 0x0000000002000000ULL;
inline constexpr uint64_t kMaskDel = 0x0000000003000000ULL;

inline constexpr uint64_t kMaskRscGrp = 0x0000000000440000ULL;
inline constexpr uint64_t kMaskNode = 0x00000000003C0000ULL;
inline constexpr uint64_t kMaskRscDfn = 0x0000000000380000ULL;
inline constexpr uint64_t kMaskRsc = 0x0000000000340000ULL;
inline constexpr uint64_t kMaskVlmDfn = 0x0000000000300000ULL;
inline constexpr uint64_t kMaskVlm = 0x00000000002C0000ULL;
inline constexpr uint64_t kMaskStorPool = 0x0000000000140000ULL;
inline constexpr uint64_t kMaskSnapshot = 0x00000000000C0000ULL;

inline constexpr uint64_t kMaskBitsCode = 0x0000000000007FFFULL;

// Success codes (no type bits).
inline constexpr uint64_t kCreated = 1;
inline constexpr uint64_t kDeleted = 2;
inline constexpr uint64_t kModified = 3;

// Failures (kMaskError | code).
inline constexpr uint64_t kFailInvldNodeName = kMaskError | 200;
inline constexpr uint64_t kFailInvldRscName = kMaskError | 202;
inline constexpr uint64_t kFailInvldVlmNr = kMaskError | 205;
inline constexpr uint64_t kFailInvldVlmSize = kMaskError | 206;
inline constexpr uint64_t kFailInvldStorPoolName = kMaskError | 208;
inline constexpr uint64_t kFailInvldProp = kMaskError | 213;
inline constexpr uint64_t kFailInvldSnapshotName = kMaskError | 218;
inline constexpr uint64_t kFailInvldPlaceCount = kMaskError | 219;
inline constexpr uint64_t kFailInvldLayerStack = kMaskError | 225;
inline constexpr uint64_t kFailInvldVlmSizes = kMaskError | 228;
inline constexpr uint64_t kFailInvldRscGrpName = kMaskError | 234;

inline constexpr uint64_t kFailNotFoundNode = kMaskError | 300;
inline constexpr uint64_t kFailNotFoundRscDfn = kMaskError | 301;
inline constexpr uint64_t kFailNotFoundRsc = kMaskError | 302;
inline constexpr uint64_t kFailNotFoundVlmDfn = kMaskError | 303;
inline constexpr uint64_t kFailNotFoundStorPool = kMaskError | 310;
inline constexpr uint64_t kFailNotFoundDfltStorPool = kMaskError | 311;
inline constexpr uint64_t kFailNotFoundSnapshotDfn = kMaskError | 313;
inline constexpr uint64_t kFailNotFoundSnapshotVlmDfn = kMaskError | 314;
inline constexpr uint64_t kFailNotFoundSnapshot = kMaskError | 315;
inline constexpr uint64_t kFailNotFoundRscGrp = kMaskError | 317;

inline constexpr uint64_t kFailAccDeniedRscGrp = kMaskError | 419;

inline constexpr uint64_t kFailExistsNode = kMaskError | 500;
inline constexpr uint64_t kFailExistsRscDfn = kMaskError | 501;
inline constexpr uint64_t kFailExistsRsc = kMaskError | 502;
inline constexpr uint64_t kFailExistsVlmDfn = kMaskError | 503;
inline constexpr uint64_t kFailExistsSnapshotDfn = kMaskError | 514;
inline constexpr uint64_t kFailExistsRscGrp = kMaskError | 522;

inline constexpr uint64_t kFailNotEnoughFreeSpace = kMaskError | 980;
inline constexpr uint64_t kFailNotConnected = kMaskError | 995;
inline constexpr uint64_t kFailNotEnoughNodes = kMaskError | 996;
inline constexpr uint64_t kFailInUse = kMaskError | 997;
inline constexpr uint64_t kFailUnknownError = kMaskError | 998;
inline constexpr uint64_t kFailImplError = kMaskError | 999;

// Warnings (kMaskWarn | code).
inline constexpr uint64_t kWarnNotConnected = kMaskWarn | 1002;
inline constexpr uint64_t kWarnDelUnsetProp = kMaskWarn | 1005;
inline constexpr uint64_t kWarnRscAlreadyDeployed = kMaskWarn | 1006;
inline constexpr uint64_t kWarnRscAlreadyHasDisk = kMaskWarn | 1007;
inline constexpr uint64_t kWarnStorageError = kMaskWarn | 1010;
inline constexpr uint64_t kWarnNotEnoughNodesForTieBreaker = kMaskWarn | 1013;
inline constexpr uint64_t kWarnVlmDfnResizeSameSize = kMaskWarn | 1023;
inline constexpr uint64_t kWarnNotFound = kMaskWarn | 3000;

// Info (kMaskInfo | code).
inline constexpr uint64_t kInfoTieBreakerCreated = kMaskInfo | 10003;
inline constexpr uint64_t kInfoTieBreakerDeleting = kMaskInfo | 10004;
inline constexpr uint64_t kInfoTieBreakerTakeover = kMaskInfo | 10006;
inline constexpr uint64_t kInfoNoop = kMaskInfo | 10007;
inline constexpr uint64_t kInfoRscAlreadyExists = kMaskInfo | 10008;

// Special codes.
inline constexpr uint64_t kApiCallParseError = kMaskError | 0x0FFFFFFFFFFFFFFDULL;
inline constexpr uint64_t kUnknownApiCall = kMaskError | 0x0FFFFFFFFFFFFFFFULL;

inline constexpr bool IsError(uint64_t ret_code) {
  return (ret_code & kMaskBitsType) == kMaskError;
}
inline constexpr bool IsWarning(uint64_t ret_code) {
  return (ret_code & kMaskBitsType) == kMaskWarn;
}

}  // namespace lcsi::sim::rc
