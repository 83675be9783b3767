#include "csi/driver_name.h"

#include <cctype>
#include <string>

namespace lcsi {

Status ValidateDriverName(std::string_view name) {
  const std::string quoted = "driver name \"" + std::string(name) + "\"";
  if (name.empty()) return InvalidArgument("driver name is empty");
  if (name.size() > 63) return InvalidArgument(quoted + " is longer than 63 characters");
  auto alnum = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; };
  if (!alnum(name.front()) || !alnum(name.back())) {
    return InvalidArgument(quoted + " must begin and end with a letter or digit");
  }
  for (char c : name) {
    if (!alnum(c) && c != '-' && c != '.' && c != '_') {
      return InvalidArgument(quoted + " may contain only letters, digits, '-', '.' and '_'");
    }
  }
  return Status::Ok();
}

}  // namespace lcsi
