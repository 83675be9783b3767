// Rendering CSI messages for logs with every field marked `csi_secret` hidden.
#pragma once

#include <google/protobuf/message.h>

#include <string>

namespace lcsi {

inline constexpr const char* kRedacted = "***stripped***";

// Compact one-line text of `message`; values of csi_secret fields (at any depth) are replaced
// by kRedacted, so secrets never reach a log.
std::string RedactedText(const google::protobuf::Message& message);

// The object an RPC is about, for the log line: volume_id, snapshot_id, group_snapshot_id or
// name, whichever the message has first; empty if none.
std::string RequestSubject(const google::protobuf::Message& message);

}  // namespace lcsi
