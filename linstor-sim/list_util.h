// Helpers for list endpoints: name and property filters, offset/limit paging, regexes.
#pragma once

#include <cstdint>
#include <optional>
#include <regex>
#include <string>
#include <vector>

#include "linstor-sim/model.h"

namespace lcsi::sim {

// Offset/limit paging over a filtered sequence: call Take() once per matching item.
// As every LINSTOR list handler (e.g. View.viewResources, ResourceDefinitions
// .listResourceDefinitionsOneOrMany): `if (limit > 0) stream.skip(offset).limit(limit)`, so
// an offset without a positive limit is ignored.
class Pager {
 public:
  Pager(int64_t offset, int64_t limit)
      : offset_(limit > 0 && offset > 0 ? offset : 0), limit_(limit) {}
  // True when the current item belongs to the page.
  bool Take() {
    if (seen_++ < offset_) return false;
    if (Done()) return false;
    ++emitted_;
    return true;
  }
  bool Done() const { return limit_ > 0 && emitted_ >= limit_; }

 private:
  int64_t offset_;
  int64_t limit_;
  int64_t seen_ = 0;
  int64_t emitted_ = 0;
};

// True when `names` is empty or contains `key` (an upper-case key) in any case.
bool NameFilterMatches(const std::vector<std::string>& names, const std::string& key);

// props= filters: "Key=Value" requires that value, "Key" requires the key. ANDed.
bool PropsMatch(const Props& props, const std::vector<std::string>& filters);

// Compiles an ECMAScript regex; nullopt when invalid. Compiled patterns are cached.
std::optional<std::regex> CompileRegex(const std::string& pattern, bool icase);

}  // namespace lcsi::sim
