#include "linstor-sim/api_call_rc.h"

#include <chrono>
#include <ctime>

#include "base/json_writer.h"
#include "linstor-sim/api_consts.h"

namespace lcsi::sim {

ApiCallRc& ApiCallRcList::Add(uint64_t ret_code, std::string message) {
  ApiCallRc& e = entries_.emplace_back();
  e.ret_code = ret_code;
  e.message = std::move(message);
  return e;
}

void ApiCallRcList::Append(const ApiCallRcList& other) {
  entries_.insert(entries_.end(), other.entries_.begin(), other.entries_.end());
}

bool ApiCallRcList::HasError() const {
  for (const auto& e : entries_)
    if (rc::IsError(e.ret_code)) return true;
  return false;
}

int HttpStatusForError(uint64_t ret_code) {
  if (ret_code == rc::kApiCallParseError) return 400;
  const uint64_t code = ret_code & rc::kMaskBitsCode;
  if (code >= 300 && code < 400) return 404;
  if (code >= 400 && code < 500) return 403;
  return 500;
}

int ApiCallRcList::HttpStatus(int success_status) const {
  for (const auto& e : entries_)
    if (rc::IsError(e.ret_code)) return HttpStatusForError(e.ret_code);
  return success_status;
}

std::string NowIso8601() {
  using namespace std::chrono;
  const auto now = system_clock::now();
  const std::time_t t = system_clock::to_time_t(now);
  const auto ms = duration_cast<milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[64];
  std::snprintf(buf, sizeof(buf), "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms));
  return buf;
}

std::string ApiCallRcList::ToJson() const {
  JsonWriter w;
  const std::string created_at = NowIso8601();
  w.BeginArray();
  for (const auto& e : entries_) {
    w.BeginObject();
    // ret_code is a Java long: the type bits make errors negative.
    w.Field("ret_code", static_cast<int64_t>(e.ret_code));
    w.Field("message", e.message);
    if (!e.cause.empty()) w.Field("cause", e.cause);
    if (!e.details.empty()) w.Field("details", e.details);
    if (!e.correction.empty()) w.Field("correction", e.correction);
    if (!e.obj_refs.empty()) w.Key("obj_refs").StringMap(e.obj_refs);
    w.Field("created_at", created_at);
    w.EndObject();
  }
  w.EndArray();
  return w.Take();
}

Reply ErrorReply(uint64_t ret_code, std::string message, std::string cause,
                 std::map<std::string, std::string> obj_refs) {
  ApiCallRcList list;
  ApiCallRc& e = list.Add(ret_code, std::move(message));
  e.cause = std::move(cause);
  e.obj_refs = std::move(obj_refs);
  return list.ToReply(200);
}

}  // namespace lcsi::sim
