#include "linstor/errors.h"

#include <gtest/gtest.h>

namespace lcsi::linstor {
namespace {

struct RetCodeCase {
  uint64_t ret_code;
  Severity severity;
  int code;
  uint64_t object;
  LinstorErrorKind kind;
};

// Values as LINSTOR sends them (ApiConsts: MASK_* | code), including operation bits.
const RetCodeCase kRetCodes[] = {
    {0xC000000000000000ULL | 0x00380000ULL | 301, Severity::kError, 301, kObjRscDfn,
     LinstorErrorKind::kNotFound},
    {0xC000000000000000ULL | 0x003C0000ULL | 300, Severity::kError, 300, kObjNode,
     LinstorErrorKind::kNotFound},
    {0xC000000000000000ULL | 0x00440000ULL | 317, Severity::kError, 317, kObjRscGrp,
     LinstorErrorKind::kNotFound},
    {0xC000000000000000ULL | 0x01000000ULL | 0x00380000ULL | 501, Severity::kError, 501, kObjRscDfn,
     LinstorErrorKind::kAlreadyExists},
    {0xC000000000000000ULL | 0x000C0000ULL | 514, Severity::kError, 514, kObjSnapshot,
     LinstorErrorKind::kAlreadyExists},
    {0xC000000000000000ULL | 0x03000000ULL | 0x00380000ULL | 997, Severity::kError, 997, kObjRscDfn,
     LinstorErrorKind::kInUse},
    {0xC000000000000000ULL | 996, Severity::kError, 996, 0, LinstorErrorKind::kNotEnoughNodes},
    {0xC000000000000000ULL | 980, Severity::kError, 980, 0, LinstorErrorKind::kNoSpace},
    {0xC000000000000000ULL | 995, Severity::kError, 995, 0, LinstorErrorKind::kUnavailable},
    {0xC000000000000000ULL | 0x00340000ULL | 202, Severity::kError, 202, kObjRsc,
     LinstorErrorKind::kInvalidRequest},
    {0xC000000000000000ULL | 419, Severity::kError, 419, 0, LinstorErrorKind::kPermissionDenied},
    {0xC000000000000000ULL | 999, Severity::kError, 999, 0, LinstorErrorKind::kInternal},
    {kApiCallAuthRequired, Severity::kError, 0x7FFE, kObjKvs | kObjRscGrp,
     LinstorErrorKind::kUnauthorized},
    {kApiCallParseError, Severity::kError, 0x7FFD, kMaskObject, LinstorErrorKind::kInvalidRequest},
    {0x8000000000000000ULL | 3000, Severity::kWarning, 3000, 0, LinstorErrorKind::kNone},
    {0x8000000000000000ULL | 0x00340000ULL | 1006, Severity::kWarning, 1006, kObjRsc,
     LinstorErrorKind::kNone},
    {0x4000000000000000ULL | 10003, Severity::kInfo, 10003 & 0x7FFF, 0, LinstorErrorKind::kNone},
    {0x01000000ULL | 0x00380000ULL | 1, Severity::kSuccess, 1, kObjRscDfn, LinstorErrorKind::kNone},
};

TEST(RetCodeTest, DecodesSeverityObjectCodeAndKind) {
  for (const auto& c : kRetCodes) {
    ApiCallRc rc;
    rc.ret_code = static_cast<int64_t>(c.ret_code);
    SCOPED_TRACE(rc.ret_code);
    EXPECT_EQ(rc.severity(), c.severity);
    EXPECT_EQ(rc.code(), c.code);
    if (c.ret_code != kApiCallAuthRequired && c.ret_code != kApiCallParseError) {
      EXPECT_EQ(rc.object_type(), c.object);
    }
    EXPECT_EQ(KindFromRetCode(rc.ret_code), c.kind);
  }
}

TEST(RetCodeTest, ErrorsAreNegativeInJson) {
  // LINSTOR serializes ret_code as a signed int64: an error is negative.
  // -4611686018423717587 == 0xC00000000038012D: error | rsc dfn | 301 (not found).
  ApiCallRc rc;
  rc.ret_code = MakeRetCode(kMaskError, kObjRscDfn, kCodeFailNotFoundRscDfn);
  EXPECT_EQ(rc.ret_code, -4611686018423717587LL);
  EXPECT_TRUE(rc.IsError());
  EXPECT_EQ(KindFromRetCode(-4611686018423717587LL), LinstorErrorKind::kNotFound);
}

TEST(LinstorErrorTest, FirstErrorDecidesKindAndMessageKeepsLinstorText) {
  ApiCallRc warn;
  warn.ret_code = MakeRetCode(kMaskWarn, kObjRsc, 1002);
  warn.message = "satellite not connected";
  ApiCallRc err;
  err.ret_code = MakeRetCode(kMaskError, kObjRscDfn, kCodeFailExistsRscDfn);
  err.message = "Resource definition 'pvc-1' already exists.";
  err.cause = "it was created before";
  err.correction = "pick another name";
  LinstorError e = LinstorError::FromResponse(500, {warn, err}, "POST /v1/resource-definitions");
  EXPECT_EQ(e.kind(), LinstorErrorKind::kAlreadyExists);
  EXPECT_TRUE(e.IsAlreadyExists());
  EXPECT_EQ(e.http_status(), 500);
  ASSERT_NE(e.first_error(), nullptr);
  EXPECT_EQ(e.first_error()->code(), 501);
  EXPECT_NE(e.message().find("already exists"), std::string::npos);
  EXPECT_NE(e.message().find("it was created before"), std::string::npos);
  EXPECT_NE(e.message().find("POST /v1/resource-definitions"), std::string::npos);
  Status s = e.ToStatus();
  EXPECT_EQ(s.code(), Code::kAlreadyExists);
  EXPECT_EQ(s.message(), e.message());
}

TEST(LinstorErrorTest, HttpStatusFallbackWithoutApiCallRc) {
  struct Case {
    int status;
    LinstorErrorKind kind;
    Code code;
  };
  const Case cases[] = {
      {404, LinstorErrorKind::kNotFound, Code::kNotFound},
      {400, LinstorErrorKind::kInvalidRequest, Code::kInvalidArgument},
      {401, LinstorErrorKind::kUnauthorized, Code::kUnauthenticated},
      {403, LinstorErrorKind::kPermissionDenied, Code::kPermissionDenied},
      {503, LinstorErrorKind::kUnavailable, Code::kUnavailable},
      {502, LinstorErrorKind::kUnavailable, Code::kUnavailable},
      {500, LinstorErrorKind::kInternal, Code::kInternal},
  };
  for (const auto& c : cases) {
    LinstorError e = LinstorError::FromResponse(c.status, {}, "GET /v1/nodes");
    EXPECT_EQ(e.kind(), c.kind) << c.status;
    EXPECT_EQ(e.code(), c.code) << c.status;
  }
}

TEST(LinstorErrorTest, ServiceUnavailableIsRetryableEvenWithErrorBody) {
  ApiCallRc err;
  err.ret_code = MakeRetCode(kMaskError, 0, kCodeFailImplError);
  err.message = "injected";
  LinstorError e = LinstorError::FromResponse(503, {err}, "");
  EXPECT_TRUE(e.IsRetryable());
  EXPECT_EQ(e.code(), Code::kUnavailable);
}

TEST(LinstorErrorTest, KindToStatusCodeMapping) {
  const std::pair<LinstorErrorKind, Code> cases[] = {
      {LinstorErrorKind::kNotFound, Code::kNotFound},
      {LinstorErrorKind::kAlreadyExists, Code::kAlreadyExists},
      {LinstorErrorKind::kInUse, Code::kFailedPrecondition},
      {LinstorErrorKind::kNotEnoughNodes, Code::kResourceExhausted},
      {LinstorErrorKind::kNoSpace, Code::kResourceExhausted},
      {LinstorErrorKind::kUnavailable, Code::kUnavailable},
      {LinstorErrorKind::kInvalidRequest, Code::kInvalidArgument},
      {LinstorErrorKind::kUnauthorized, Code::kUnauthenticated},
      {LinstorErrorKind::kPermissionDenied, Code::kPermissionDenied},
      {LinstorErrorKind::kBadResponse, Code::kInternal},
      {LinstorErrorKind::kInternal, Code::kInternal},
  };
  for (const auto& [kind, code] : cases) {
    EXPECT_EQ(LinstorError(kind, "x").code(), code) << LinstorErrorKindName(kind);
  }
}

TEST(LinstorErrorTest, TransportErrorIsUnavailable) {
  LinstorError e = LinstorError::Transport("Connection refused", "GET /v1/nodes");
  EXPECT_EQ(e.kind(), LinstorErrorKind::kUnavailable);
  EXPECT_TRUE(e.IsRetryable());
  EXPECT_NE(e.message().find("Connection refused"), std::string::npos);
}

Status PropagatesThroughReturnIfError(const LinstorStatus& st) {
  LCSI_RETURN_IF_ERROR(st);
  return Status::Ok();
}

Result<int> ConvertResult(LinstorResult<int> r) { return r; }

TEST(LinstorResultTest, ConvertsToLcsiStatusAndResult) {
  LinstorStatus ok;
  EXPECT_TRUE(ok.ok());
  EXPECT_EQ(ok.kind(), LinstorErrorKind::kNone);
  EXPECT_TRUE(PropagatesThroughReturnIfError(ok).ok());

  LinstorStatus in_use(LinstorError(LinstorErrorKind::kInUse, "busy"));
  EXPECT_FALSE(in_use.ok());
  EXPECT_TRUE(in_use.Is(LinstorErrorKind::kInUse));
  Status s = PropagatesThroughReturnIfError(in_use);
  EXPECT_EQ(s.code(), Code::kFailedPrecondition);
  EXPECT_EQ(s.message(), "busy");

  Result<int> good = ConvertResult(LinstorResult<int>(7));
  ASSERT_TRUE(good.ok());
  EXPECT_EQ(*good, 7);
  LinstorResult<int> missing(LinstorError(LinstorErrorKind::kNotFound, "gone"));
  EXPECT_TRUE(missing.IsNotFound());
  EXPECT_EQ(missing.status().code(), Code::kNotFound);
  Result<int> bad = ConvertResult(std::move(missing));
  EXPECT_EQ(bad.status().code(), Code::kNotFound);
}

}  // namespace
}  // namespace lcsi::linstor
