#include "controller/linstor_status.h"

namespace lcsi::controller {

Status FromLinstor(const linstor::LinstorError& error, const std::string& what) {
  return FromLinstorAs(error.code(), error, what);
}

Status FromLinstorAs(Code code, const linstor::LinstorError& error, const std::string& what) {
  std::string reason = error.message();
  if (reason.empty()) reason = linstor::LinstorErrorKindName(error.kind());
  return Status(code, what + ": LINSTOR: " + reason);
}

}  // namespace lcsi::controller
