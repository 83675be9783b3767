// InjectedFailures: the FailNext of the node's fakes. The next call of a named operation fails
// with the planted status, once. Not synchronised: each fake calls it under its own lock.
#pragma once

#include <map>
#include <string>
#include <utility>

#include "csi/status.h"

namespace lcsi::node {

class InjectedFailures {
 public:
  void FailNext(const std::string& operation, Status status) {
    failures_[operation] = std::move(status);
  }
  // The status planted for `operation` (forgotten once taken); OK when there is none.
  Status Take(const std::string& operation) {
    auto it = failures_.find(operation);
    if (it == failures_.end()) return Status::Ok();
    Status status = std::move(it->second);
    failures_.erase(it);
    return status;
  }

 private:
  std::map<std::string, Status> failures_;
};

}  // namespace lcsi::node
