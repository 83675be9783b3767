// Printing responses: readable "key: value" lines, or proto3 JSON for scripts.
#pragma once

#include <string>

#include <google/protobuf/message.h>

#include "base/status.h"

namespace lcsi::csictl {

// One "path: value" line per set field, nested fields joined with '.', repeated fields indexed
// ("entries[0].volume.volume_id: pvc-1"), map entries by key ("volume_context.k: v"). Byte
// counts also show a binary unit ("capacity_bytes: 1073741824 (1 GiB)"), timestamps are RFC 3339,
// enums by name. A response without set fields prints "OK".
std::string FormatReadable(const google::protobuf::Message& message);

// Proto3 JSON with the proto field names (snake_case, as in the CSI spec), scalar fields printed
// even when they hold their default value, indented, ending in a newline.
Result<std::string> FormatJson(const google::protobuf::Message& message);

}  // namespace lcsi::csictl
