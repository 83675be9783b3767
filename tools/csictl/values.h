// Parsing of flag values that are not plain strings: sizes, durations, access modes, topology.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

#include "base/status.h"
#include "csi/csi.pb.h"

namespace lcsi::csictl {

// "1073741824", "512Mi", "1Gi", "10G", "1.5Gi", "4k" -> bytes. Binary suffixes Ki Mi Gi Ti Pi,
// decimal k/K M G T P; an optional trailing "B" is accepted ("1GiB"). Exact integer arithmetic
// (no locale, no floating point): up to 9 decimal places, a fractional byte rounds half up.
// Negative, malformed or overflowing sizes are InvalidArgument.
Result<int64_t> ParseSize(const std::string& text);

// "single-node-writer", "SINGLE_NODE_WRITER", "rwo" ... -> AccessMode::Mode.
Result<csi::v1::VolumeCapability::AccessMode::Mode> ParseAccessMode(const std::string& text);

// "zone=a,rack=r1" -> Topology with two segments.
Result<csi::v1::Topology> ParseTopology(const std::string& text);

// 1073741824 -> "1 GiB", 1610612736 -> "1.5 GiB", 1000 -> "1000 B".
std::string FormatBytes(int64_t bytes);

}  // namespace lcsi::csictl
