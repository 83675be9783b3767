// Typed LINSTOR errors and the results LinstorClient operations return.
//
// LINSTOR answers a failed call with a list of ApiCallRc entries whose ret_code
// packs a severity, an operation, an object type and a code (ApiConsts):
//   bits 62-63  severity   0xC000... error, 0x8000... warning, 0x4000... info, 0 success
//   bits 24-25  operation  0x01000000 create, 0x02000000 modify, 0x03000000 delete
//   bits 18-22  object     0x003C0000 node, 0x00380000 rsc dfn, 0x00340000 rsc, ...
//   bits  0-14  code       300-399 not found, 500-599 exists, 996 not enough nodes, 997 in use
// LinstorError keeps that list plus the HTTP status and classifies it into a
// LinstorErrorKind, so callers can test "not found" cheaply and map to lcsi::Status.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "base/status.h"

namespace lcsi::linstor {

// ---- ret_code layout (ApiConsts) ----
inline constexpr uint64_t kMaskSeverity = 0xC000000000000000ULL;
inline constexpr uint64_t kMaskError = 0xC000000000000000ULL;
inline constexpr uint64_t kMaskWarn = 0x8000000000000000ULL;
inline constexpr uint64_t kMaskInfo = 0x4000000000000000ULL;
inline constexpr uint64_t kMaskOperation = 0x0000000003000000ULL;
inline constexpr uint64_t kMaskCreate = 0x0000000001000000ULL;
inline constexpr uint64_t kMaskModify = 0x0000000002000000ULL;
inline constexpr uint64_t kMaskDelete = 0x0000000003000000ULL;
inline constexpr uint64_t kMaskObject = 0x00000000007C0000ULL;
inline constexpr uint64_t kMaskCode = 0x0000000000007FFFULL;

// Object type values (already shifted, compare with ret_code & kMaskObject).
inline constexpr uint64_t kObjSnapshot = 0x00000000000C0000ULL;
inline constexpr uint64_t kObjCtrlConf = 0x0000000000100000ULL;
inline constexpr uint64_t kObjStorPool = 0x0000000000140000ULL;
inline constexpr uint64_t kObjStorPoolDfn = 0x0000000000180000ULL;
inline constexpr uint64_t kObjNetIf = 0x00000000001C0000ULL;
inline constexpr uint64_t kObjVlmConn = 0x0000000000200000ULL;
inline constexpr uint64_t kObjRscConn = 0x0000000000240000ULL;
inline constexpr uint64_t kObjNodeConn = 0x0000000000280000ULL;
inline constexpr uint64_t kObjVlm = 0x00000000002C0000ULL;
inline constexpr uint64_t kObjVlmDfn = 0x0000000000300000ULL;
inline constexpr uint64_t kObjRsc = 0x0000000000340000ULL;
inline constexpr uint64_t kObjRscDfn = 0x0000000000380000ULL;
inline constexpr uint64_t kObjNode = 0x00000000003C0000ULL;
inline constexpr uint64_t kObjKvs = 0x0000000000400000ULL;
inline constexpr uint64_t kObjRscGrp = 0x0000000000440000ULL;
inline constexpr uint64_t kObjVlmGrp = 0x0000000000480000ULL;

// Codes (low 15 bits) the client classifies. Ranges: 200-299 invalid,
// 300-399 not found, 400-499 access denied, 500-599 exists.
inline constexpr int kCodeCreated = 1;
inline constexpr int kCodeDeleted = 2;
inline constexpr int kCodeModified = 3;
inline constexpr int kCodeFailNotFoundNode = 300;
inline constexpr int kCodeFailNotFoundRscDfn = 301;
inline constexpr int kCodeFailNotFoundRsc = 302;
inline constexpr int kCodeFailNotFoundVlmDfn = 303;
inline constexpr int kCodeFailNotFoundStorPool = 310;
inline constexpr int kCodeFailNotFoundSnapshotDfn = 313;
inline constexpr int kCodeFailNotFoundSnapshot = 315;
inline constexpr int kCodeFailNotFoundRscGrp = 317;
inline constexpr int kCodeFailExistsRscDfn = 501;
inline constexpr int kCodeFailExistsRsc = 502;
inline constexpr int kCodeFailExistsSnapshotDfn = 514;
inline constexpr int kCodeFailExistsSnapshot = 516;
inline constexpr int kCodeFailExistsRscGrp = 522;
inline constexpr int kCodeFailNotEnoughFreeSpace = 980;
inline constexpr int kCodeFailRscBusy = 992;
inline constexpr int kCodeFailNotConnected = 995;
inline constexpr int kCodeFailNotEnoughNodes = 996;
inline constexpr int kCodeFailInUse = 997;
inline constexpr int kCodeFailUnknownError = 998;
inline constexpr int kCodeFailImplError = 999;
inline constexpr int kCodeWarnNotFound = 3000;
// Special whole-value codes (MASK_ERROR | 0x0FFF...).
inline constexpr uint64_t kUnknownApiCall = 0xCFFFFFFFFFFFFFFFULL;
inline constexpr uint64_t kApiCallAuthRequired = 0xCFFFFFFFFFFFFFFEULL;
inline constexpr uint64_t kApiCallParseError = 0xCFFFFFFFFFFFFFFDULL;

enum class Severity { kSuccess, kInfo, kWarning, kError };

// One LINSTOR ApiCallRc entry, as sent in JSON.
struct ApiCallRc {
  int64_t ret_code = 0;
  std::string message;
  std::string cause;
  std::string details;
  std::string correction;
  std::map<std::string, std::string> obj_refs;
  std::vector<std::string> error_report_ids;
  std::string created_at;

