// ApiCallRc lists, LINSTOR's answer to every mutating call, and the HTTP status rule
// (DESIGN.md section 6): the first error decides: not-found codes (300-399) -> 404,
// access denied (400-499) -> 403, parse errors -> 400, any other error -> 500;
// without errors the endpoint's success status (200/201), warnings included.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace lcsi::sim {

struct ApiCallRc {
  uint64_t ret_code = 0;
  std::string message;
  std::string cause;
  std::string details;
  std::string correction;
  std::map<std::string, std::string> obj_refs;
};

// An HTTP answer: status and JSON body.
struct Reply {
  int status = 200;
  std::string body;
};

class ApiCallRcList {
 public:
  ApiCallRc& Add(uint64_t ret_code, std::string message);
  void Append(const ApiCallRcList& other);
  bool HasError() const;
  const std::vector<ApiCallRc>& entries() const { return entries_; }
  bool empty() const { return entries_.empty(); }

  // HTTP status for this list given the endpoint's success status.
  int HttpStatus(int success_status) const;
  std::string ToJson() const;
  Reply ToReply(int success_status) const { return {HttpStatus(success_status), ToJson()}; }

 private:
  std::vector<ApiCallRc> entries_;
};

// Status for one error ret_code (see file comment).
int HttpStatusForError(uint64_t ret_code);

// A one-entry error reply.
Reply ErrorReply(uint64_t ret_code, std::string message, std::string cause = {},
                 std::map<std::string, std::string> obj_refs = {});

// ISO-8601 UTC timestamp with milliseconds, as LINSTOR's created_at.
std::string NowIso8601();

}  // namespace lcsi::sim
