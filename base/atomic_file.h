// One way to replace a file so that readers see the old or the new content, never a part of
// it: write a temporary file next to it, then rename it over the old one.
#pragma once

#include <sys/types.h>

#include <string>
#include <string_view>

#include "base/status.h"

namespace lcsi {

enum class Durability {
  // fsync the temporary file before the rename and the directory after it: the new content
  // survives a machine crash once the call returns.
  kSurvivesMachineCrash,
  // No fsync: the new content survives a crash of the process (the page cache keeps it), not
  // of the machine. For files that describe state a reboot loses anyway.
  kSurvivesProcessCrash,
};

// Writes `content` to "<path>.tmp" (created with `mode`, never through a symlink), then renames
// it to `path`. On failure `path` is unchanged and no temporary file is left: NotFound when the
// directory is missing, Internal otherwise. Writers of one path must not run concurrently (they
// share the temporary name).
Status WriteFileAtomically(const std::string& path, std::string_view content, mode_t mode,
                           Durability durability);

}  // namespace lcsi