  Severity severity() const;
  bool IsError() const { return severity() == Severity::kError; }
  bool IsWarning() const { return severity() == Severity::kWarning; }
  int code() const { return static_cast<int>(static_cast<uint64_t>(ret_code) & kMaskCode); }
  uint64_t object_type() const { return static_cast<uint64_t>(ret_code) & kMaskObject; }
  uint64_t operation() const { return static_cast<uint64_t>(ret_code) & kMaskOperation; }
};

// Builds a ret_code from its parts, e.g. MakeRetCode(kMaskError, kObjRscDfn, 301).
constexpr int64_t MakeRetCode(uint64_t severity, uint64_t object, int code,
                              uint64_t operation = 0) {
  return static_cast<int64_t>(severity | operation | object |
                              (static_cast<uint64_t>(code) & kMaskCode));
}

enum class LinstorErrorKind {
  kNone = 0,          // no error (only reported by an OK result's kind())
  kNotFound,          // 300-399, HTTP 404
  kAlreadyExists,     // 500-599
  kInUse,             // 997: a resource is in use (mounted/opened)
  kNotEnoughNodes,    // 996: placement cannot be satisfied
  kNoSpace,           // 980: not enough free space
  kUnavailable,       // connection error, timeout, 502/503/504, satellite not connected (995),
                      // resource busy (992): retryable
  kInvalidRequest,    // 200-299, parse errors, HTTP 400
  kUnauthorized,      // HTTP 401 or auth required
  kPermissionDenied,  // 400-499 access denied, HTTP 403
  kBadResponse,       // the answer could not be decoded
  kInternal,          // everything else
};

const char* LinstorErrorKindName(LinstorErrorKind kind);

// Maps one ret_code (an error entry) to a kind. Non-error entries map to kNone.
LinstorErrorKind KindFromRetCode(int64_t ret_code);

class LinstorError {
 public:
  LinstorError() = default;
  LinstorError(LinstorErrorKind kind, std::string message, int http_status = 0,
               std::vector<ApiCallRc> rcs = {})
      : kind_(kind),
        message_(std::move(message)),
        http_status_(http_status),
        rcs_(std::move(rcs)) {}

  // Classifies an HTTP error answer: the first error entry of the list decides,
  // falling back to the HTTP status. 'context' names the operation ("GET /v1/nodes").
  static LinstorError FromResponse(int http_status, std::vector<ApiCallRc> rcs,
                                   const std::string& context);
  // A transport failure (connection refused, timeout, TLS handshake...): kUnavailable.
  static LinstorError Transport(const std::string& what, const std::string& context);

