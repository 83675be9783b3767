// A request's parameter map (a protobuf map) as the ParameterMap the parsers take.
#pragma once

#include <google/protobuf/map.h>

#include <string>

#include "controller/parameters.h"

namespace lcsi::controller {

inline ParameterMap ToParameterMap(const google::protobuf::Map<std::string, std::string>& m) {
  return ParameterMap(m.begin(), m.end());
}

}  // namespace lcsi::controller
