// The one place where an internal Status becomes a grpc::Status.
#pragma once

#include <grpcpp/support/status.h>

#include "base/status.h"

namespace lcsi {

grpc::Status ToGrpcStatus(const Status& status);

}  // namespace lcsi