  LinstorErrorKind kind() const { return kind_; }
  int http_status() const { return http_status_; }
  const std::vector<ApiCallRc>& rcs() const { return rcs_; }
  // The message: LINSTOR's own message and cause (and details) of the first error.
  const std::string& message() const { return message_; }
  // The first error entry, if any.
  const ApiCallRc* first_error() const;

  bool IsNotFound() const { return kind_ == LinstorErrorKind::kNotFound; }
  bool IsAlreadyExists() const { return kind_ == LinstorErrorKind::kAlreadyExists; }
  bool IsInUse() const { return kind_ == LinstorErrorKind::kInUse; }
  bool IsNotEnoughNodes() const { return kind_ == LinstorErrorKind::kNotEnoughNodes; }
  // Worth retrying later (the CO will): transport errors, overload.
  bool IsRetryable() const { return kind_ == LinstorErrorKind::kUnavailable; }

  // NotFound->kNotFound, AlreadyExists->kAlreadyExists, InUse->kFailedPrecondition,
  // NotEnoughNodes/NoSpace->kResourceExhausted, Unavailable->kUnavailable,
  // InvalidRequest->kInvalidArgument, Unauthorized->kUnauthenticated,
  // PermissionDenied->kPermissionDenied, BadResponse/Internal->kInternal.
  Code code() const;
  Status ToStatus() const { return Status(code(), message_); }
  std::string ToString() const;

 private:
  LinstorErrorKind kind_ = LinstorErrorKind::kInternal;
  std::string message_;
  int http_status_ = 0;
  std::vector<ApiCallRc> rcs_;
};

// A success or a LinstorError. Converts implicitly to lcsi::Status so that
// LCSI_RETURN_IF_ERROR(client.DeleteResourceDefinition(rd)) works.
class [[nodiscard]] LinstorStatus {
 public:
  LinstorStatus() = default;
  LinstorStatus(LinstorError error) : error_(std::move(error)) {}  // NOLINT: implicit

  bool ok() const { return !error_.has_value(); }
  LinstorErrorKind kind() const { return ok() ? LinstorErrorKind::kNone : error_->kind(); }
  bool Is(LinstorErrorKind k) const { return kind() == k; }
  bool IsNotFound() const { return Is(LinstorErrorKind::kNotFound); }
  const LinstorError& error() const { return *error_; }  // only when !ok()
  Status status() const { return ok() ? Status() : error_->ToStatus(); }
  operator Status() const { return status(); }  // NOLINT: implicit by design

 private:
  std::optional<LinstorError> error_;
};

// A value or a LinstorError. Converts (by move) to lcsi::Result<T>:
//   Result<Node> r = client.GetNode("n1");   or   return client.GetNode("n1");
template <typename T>
class [[nodiscard]] LinstorResult {
 public:
  LinstorResult(T value) : v_(std::move(value)) {}             // NOLINT: implicit
  LinstorResult(LinstorError error) : v_(std::move(error)) {}  // NOLINT: implicit

  bool ok() const { return std::holds_alternative<T>(v_); }
  LinstorErrorKind kind() const {
    return ok() ? LinstorErrorKind::kNone : std::get<LinstorError>(v_).kind();
  }
  bool Is(LinstorErrorKind k) const { return kind() == k; }
  bool IsNotFound() const { return Is(LinstorErrorKind::kNotFound); }
  const LinstorError& error() const { return std::get<LinstorError>(v_); }
  Status status() const { return ok() ? Status() : error().ToStatus(); }
  LinstorStatus linstor_status() const { return ok() ? LinstorStatus() : LinstorStatus(error()); }

  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  // On a temporary, yields the value itself so `for (auto& x : *client.List())` is safe.
  T operator*() && { return std::move(*this).value(); }

  Result<T> ToResult() && {
    if (ok()) return Result<T>(std::get<T>(std::move(v_)));
    return Result<T>(error().ToStatus());
  }
  operator Result<T>() && { return std::move(*this).ToResult(); }  // NOLINT: implicit

 private:
  std::variant<T, LinstorError> v_;
};

}  // namespace lcsi::linstor
