// LINSTOR failures as RPC statuses: the message names the object and the operation and quotes
// LINSTOR's own reason; the code follows LinstorError::code() (outage -> Unavailable, placement
// impossible / no space -> ResourceExhausted, in use -> FailedPrecondition, ...).
#pragma once

#include <string>

#include "base/status.h"
#include "linstor/errors.h"

namespace lcsi::controller {

Status FromLinstor(const linstor::LinstorError& error, const std::string& what);

inline Status FromLinstor(const linstor::LinstorStatus& s, const std::string& what) {
  return s.ok() ? Status::Ok() : FromLinstor(s.error(), what);
}

template <typename T>
Status FromLinstor(const linstor::LinstorResult<T>& r, const std::string& what) {
  return r.ok() ? Status::Ok() : FromLinstor(r.error(), what);
}

// The same failure with another code: used where LINSTOR's kind would mean something else in
// the RPC's error table (e.g. an unexpected "not found" in the middle of a create is a race the
// CO should retry: Aborted).
Status FromLinstorAs(Code code, const linstor::LinstorError& error, const std::string& what);

}  // namespace lcsi::controller
