// "Did you mean ...?" suggestions for names LINSTOR does not know.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace lcsi::node {

// Levenshtein distance, case-insensitive.
size_t EditDistance(std::string_view a, std::string_view b);

// Up to `max_results` candidates closest to `name`, best first. Ranking: same name ignoring case;
// then same short host name (the part before the first '.', so "node1.example.com" finds
// "node1"); then smallest edit distance, where host parts are also compared on their own
// ("k8s-bravo.example.com" is 3 edits from "sat-bravo"); ties by full-name distance, then name.
// A candidate more than half the compared length away is left out, so suggestions are never
// random.
std::vector<std::string> ClosestNames(std::string_view name,
                                      const std::vector<std::string>& candidates,
                                      size_t max_results = 3);

}  // namespace lcsi::node
