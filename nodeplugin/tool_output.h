// What a failed mkfs, fsck or resize tool printed, cut down to the lines that say why, for an
// error message. The tail of the output is often usage text or a version banner (mkfs.xfs prints
// "Filesystem must be larger than 300MB." and then 30 lines of usage), so:
//  - a stream stops at a "Usage:" line (what follows is the tool's option list);
//  - the first lines of stderr are kept, then lines from either stream that read like a reason
//    (error, must, cannot, invalid, too small, ...), in their order, stderr first;
//  - each line and the whole text are capped, and the number of dropped lines is said.
#pragma once

#include <cstddef>
#include <string>

namespace lcsi::node {

inline constexpr size_t kToolOutputMaxChars = 600;

// "(no output)" when both streams are empty.
std::string SummarizeToolOutput(const std::string& err, const std::string& out,
                                size_t max_chars = kToolOutputMaxChars);

}  // namespace lcsi::node
