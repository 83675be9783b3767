// Stable list pagination. Entries are sorted by a unique key (volume id, snapshot id); a
// next_token names the last key returned, so a page starts after it even when entries were
// added or removed in between. Tokens are opaque to the CO ("k1." + hex of the key); a token
// that does not decode is Aborted, as the CSI spec wants for ListVolumes/ListSnapshots.
#pragma once

#include <string>
#include <vector>

#include "base/status.h"

namespace lcsi::controller {

std::string EncodePageToken(const std::string& last_key);
Result<std::string> DecodePageToken(const std::string& token);

struct Page {
  size_t begin = 0;        // index of the first entry to return
  size_t end = 0;          // one past the last
  std::string next_token;  // empty when this is the last page
};

// `sorted_keys` must be sorted ascending and unique. max_entries 0 = no limit; negative is
// InvalidArgument; a bad starting_token is Aborted.
Result<Page> Paginate(const std::vector<std::string>& sorted_keys, int32_t max_entries,
                      const std::string& starting_token);

}  // namespace lcsi::controller
