// Reading a whole file into memory, with the status its failure means.
#pragma once

#include <string>

#include "base/status.h"

namespace lcsi {

// The file's bytes. NotFound when the path (or a directory on it) does not exist, Internal for
// any other failure; the message names the call, the path and the system's reason.
Result<std::string> ReadWholeFile(const std::string& path);

}  // namespace lcsi
