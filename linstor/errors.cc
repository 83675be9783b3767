#include "linstor/errors.h"

namespace lcsi::linstor {

Severity ApiCallRc::severity() const {
  switch (static_cast<uint64_t>(ret_code) & kMaskSeverity) {
    case kMaskError:
      return Severity::kError;
    case kMaskWarn:
      return Severity::kWarning;
    case kMaskInfo:
      return Severity::kInfo;
    default:
      return Severity::kSuccess;
  }
}

const char* LinstorErrorKindName(LinstorErrorKind kind) {
  switch (kind) {
    case LinstorErrorKind::kNone:
      return "None";
    case LinstorErrorKind::kNotFound:
      return "NotFound";
    case LinstorErrorKind::kAlreadyExists:
      return "AlreadyExists";
    case LinstorErrorKind::kInUse:
      return "InUse";
    case LinstorErrorKind::kNotEnoughNodes:
      return "NotEnoughNodes";
    case LinstorErrorKind::kNoSpace:
      return "NoSpace";
    case LinstorErrorKind::kUnavailable:
      return "Unavailable";
    case LinstorErrorKind::kInvalidRequest:
      return "InvalidRequest";
    case LinstorErrorKind::kUnauthorized:
      return "Unauthorized";
    case LinstorErrorKind::kPermissionDenied:
      return "PermissionDenied";
    case LinstorErrorKind::kBadResponse:
      return "BadResponse";
    case LinstorErrorKind::kInternal:
      return "Internal";
  }
  return "Internal";
}

LinstorErrorKind KindFromRetCode(int64_t ret_code) {
  const auto bits = static_cast<uint64_t>(ret_code);
  if ((bits & kMaskSeverity) != kMaskError) return LinstorErrorKind::kNone;
  if (bits == kApiCallAuthRequired) return LinstorErrorKind::kUnauthorized;
  if (bits == kApiCallParseError || bits == kUnknownApiCall) {
    return LinstorErrorKind::kInvalidRequest;
  }
  const int code = static_cast<int>(bits & kMaskCode);
  if (code >= 200 && code < 300) return LinstorErrorKind::kInvalidRequest;
  if (code >= 300 && code < 400) return LinstorErrorKind::kNotFound;
  if (code >= 400 && code < 500) return LinstorErrorKind::kPermissionDenied;
  if (code >= 500 && code < 600) return LinstorErrorKind::kAlreadyExists;
  switch (code) {
    case kCodeFailNotEnoughNodes:
      return LinstorErrorKind::kNotEnoughNodes;
    case kCodeFailInUse:
      return LinstorErrorKind::kInUse;
    case kCodeFailNotEnoughFreeSpace:
      return LinstorErrorKind::kNoSpace;
    case kCodeFailNotConnected:
    case kCodeFailRscBusy:
      return LinstorErrorKind::kUnavailable;
    default:
      return LinstorErrorKind::kInternal;
  }
}

namespace {

LinstorErrorKind KindFromHttpStatus(int http_status) {
  switch (http_status) {
    case 400:
      return LinstorErrorKind::kInvalidRequest;
    case 401:
      return LinstorErrorKind::kUnauthorized;
    case 403:
      return LinstorErrorKind::kPermissionDenied;
    case 404:
      return LinstorErrorKind::kNotFound;
    case 409:
      return LinstorErrorKind::kAlreadyExists;
    case 408:
    case 429:
    case 502:
    case 503:
    case 504:
      return LinstorErrorKind::kUnavailable;
    default:
      return LinstorErrorKind::kInternal;
  }
}

std::string DescribeRc(const ApiCallRc& rc) {
  std::string out = rc.message;
  if (!rc.cause.empty()) out += " (cause: " + rc.cause + ")";
  if (!rc.details.empty()) out += " (details: " + rc.details + ")";
  if (!rc.correction.empty()) out += " (correction: " + rc.correction + ")";
  return out;
}

}  // namespace

const ApiCallRc* LinstorError::first_error() const {
  for (const auto& rc : rcs_)
    if (rc.IsError()) return &rc;
  return nullptr;
}

LinstorError LinstorError::FromResponse(int http_status, std::vector<ApiCallRc> rcs,
                                        const std::string& context) {
  LinstorErrorKind kind = LinstorErrorKind::kNone;
  const ApiCallRc* first = nullptr;
  for (const auto& rc : rcs) {
    if (!rc.IsError()) continue;
    first = &rc;
    kind = KindFromRetCode(rc.ret_code);
    break;
  }
  // Gateways and overload answers are retryable whatever body they carry; a bare
  // 5xx with an unclassified LINSTOR error stays internal.
  const LinstorErrorKind by_status = KindFromHttpStatus(http_status);
  if (by_status == LinstorErrorKind::kUnavailable) kind = by_status;
  if (kind == LinstorErrorKind::kNone) kind = by_status;
  // An auth failure reported only by status wins over a generic internal code.
  if ((http_status == 401 || http_status == 403) && kind == LinstorErrorKind::kInternal) {
    kind = by_status;
  }

  std::string message = context.empty() ? "" : context + ": ";
  message += "LINSTOR HTTP " + std::to_string(http_status);
  if (first != nullptr) {
    message += ": " + DescribeRc(*first);
  } else if (!rcs.empty()) {
    message += ": " + DescribeRc(rcs.front());
  }
  return LinstorError(kind, std::move(message), http_status, std::move(rcs));
}

LinstorError LinstorError::Transport(const std::string& what, const std::string& context) {
  std::string message = context.empty() ? "" : context + ": ";
  message += "LINSTOR unreachable: " + what;
  return LinstorError(LinstorErrorKind::kUnavailable, std::move(message));
}

Code LinstorError::code() const {
  switch (kind_) {
    case LinstorErrorKind::kNone:
      return Code::kOk;
    case LinstorErrorKind::kNotFound:
      return Code::kNotFound;
    case LinstorErrorKind::kAlreadyExists:
      return Code::kAlreadyExists;
    case LinstorErrorKind::kInUse:
      return Code::kFailedPrecondition;
    case LinstorErrorKind::kNotEnoughNodes:
    case LinstorErrorKind::kNoSpace:
      return Code::kResourceExhausted;
    case LinstorErrorKind::kUnavailable:
      return Code::kUnavailable;
    case LinstorErrorKind::kInvalidRequest:
      return Code::kInvalidArgument;
    case LinstorErrorKind::kUnauthorized:
      return Code::kUnauthenticated;
    case LinstorErrorKind::kPermissionDenied:
      return Code::kPermissionDenied;
    case LinstorErrorKind::kBadResponse:
    case LinstorErrorKind::kInternal:
      return Code::kInternal;
  }
  return Code::kInternal;
}

std::string LinstorError::ToString() const {
  return std::string(LinstorErrorKindName(kind_)) + ": " + message_;
}

}  // namespace lcsi::linstor
